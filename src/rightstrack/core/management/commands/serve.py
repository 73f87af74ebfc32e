import signal
import threading

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve RightsTrack with waitress and run (and supervise) the background-job worker beside it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--workers", type=int, default=1, help="job worker processes (default 1)")
        parser.add_argument("--no-worker", action="store_true", help="do not start the job worker")
        parser.add_argument(
            "--no-housekeeping", action="store_true", help="no automatic backups or stalled-reading checks"
        )

    def handle(
        self,
        *args,
        host: str,
        port: int,
        threads: int,
        workers: int,
        no_worker: bool,
        no_housekeeping: bool,
        **options,
    ) -> None:
        from waitress import serve

        from rightstrack.core import housekeeping
        from rightstrack.core.worker import Supervisor
        from rightstrack.wsgi import application

        if workers < 1:
            raise CommandError("--workers must be at least 1 (use --no-worker for none).")

        def stop_serving(signum, frame) -> None:
            # SIGTERM would otherwise end this process at once and leave the workers running alone;
            # waitress stops on SystemExit and the `finally` below stops the workers (a second SIGTERM must
            # not interrupt that).
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            raise SystemExit(0)

        signal.signal(signal.SIGTERM, stop_serving)
        supervisor = None
        if not no_worker:
            # Jobs (imports, ingestion, report builds) wait in the database; supervised worker processes run
            # them, each restarted when it dies.
            supervisor = Supervisor(workers)
            supervisor.start()
        stop = threading.Event()
        try:
            if not no_housekeeping:
                housekeeping.start(stop)  # automatic backups (RIGHTSTRACK_BACKUP_EVERY_HOURS), stalled readings
            self.stdout.write(f"RightsTrack at http://{host}:{port}/  (Ctrl+C stops it)", ending="\n")
            self.stdout.flush()
            serve(application, host=host, port=port, threads=threads, ident="RightsTrack")
        finally:
            stop.set()
            if supervisor is not None:
                supervisor.stop()
