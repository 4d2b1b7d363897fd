"""manage.py seed_demo [--scale small|medium|large] [--seed N] [--reset] [--today YYYY-MM-DD]"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from apps.talks.demo.load import ATTENDEE_PASSWORD, ORGANIZER_PASSWORD, demo_delete, demo_exists, demo_load
from apps.talks.demo.plan import ATTENDEE_EMAIL, ORGANIZER_EMAIL, SCALES, demo_plan


class Command(BaseCommand):
    help = "Builds a realistic, deterministic demo conference (idempotent: does nothing if it exists)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--reset", action="store_true", help="Delete the demo conference and accounts first.")
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="Anchor date (YYYY-MM-DD) for all demo dates; defaults to today, so voting is open now.",
        )
        parser.add_argument("--no-progress", action="store_true", help="Do not draw a progress bar.")

    def handle(self, *args, scale: str, seed: int, reset: bool, today, no_progress: bool, **options) -> None:
        if reset:
            demo_delete()
        if demo_exists():
            self.stdout.write("The demo conference already exists; nothing to do (use --reset to rebuild it).")
            self._print_logins()
            return
        plan = demo_plan(scale=scale, seed=seed, today=today or timezone.now().date())
        size = SCALES[scale]
        expected = len(plan.users) + len(plan.talks) + len(plan.tickets) + len(plan.pledger_indexes) + size.votes
        bar = tqdm(total=expected, unit="rows", disable=no_progress or None, desc="seeding", file=self.stderr)

        def progress(phase: str, rows: int) -> None:
            bar.set_description(phase)
            bar.update(rows)

        try:
            conference, n_votes = demo_load(plan, progress=progress)
        except Exception as exc:  # pragma: no cover - reported, the transaction rolled back
            raise CommandError(f"Seeding failed and nothing was written: {exc}") from exc
        finally:
            bar.close()
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded “{conference.name}” ({scale}, seed {seed}): {conference.talks.count()} talks, "
                f"{len(plan.users)} accounts, {len(plan.tickets)} tickets, {len(plan.pledger_indexes)} pledges, "
                f"{n_votes} votes."
            )
        )
        self._print_logins()

    def _print_logins(self) -> None:
        self.stdout.write("")
        self.stdout.write(
            f"  Organizer (admin): {ORGANIZER_EMAIL} / {ORGANIZER_PASSWORD}   http://127.0.0.1:8000/admin/"
        )
        self.stdout.write(f"  Attendee:          {ATTENDEE_EMAIL} / {ATTENDEE_PASSWORD}   http://127.0.0.1:8000/")
