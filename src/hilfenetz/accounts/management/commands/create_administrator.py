import getpass
import os
from pathlib import Path

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from hilfenetz.accounts.models import User

PASSWORD_VARIABLE = "HILFENETZ_ADMIN_PASSWORD"  # noqa: S105 - the name of a variable


class Command(BaseCommand):
    help = (
        "Create an administrator whose e-mail address counts as confirmed (no mail is sent). "
        f"The password is read from --password-file, else from ${PASSWORD_VARIABLE}, else asked."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", default="Administrator", help="display name")
        parser.add_argument(
            "--password-file", type=Path, help="a file whose first line is the password"
        )

    def handle(self, email, name, password_file, **options):
        email = User.objects.normalize_email(email.strip()).lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an e-mail address.") from None
        if User.objects.filter(email=email).exists() or EmailAddress.objects.filter(
            email__iexact=email
        ):
            raise CommandError(f"There is already an account with the address {email}.")
        password = self._password(password_file)
        user = User(email=email, display_name=name[:60])
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError("The password is not good enough: " + " ".join(error)) from None
        with transaction.atomic():
            user = User.objects.create_superuser(email, password, display_name=user.display_name)
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        self.stdout.write(self.style.SUCCESS(f"Administrator {email} created; sign in at /admin/."))

    def _password(self, password_file: Path | None) -> str:
        if password_file:
            try:
                lines = password_file.read_text().splitlines()
            except OSError as error:
                raise CommandError(f"Cannot read {password_file}: {error.strerror}") from None
            return lines[0] if lines else ""
        if os.environ.get(PASSWORD_VARIABLE):
            return os.environ[PASSWORD_VARIABLE]
        if not os.isatty(0):
            raise CommandError(
                f"No password: give --password-file or set {PASSWORD_VARIABLE}, "
                "or run the command in a terminal to be asked."
            )
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return password
