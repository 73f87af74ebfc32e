import shutil

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from rightstrack.core.demo import load_demo


class Command(BaseCommand):
    help = "Load the synthetic demo data and demo users, and print their logins."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--reset", action="store_true", help="delete ALL data first")

    def handle(self, *args, reset: bool, **options) -> None:
        call_command("init", verbosity=0)
        if reset:
            call_command("flush", interactive=False, verbosity=0)
            shutil.rmtree(settings.FILES_DIR, ignore_errors=True)
        ctx = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo data loaded (all of it is SYNTHETIC)."))
        self.stdout.write("Log in at http://127.0.0.1:8000/ as:")
        for username, password in ctx.passwords.items():
            membership = ctx.users[username].memberships.first()
            restricted = ", restricted access" if membership.restricted_access else ""
            self.stdout.write(
                f"  {username:<12} {password:<16} {membership.role} of {membership.organisation}{restricted}"
            )
