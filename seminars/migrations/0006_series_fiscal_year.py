import django.core.validators
from django.db import migrations, models

import seminars.models


def fill_fiscal_year(apps, schema_editor):
    """Give each existing series the fiscal year (April to March) of its first session, else of today."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    Series = apps.get_model("seminars", "Series")
    today = dt.datetime.now(ZoneInfo("Asia/Tokyo")).date()
    for series in Series.objects.all():
        first = series.sessions.order_by("starts_at").values_list("starts_at", flat=True).first()
        day = first.astimezone(ZoneInfo("Asia/Tokyo")).date() if first else today
        series.fiscal_year = day.year if day.month >= 4 else day.year - 1
        series.save(update_fields=["fiscal_year"])


class Migration(migrations.Migration):
    dependencies = [
        ("seminars", "0005_allocation_and_zoom"),
    ]

    operations = [
        migrations.AddField(
            model_name="series",
            name="fiscal_year",
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.RunPython(fill_fiscal_year, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="series",
            name="fiscal_year",
            field=models.PositiveSmallIntegerField(
                default=seminars.models.fiscal_year_current,
                help_text="The year the fiscal year starts in (April), e.g. 2026 for 令和8年度 (FY2026).",
                validators=[
                    django.core.validators.MinValueValidator(2019),
                    django.core.validators.MaxValueValidator(2099),
                ],
                verbose_name="fiscal year",
            ),
        ),
    ]
