import subprocess
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve RightsTrack with waitress and run the background-job worker beside it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-worker", action="store_true", help="do not start the job worker")

    def handle(self, *args, host: str, port: int, threads: int, no_worker: bool, **options) -> None:
        from waitress import serve

        from rightstrack.wsgi import application

        worker = None
        if not no_worker:
            # Jobs (imports, ingestion, report builds) wait in the database; one worker process runs them.
            worker = subprocess.Popen([sys.executable, "-m", "rightstrack.cli", "worker"])
        self.stdout.write(f"RightsTrack at http://{host}:{port}/  (Ctrl+C stops it)", ending="\n")
        self.stdout.flush()
        try:
            serve(application, host=host, port=port, threads=threads, ident="RightsTrack")
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
