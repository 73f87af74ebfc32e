import argparse
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run background jobs from the database queue, each in a child process with time and memory limits "
        "(`rightstrack serve` starts and supervises one for you)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--slot", type=int, default=None, help="worker slot to take (default: the first free one)")
        parser.add_argument(
            "--lock-wait", type=float, default=0.0, help="seconds to wait for a slot held by a stopping worker"
        )
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between looks at an empty queue")
        parser.add_argument("--max-jobs", type=int, default=None, help="stop after this many jobs")
        parser.add_argument(
            "--parent", type=int, default=None, help=argparse.SUPPRESS
        )  # the `serve` that started us: stop when it dies

    def handle(
        self,
        *args,
        slot: int | None,
        lock_wait: float,
        interval: float,
        max_jobs: int | None,
        parent: int | None,
        **options,
    ) -> None:
        from rightstrack.core.worker import Worker

        code = Worker(slot, interval=interval, lock_wait=lock_wait, parent_pid=parent, max_jobs=max_jobs).run()
        if code:
            sys.exit(code)
