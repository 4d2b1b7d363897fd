"""manage.py api_token_create <conference-slug> <organizer-email> <name>"""

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from apps.attendance.models import User
from apps.talks.models import Conference
from apps.talks.services import api_token_create


class Command(BaseCommand):
    help = "Creates an organizer API token for one conference and prints its key (shown only once)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("conference")
        parser.add_argument("email")
        parser.add_argument("name", help="What the token is for.")

    def handle(self, *args, conference: str, email: str, name: str, **options) -> None:
        target = Conference.objects.filter(slug=conference).first()
        user = User.objects.filter(email__iexact=email).first()
        if target is None:
            raise CommandError(f"No conference with the slug {conference!r}.")
        if user is None:
            raise CommandError(f"No account with the email {email!r}.")
        try:
            _, key = api_token_create(conference=target, user=user, name=name)
        except (PermissionDenied, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(key)
