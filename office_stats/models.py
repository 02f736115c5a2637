"""No tables of its own: the statistics are counted from applications, attendance and questionnaires.

The proxy below gives the statistics pages their place in the admin's index and their own
permission, which the office group holds (registrations/office_group.py).
"""
from django.utils.translation import gettext_lazy as _

from seminars.models import Series


class SeriesStatistics(Series):
    """A series seen through its figures: the admin entry of the statistics pages and of the report."""

    class Meta:
        proxy = True
        # Only reading: nothing here is added, changed or deleted.
        default_permissions = ()
        permissions = [("view_statistics", _("Can view the statistics and download the report"))]
        verbose_name = _("statistics")
        verbose_name_plural = _("statistics")
