"""manage.py verify_bulletin — recompute a bulletin board's hash chain and report where it breaks.

manage.py verify_bulletin board.json [--head <hex>]          # the public API's answer (or its pages)
manage.py verify_bulletin --conference <slug> [--head <hex>]  # the board as stored in this database
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.ballots.domain.bulletin import BoardCheck
from apps.ballots.domain.verify import bulletin_verify_export
from apps.ballots.models import TallySnapshot
from apps.ballots.selectors.bulletin import bulletin_check
from apps.talks.models import Conference
from confvote.json_text import json_loads


class Command(BaseCommand):
    help = (
        "Recomputes the published bulletin board's hash chain, from a file saved from the API or from this "
        "database, and reports the first entry where it breaks."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", nargs="?", type=Path, help="The API's bulletin answer, or a JSON list of its pages")
        parser.add_argument("--conference", help="Check the board stored in this database for this conference slug")
        parser.add_argument("--snapshot", type=int, help="With --conference: this published snapshot, not the newest")
        parser.add_argument("--head", help="The head you wrote down at publication (default: the one published)")

    def handle(self, *args, file: Path | None, conference: str | None, snapshot: int | None, head: str | None, **opts):
        if (file is None) == (conference is None):
            raise CommandError("Give either a file or --conference <slug>.")
        check = self._from_file(file, head) if file is not None else self._from_database(conference, snapshot, head)
        if check.problem is not None:
            raise CommandError(
                f"The bulletin board's chain breaks at {check.problem} "
                f"({check.checked} entr{'y' if check.checked == 1 else 'ies'} before it check out)."
            )
        self.stdout.write(
            self.style.SUCCESS(f"The bulletin board's chain holds: {check.checked} entries, head {check.head}.")
        )

    def _from_file(self, file: Path, head: str | None) -> BoardCheck:
        try:
            return bulletin_verify_export(json_loads(file.read_text()), head=head)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise CommandError(f"{file} is not a bulletin board: {exc}") from exc

    def _from_database(self, slug: str, snapshot_id: int | None, head: str | None) -> BoardCheck:
        snapshots = TallySnapshot.objects.filter(conference__slug=slug, published_at__isnull=False)
        if snapshot_id is not None:
            snapshots = snapshots.filter(pk=snapshot_id)
        snapshot = snapshots.order_by("-published_at", "-id").first()
        if snapshot is None:
            if not Conference.objects.filter(slug=slug).exists():
                raise CommandError(f"No conference {slug!r}.")
            raise CommandError(f"No published tally{f' {snapshot_id}' if snapshot_id else ''} for {slug}.")
        try:
            return bulletin_check(snapshot=snapshot, head=head)
        except ValueError as exc:  # published before the chain
            raise CommandError(f"Tally {snapshot.pk}: {exc}") from exc
