import os
import stat

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


class Command(BaseCommand):
    help = "Check the installation: settings, database, pending migrations, data-directory permissions."

    def handle(self, *args, **options) -> None:
        problems: list[str] = []
        call_command("check", "--deploy" if not settings.DEBUG else "--fail-level=ERROR", verbosity=0)
        try:
            connection.ensure_connection()
        except Exception as exc:  # noqa: BLE001 - any driver error means the same to the user
            raise CommandError(f"Database unreachable: {exc}")
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            problems.append("Database has unapplied migrations: run `rightstrack init`.")
        key = settings.DATA_DIR / "secret_key"
        if key.exists() and stat.S_IMODE(os.stat(key).st_mode) & 0o077:
            problems.append(f"{key} is readable by other users: chmod 600 it.")
        if settings.DEBUG:
            problems.append("DEBUG is on: never expose this server to a network.")
        for problem in problems:
            self.stdout.write(self.style.WARNING(problem))
        if any("unapplied" in p or "readable" in p for p in problems):
            raise CommandError("Installation check failed.")
        self.stdout.write(self.style.SUCCESS(f"OK: {connection.vendor} database, data in {settings.DATA_DIR}"))
