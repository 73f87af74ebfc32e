from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the data directory, secret key and database tables (safe to run again)."

    def handle(self, *args, **options) -> None:
        for folder in (settings.DATA_DIR, settings.FILES_DIR, settings.BACKUP_DIR):
            folder.mkdir(parents=True, exist_ok=True)
            folder.chmod(0o700)
        call_command("migrate", interactive=False, verbosity=0)
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(f"Ready: data in {settings.DATA_DIR}"))
