"""manage.py import_votes <conference-slug> <file.csv> [--score-map=-1=0,0=1,1=3] [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.ballots.domain.vote_import import score_map_parse, votes_parse
from apps.ballots.services.vote_import import votes_import
from apps.talks.models import Conference


class Command(BaseCommand):
    help = "Imports votes cast elsewhere (CSV: talk, voter, score[, timestamp]; e.g. a pretalx-public-voting export)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("conference")
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--score-map", default="", help="Map the scores in the file onto the scale, e.g. --score-map=-1=0,0=1,1=3"
        )
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, conference: str, file: Path, score_map: str, dry_run: bool, **options) -> None:
        target = Conference.objects.filter(slug=conference).first()
        if target is None:
            raise CommandError(f"No conference with the slug {conference!r}.")
        try:
            mapping = score_map_parse(score_map) if score_map else None
            content = file.read_bytes()
        except ValueError as exc:
            raise CommandError(f"--score-map: {exc}") from exc
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        parsed = votes_parse(content, scale=(target.scale_min, target.scale_max), score_map=mapping)
        report = votes_import(conference=target, parsed=parsed, dry_run=dry_run)
        for note in report.notes:
            self.stdout.write(f"  note: {note}")
        for problem in report.errors:
            self.stderr.write(f"  {problem}")
        if report.errors:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
