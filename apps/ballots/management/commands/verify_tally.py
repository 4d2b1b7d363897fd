"""manage.py verify_tally <anonymised-ballots.json> — recompute a published tally from its public export."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.ballots.domain.verify import tally_verify
from confvote.json_text import json_loads


class Command(BaseCommand):
    help = "Recomputes the published tally from the anonymised ballots export alone and reports any difference."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="The export from /c/<slug>/anonymised-ballots.json")

    def handle(self, *args, file: Path, **options) -> None:
        try:
            export = json_loads(file.read_text())
            checked, differences = tally_verify(export)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise CommandError(f"{file} is not a valid export: {exc}") from exc
        for difference in differences:
            self.stderr.write(f"  {difference}")
        if differences:
            raise CommandError(f"The published tally does not match these ballots: {len(differences)} difference(s).")
        self.stdout.write(self.style.SUCCESS(f"The published tally matches the ballots: {checked} talks checked."))
