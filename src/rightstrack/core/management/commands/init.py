from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from rightstrack.core import datadir


class Command(BaseCommand):
    help = "Create the data directory, secret key and database tables (safe to run again)."

    def handle(self, *args, **options) -> None:
        datadir.secure()
        # migrate's post_migrate hook (core.datadir.after_migrate) makes the new SQLite file 0600.
        call_command("migrate", interactive=False, verbosity=0)
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(f"Ready: data in {settings.DATA_DIR}"))
