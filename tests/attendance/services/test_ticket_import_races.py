"""The same ticket list imported twice at the same moment (a double click on Import, or an import while
the pretix sync writes the same tickets), on PostgreSQL with real threads: each ticket is made once,
and neither import fails with a 500."""

import pytest

from apps.attendance import services
from apps.attendance.models import Ticket
from tests.attendance.services.test_tickets import GOOD
from tests.ballots.test_vote_races import run_together
from tests.factories import ConferenceFactory, TicketTypeFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]


def test_two_imports_of_new_tickets_at_once_make_each_ticket_once(postgres):
    conference = ConferenceFactory()
    TicketTypeFactory(conference=conference, name="Conference")
    TicketTypeFactory(conference=conference, name="Stream", may_vote=False)

    def import_good():
        return services.tickets_import_csv(conference=conference, data=GOOD.encode(), by=None, commit=True)

    results = run_together([import_good] * 4)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(r.created for r in results) == [0, 0, 0, 3]  # the first made them; the others found them
    assert Ticket.objects.filter(conference=conference).count() == 3
