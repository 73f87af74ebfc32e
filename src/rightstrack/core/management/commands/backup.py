import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rightstrack.core.backup import NOT_TAMPER_PROOF, BackupError, create_backup, verify_backup


class Command(BaseCommand):
    help = (
        "Write a portable backup (.tar.gz: records, stored files, manifest) to var/backups or --out, "
        "or check one with --verify FILE."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--out", type=Path)
        parser.add_argument(
            "--verify",
            type=Path,
            metavar="FILE",
            help="load FILE into a scratch database and compare its rows and files with its manifest",
        )

    def handle(self, *args, out: Path | None, verify: Path | None, **options) -> None:
        try:
            if verify is not None:
                manifest = verify_backup(verify)
            else:
                started = time.monotonic()
                path = create_backup(out)
        except BackupError as exc:
            raise CommandError(f"{'Verification' if verify else 'Backup'} failed: {exc}") from None
        if verify is not None:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Backup verified: {verify} — {manifest['records']} records and "
                    f"{len(manifest.get('files', {}))} stored files match its manifest ({manifest['created']})."
                )
            )
            if not manifest.get("sealed"):
                self.stdout.write(NOT_TAMPER_PROOF)
            return
        size = path.stat().st_size / 2**20
        self.stdout.write(
            self.style.SUCCESS(f"Backup written: {path} ({size:.1f} MB in {time.monotonic() - started:.1f} s)")
        )
        if not path.name.endswith(".sealed"):
            self.stdout.write(NOT_TAMPER_PROOF)
