"""Create a user of the administrative office: staff, not a superuser, in the office group."""
import getpass
import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from registrations.office_group import OFFICE_GROUP, office_group_sync


class Command(BaseCommand):
    help = (
        f"Create an office user (staff, not a superuser) in the group “{OFFICE_GROUP}”. The password comes from "
        "--password, else the OFFICE_PASSWORD environment variable, else a prompt. Unless the instance turns it "
        "off, the new user sets up a second factor (passkey or authenticator app) at the first sign-in."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("email")
        parser.add_argument("--password", help="Visible in the shell history; prefer OFFICE_PASSWORD or the prompt.")

    def handle(self, *args, username, email, password=None, **options):
        User = get_user_model()
        if User.objects.filter(**{User.USERNAME_FIELD: username}).exists():
            raise CommandError(f"A user named {username!r} already exists.")
        password = password or os.environ.get("OFFICE_PASSWORD") or self._prompt()
        user = User(**{User.USERNAME_FIELD: username}, email=email, is_staff=True, is_superuser=False)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        with transaction.atomic():
            group = office_group_sync()
            user.set_password(password)
            user.save()
            user.groups.add(group)
        self.stdout.write(self.style.SUCCESS(f"Created office user {username!r} in the group “{OFFICE_GROUP}”."))
        if settings.STAFF_SECOND_FACTOR_REQUIRED:
            self.stdout.write(
                f"At the first sign-in to the admin, after the password, {username} will be asked to set up a second "
                "factor before any admin page opens: a passkey or security key (the screen lock of their computer "
                "or phone, or a USB key) or an authenticator app, then to keep 10 one-time recovery codes."
            )
        else:
            self.stdout.write(
                "This instance does not require a second factor (STAFF_SECOND_FACTOR_REQUIRED is off): "
                f"{username} signs in with the password and may set up a passkey or authenticator app "
                "from the admin's “Second factor” link."
            )

    def _prompt(self) -> str:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The passwords did not match.")
        if not password:
            raise CommandError("A password is required.")
        return password
