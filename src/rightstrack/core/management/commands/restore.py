from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rightstrack.core.backup import NOT_TAMPER_PROOF, BackupError, restore_backup


class Command(BaseCommand):
    help = "Replace ALL current data with a backup archive (asks for confirmation unless --yes)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        parser.add_argument(
            "--allow-unsealed",
            action="store_true",
            help="with RIGHTSTRACK_BACKUP_PASSPHRASE set, still restore an unsealed (not tamper-proof) archive",
        )

    def handle(self, *args, archive: Path, yes: bool, allow_unsealed: bool, **options) -> None:
        if not archive.is_file():
            raise CommandError(f"No such backup file: {archive}")
        if not yes and input("This replaces all current data. Type 'restore' to go on: ").strip() != "restore":
            raise CommandError("Cancelled; nothing changed.")
        try:
            manifest = restore_backup(archive, allow_unsealed=allow_unsealed)
        except BackupError as exc:
            raise CommandError(f"Restore failed, nothing changed: {exc}") from None
        files = manifest.get("files")
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {manifest['records']} records"
                + (f" and {len(files)} stored files" if files is not None else "")
                + f" from {manifest['created']}."
            )
        )
        if not manifest.get("sealed"):
            self.stdout.write(NOT_TAMPER_PROOF)
