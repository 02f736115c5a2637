from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionnairesConfig(AppConfig):
    name = "questionnaires"
    verbose_name = _("Questionnaires")

    def ready(self):
        # Erasure (registrations/retention.py) announces the applications it erased: their responses are detached.
        # Loading the demo (seminars/demo.py) announces the series: its questionnaires are added.
        # The office's follow-up page asks what its mail carries: the questionnaire's link while one is open or opening.
        from registrations.signals import follow_up_data_requested, personal_data_erased
        from seminars.demo import demo_loaded
        from seminars.signals import series_copied

        from .demo import demo_questionnaires_load_for
        from .selectors import follow_up_data_for
        from .series_copy import questionnaires_copy_for_series
        from .services import responses_detach_on_erasure

        personal_data_erased.connect(responses_detach_on_erasure, dispatch_uid="questionnaires-detach")
        follow_up_data_requested.connect(follow_up_data_for, dispatch_uid="questionnaires-follow-up")
        demo_loaded.connect(demo_questionnaires_load_for, dispatch_uid="questionnaires-demo")
        # A series copied to the next year (seminars.services) takes its questionnaires along.
        series_copied.connect(questionnaires_copy_for_series, dispatch_uid="questionnaires-series-copy")
