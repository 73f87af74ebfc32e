import tarfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rightstrack.core.backup import restore_backup


class Command(BaseCommand):
    help = "Replace ALL current data with a backup archive (asks for confirmation unless --yes)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, archive: Path, yes: bool, **options) -> None:
        if not archive.is_file():
            raise CommandError(f"No such backup file: {archive}")
        if not yes and input("This replaces all current data. Type 'restore' to go on: ").strip() != "restore":
            raise CommandError("Cancelled; nothing changed.")
        try:
            manifest = restore_backup(archive)
        except (ValueError, KeyError, OSError, tarfile.TarError) as exc:
            raise CommandError(f"Restore failed, nothing changed: {exc}")
        self.stdout.write(self.style.SUCCESS(f"Restored {manifest['records']} records from {manifest['created']}."))
