import subprocess
import sys
import threading

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve RightsTrack with waitress and run the background-job worker beside it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-worker", action="store_true", help="do not start the job worker")
        parser.add_argument(
            "--no-housekeeping", action="store_true", help="no automatic backups or stalled-reading checks"
        )

    def handle(
        self, *args, host: str, port: int, threads: int, no_worker: bool, no_housekeeping: bool, **options
    ) -> None:
        from waitress import serve

        from rightstrack.core import housekeeping
        from rightstrack.wsgi import application

        worker = None
        if not no_worker:
            # Jobs (imports, ingestion, report builds) wait in the database; one worker process runs them.
            worker = subprocess.Popen([sys.executable, "-m", "rightstrack.cli", "worker"])
        stop = threading.Event()
        if not no_housekeeping:
            housekeeping.start(stop)  # automatic backups (RIGHTSTRACK_BACKUP_EVERY_HOURS), stalled readings
        self.stdout.write(f"RightsTrack at http://{host}:{port}/  (Ctrl+C stops it)", ending="\n")
        self.stdout.flush()
        try:
            serve(application, host=host, port=port, threads=threads, ident="RightsTrack")
        finally:
            stop.set()
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
