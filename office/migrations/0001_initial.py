import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import registrations.validators


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("registrations", "0007_origin_lottery_zoom"),
        ("seminars", "0005_allocation_and_zoom"),
    ]

    operations = [
        migrations.CreateModel(
            name="Announcement",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("audience", models.CharField(choices=[("confirmed", "Confirmed applicants"), ("waitlisted", "The waiting list"), ("attended", "Those recorded as attended"), ("absent", "Those recorded as absent"), ("active", "All active applications (confirmed, waiting list, awaiting the draw)")], default="confirmed", max_length=20, verbose_name="audience")),
                ("subject_ja", models.CharField(max_length=200, validators=[registrations.validators.validate_single_line], verbose_name="subject (Japanese)")),
                ("body_ja", models.TextField(max_length=5000, validators=[registrations.validators.validate_multi_line], verbose_name="message (Japanese)")),
                ("subject_en", models.CharField(max_length=200, validators=[registrations.validators.validate_single_line], verbose_name="subject (English)")),
                ("body_en", models.TextField(max_length=5000, validators=[registrations.validators.validate_multi_line], verbose_name="message (English)")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="written at")),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent at")),
                ("recipients", models.PositiveIntegerField(blank=True, null=True, verbose_name="recipients")),
                ("created_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="written by")),
                ("sent_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="sent by")),
                ("session", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="announcements", to="seminars.session", verbose_name="session")),
            ],
            options={
                "verbose_name": "announcement",
                "verbose_name_plural": "announcements",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="Draw",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seed", models.CharField(max_length=64, verbose_name="seed")),
                ("order", models.JSONField(default=list, verbose_name="drawn order (application ids)")),
                ("run_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="run at")),
                ("confirmed", models.PositiveIntegerField(default=0, verbose_name="confirmed")),
                ("waitlisted", models.PositiveIntegerField(default=0, verbose_name="on the waiting list")),
                ("not_drawn", models.PositiveIntegerField(default=0, verbose_name="not drawn")),
                ("results_sent_at", models.DateTimeField(blank=True, null=True, verbose_name="results mail sent at")),
                ("results_sent_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="results mail sent by")),
                ("run_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="run by")),
                ("session", models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name="draw", to="seminars.session", verbose_name="session")),
            ],
            options={
                "verbose_name": "draw",
                "verbose_name_plural": "draws",
                "ordering": ["-run_at"],
            },
        ),
        migrations.CreateModel(
            name="Note",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("text", models.TextField(max_length=2000, validators=[registrations.validators.validate_multi_line], verbose_name="note")),
                ("written_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="written at")),
                ("application", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="office_notes", to="registrations.application", verbose_name="application")),
                ("written_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="written by")),
            ],
            options={
                "verbose_name": "note",
                "verbose_name_plural": "notes",
                "ordering": ["written_at", "pk"],
            },
        ),
    ]
