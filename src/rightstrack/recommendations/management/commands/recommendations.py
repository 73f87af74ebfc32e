"""`rightstrack recommendations import PATH | export | classify --in CSV --out CSV | train [CSV] [DIR] | reindex`."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from rightstrack.core.errors import DomainError
from rightstrack.core.models import Organisation


class Command(BaseCommand):
    help = "Import, export, classify and train: recommendation follow-up from the command line."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import a UPR Info-style CSV or JSON file (idempotent, one transaction)")
        imp.add_argument("path")
        imp.add_argument("--user", required=True, help="username of an analyst, coordinator or admin")
        imp.add_argument("--organisation", help="organisation slug (default: the user's only one)")
        imp.add_argument("--confidentiality", default="internal", choices=["public", "internal", "restricted"])
        imp.add_argument("--dry-run", action="store_true", help="only print what would change")
        exp = sub.add_parser("export", help="export recommendations the user may see (CSV on stdout, or --out)")
        exp.add_argument("--user", required=True)
        exp.add_argument("--out", help="file to write (.csv or .xlsx); default stdout (CSV)")
        exp.add_argument("--q", default="", help="full-text search, as on the list page")
        cls = sub.add_parser("classify", help="add predicted_issues and predicted_action_category columns to a CSV")
        cls.add_argument("--in", dest="infile", required=True)
        cls.add_argument("--out", dest="outfile", required=True)
        trn = sub.add_parser("train", help="train the classifier (reproduces the shipped model)")
        trn.add_argument("csv", nargs="?", default=str(Path.cwd().parent / "shared/data/upr-info/recommendations.csv"))
        trn.add_argument("out_dir", nargs="?", default=None)
        sub.add_parser("reindex", help="rebuild the full-text search index")

    def handle(self, *args, action: str, **options) -> None:
        try:
            getattr(self, f"do_{action}")(**options)
        except DomainError as exc:
            raise CommandError(exc.message)

    def _user(self, username: str):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        return user

    def do_import(self, *, path: str, user: str, organisation: str | None, confidentiality: str, dry_run: bool, **_):
        from rightstrack.recommendations import importer

        actor = self._user(user)
        if organisation:
            org = Organisation.objects.filter(slug=organisation).first()
            if org is None:
                raise CommandError(f"No organisation {organisation!r}.")
        else:
            orgs = list(actor.memberships.values_list("organisation_id", flat=True))
            if len(orgs) != 1:
                raise CommandError("The user belongs to several organisations: give --organisation.")
            org = Organisation.objects.get(pk=orgs[0])
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No file {path}.")
        rows, _sha = importer.parse(file.read_bytes(), file.name)
        if dry_run:
            preview = importer.preview(actor, org, rows, confidentiality)
            self.stdout.write(" ".join(f"{k}={preview[k]}" for k in ("total", "create", "update", "unchanged")))
            return

        def tick(done: int, total: int) -> None:
            if sys.stderr.isatty():
                sys.stderr.write(f"\r{done}/{total}")

        summary = importer.apply(actor, org, rows, confidentiality=confidentiality, filename=file.name, progress=tick)
        self.stdout.write(
            f"rows={summary['total']} created={summary['create']} updated={summary['update']} "
            f"unchanged={summary['unchanged']} new_reviews={summary['new_reviews']}"
        )

    def do_export(self, *, user: str, out: str | None, q: str, **_):
        from rightstrack.core.exports import csv_bytes, xlsx_bytes
        from rightstrack.recommendations import queries

        actor = self._user(user)
        qs = queries.filtered(actor, queries.Filters(q=q))
        rows = queries.export_rows(actor, qs)
        if out and out.endswith(".xlsx"):
            Path(out).write_bytes(xlsx_bytes(queries.EXPORT_HEADERS, rows))
        elif out:
            Path(out).write_bytes(csv_bytes(queries.EXPORT_HEADERS, rows))
        else:
            self.stdout.write(csv_bytes(queries.EXPORT_HEADERS, rows).decode("utf-8-sig"), ending="")

    def do_classify(self, *, infile: str, outfile: str, **_):
        from rightstrack.core.exports import safe_cell
        from rightstrack.recommendations.classify import predict

        try:
            with open(infile, encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                fields = list(reader.fieldnames or [])
                rows = list(reader)
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {infile}: {exc}")
        if "text" not in fields:
            raise CommandError("The CSV needs a 'text' column.")
        for n, row in enumerate(rows, start=1):
            if not (row.get("text") or "").strip():
                raise CommandError(f"Row {n}: the text is empty.")
        predictions = predict([r["text"] for r in rows]) if rows else []
        with open(outfile, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=[*fields, "predicted_issues", "predicted_action_category"])
            writer.writeheader()
            for row, p in zip(rows, predictions, strict=True):
                # Cells echoed from the input are made formula-safe like every other export.
                writer.writerow(
                    {
                        **{k: safe_cell(v) for k, v in row.items()},
                        "predicted_issues": "|".join(p.themes),
                        "predicted_action_category": p.action_category,
                    }
                )
        self.stdout.write(f"classified {len(rows)} rows into {outfile}")

    def do_train(self, *, csv: str, out_dir: str | None, **_):
        from rightstrack.recommendations.classify import MODEL_DIR, train

        if not Path(csv).is_file():
            raise CommandError(f"No training CSV at {csv}.")
        summary = train(csv, out_dir or MODEL_DIR, log=lambda m: self.stderr.write(m))
        self.stdout.write(f"trained on {summary['rows']} rows in {summary['seconds']} s: {summary['files']}")

    def do_reindex(self, **_):
        from rightstrack.recommendations import search

        self.stdout.write(f"indexed {search.rebuild()} recommendations")
