from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from rightstrack.core import datadir


class Command(BaseCommand):
    help = "Check the installation: settings, database, pending migrations, data-directory permissions."

    def handle(self, *args, **options) -> None:
        failures: list[str] = []
        call_command("check", "--deploy" if not settings.DEBUG else "--fail-level=ERROR", verbosity=0)
        try:
            connection.ensure_connection()
        except Exception as exc:  # noqa: BLE001 - any driver error means the same to the user
            raise CommandError(f"Database unreachable: {exc}")
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            failures.append("Database has unapplied migrations: run `rightstrack init`.")
        failures += datadir.problems()
        warnings = ["DEBUG is on: never expose this server to a network."] if settings.DEBUG else []
        for problem in failures + warnings:
            self.stdout.write(self.style.WARNING(problem))
        if failures:
            raise CommandError("Installation check failed.")
        self.stdout.write(self.style.SUCCESS(f"OK: {connection.vendor} database, data in {settings.DATA_DIR}"))
