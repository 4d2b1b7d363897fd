"""manage.py import_tickets <conference-slug> <file.csv> [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.attendance.services.tickets import tickets_import_csv
from apps.talks.models import Conference


class Command(BaseCommand):
    help = "Imports a ticket list from CSV, all or nothing (the same file format as the admin's ticket import)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("conference")
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")

    def handle(self, *args, conference: str, file: Path, dry_run: bool, **options) -> None:
        target = Conference.objects.filter(slug=conference).first()
        if target is None:
            raise CommandError(f"No conference with the slug {conference!r}.")
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        report = tickets_import_csv(conference=target, data=data, by=None, commit=not dry_run)
        for error in report.errors:
            self.stderr.write(f"  line {error.line}: {error.message}" if error.line else f"  {error.message}")
        if report.errors:
            raise CommandError(f"Nothing was imported: {len(report.errors)} problem(s) to fix first.")
        figures = ", ".join(f"{k} {v}" for k, v in report.as_dict().items() if k != "errors")
        self.stdout.write(self.style.SUCCESS(f"{'Would import' if dry_run else 'Imported'} tickets: {figures}."))
