"""Settle a conference's pledges from the command line (publication does this by itself)."""

from django.core.management.base import BaseCommand, CommandError

from apps.attendance import selectors, services
from apps.talks.models import Conference, Talk


class Command(BaseCommand):
    help = (
        "Settles every active pledge of a conference against its accepted talks (talks whose status is "
        "“accepted”, or --talks). Idempotent. With --dry-run, prints the forecast and writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("conference", help="The conference's slug.")
        parser.add_argument("--talks", help="Comma-separated ids of the accepted talks, instead of their status.")
        parser.add_argument("--dry-run", action="store_true", help="Only say what settling would do.")

    def handle(self, *args, conference: str, talks: str | None, dry_run: bool, **options):
        found = Conference.objects.filter(slug=conference).first()
        if found is None:
            raise CommandError(f"No conference with the slug “{conference}”.")
        if talks:
            try:
                accepted = sorted({int(part) for part in talks.split(",") if part.strip()})
            except ValueError as exc:
                raise CommandError("--talks takes talk ids separated by commas, e.g. --talks 3,5,8") from exc
        else:
            accepted = list(found.talks.filter(status=Talk.Status.ACCEPTED).values_list("id", flat=True))
        if not accepted:
            raise CommandError("No accepted talks: settling now would release every pledge. Give --talks.")
        if dry_run:
            forecast = selectors.pledges_forecast(conference=found, accepted_talk_ids=accepted)
            self.stdout.write(
                f"{forecast['active']} active pledges: {forecast['triggered']} would be triggered, "
                f"{forecast['released']} released ({forecast['no_wanted_talks']} wanted no talk). Nothing written."
            )
            return
        counts = services.pledges_settle(conference=found, accepted_talk_ids=accepted)
        self.stdout.write(
            f"Settled against {len(accepted)} accepted talks: {counts['triggered']} triggered, "
            f"{counts['released']} released, {counts['fulfilled']} already held a ticket."
        )
