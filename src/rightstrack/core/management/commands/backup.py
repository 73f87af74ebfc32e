from pathlib import Path

from django.core.management.base import BaseCommand

from rightstrack.core.backup import create_backup


class Command(BaseCommand):
    help = "Write a portable backup (.tar.gz: records, stored files, manifest) to var/backups or --out."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--out", type=Path)

    def handle(self, *args, out: Path | None, **options) -> None:
        path = create_backup(out)
        self.stdout.write(self.style.SUCCESS(f"Backup written: {path}"))
