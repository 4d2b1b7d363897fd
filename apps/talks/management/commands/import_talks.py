"""manage.py import_talks <conference-slug> <file> [--format ...] [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.talks.domain.talk_import import KINDS, talks_parse
from apps.talks.importing import talks_import
from apps.talks.models import Conference


class Command(BaseCommand):
    help = "Imports talk proposals from CSV, JSON, a pretalx submissions export or a pretalx schedule.json."

    def add_arguments(self, parser) -> None:
        parser.add_argument("conference", help="The conference's slug.")
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=KINDS, default="auto", dest="kind")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")

    def handle(self, *args, conference: str, file: Path, kind: str, dry_run: bool, **options) -> None:
        target = Conference.objects.filter(slug=conference).first()
        if target is None:
            raise CommandError(f"No conference with the slug {conference!r}.")
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        report = talks_import(
            conference=target, parsed=talks_parse(content, kind=kind, filename=file.name), dry_run=dry_run
        )
        for note in report.notes:
            self.stdout.write(f"  note: {note}")
        for problem in report.errors:
            self.stderr.write(f"  {problem}")
        if report.errors:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
