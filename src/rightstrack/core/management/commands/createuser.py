import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from rightstrack.core.actions import add_member
from rightstrack.core.models import Organisation, Role


class Command(BaseCommand):
    help = "Create a user (or update their role) in an organisation, creating the organisation if needed."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--organisation", required=True, help="organisation name")
        parser.add_argument("--role", choices=Role.values, default=Role.VIEWER)
        parser.add_argument("--restricted", action="store_true", help="may see restricted data")
        parser.add_argument("--superuser", action="store_true", help="site administrator (Django admin)")
        parser.add_argument("--password", help="password (asked for when omitted)")
        parser.add_argument("--email", default="")

    def handle(
        self,
        *args,
        username: str,
        organisation: str,
        role: str,
        restricted: bool,
        superuser: bool,
        password: str | None,
        email: str,
        **options,
    ) -> None:
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            if password is None:
                password = getpass.getpass("Password: ")
            candidate = User(username=username, email=email)
            try:
                validate_password(password, candidate)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages))
            user = User.objects.create_user(username=username, email=email, password=password)
        if superuser:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        org, _ = Organisation.objects.get_or_create(name=organisation, defaults={"slug": slugify(organisation)[:50]})
        add_member(None, org, user, role, restricted_access=restricted)
        self.stdout.write(
            self.style.SUCCESS(f"{username}: {role} of {org}{' (restricted access)' if restricted else ''}")
        )
