"""``rightstrack extract PATH [--json]``: run the ingestion pipeline on one file and print the result.

Needs no database: the pipeline is pure Python, so the command can run before ``migrate``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rightstrack.ingest.errors import IngestError
from rightstrack.ingest.pipeline import extract


class Command(BaseCommand):
    help = "Extract passages, document symbols, UPR IDs, recommendations and figures from a document."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="PDF, DOCX, HTML, TXT/Markdown file, or a scanned image")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--max-pages", type=int, default=2000, help="refuse longer documents (default 2000)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            result = extract(path, max_pages=options["max_pages"])
        except IngestError as exc:
            # One line on stderr and a non-zero exit: scripts and the upload view rely on it.
            sys.stderr.write(f"extract: {path.name}: {exc}\n")
            sys.exit(2)
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self.stdout.write(f"{result['title']}  [{result['language']}]")
        self.stdout.write(
            f"{len(result['passages'])} passages, {len(result['recommendations'])} recommendations, "
            f"{len(result['figures'])} figures"
        )
        if result["symbols"]:
            self.stdout.write("symbols: " + ", ".join(result["symbols"]))
        if result["upr_ids"]:
            self.stdout.write("UPR IDs: " + ", ".join(result["upr_ids"]))
