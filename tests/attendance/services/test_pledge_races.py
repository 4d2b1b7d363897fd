"""Settlement run twice at the same moment, on PostgreSQL with real threads: every pledge is
settled once, with one state change and one email, and neither run fails."""

import pytest
from django.core import mail

from apps.attendance import services
from apps.attendance.models import Pledge, StateChange
from apps.talks.models import Conference
from tests.attendance.services.test_pledges import _pledger_wanting
from tests.ballots.test_vote_races import run_together
from tests.factories import ConferenceFactory, TalkFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]


def test_two_settlements_at_once_settle_each_pledge_once(postgres):
    conference = ConferenceFactory(status=Conference.Status.CLOSED)
    accepted, rejected = TalkFactory(conference=conference), TalkFactory(conference=conference)
    pledges = [_pledger_wanting(conference, [accepted if i % 2 else rejected]) for i in range(12)]
    mail.outbox = []

    def settle():
        return services.pledges_settle(conference=conference, accepted_talk_ids=[accepted.pk])

    results = run_together([settle, settle, settle])
    assert not [r for r in results if isinstance(r, Exception)], results
    totals = {kind: sum(r[kind] for r in results) for kind in ("triggered", "released", "fulfilled")}
    assert totals == {"triggered": 6, "released": 6, "fulfilled": 0}
    statuses = sorted(Pledge.objects.filter(pk__in=[p.pk for p in pledges]).values_list("status", flat=True))
    assert statuses == ["released"] * 6 + ["triggered"] * 6
    for pledge in pledges:
        assert StateChange.objects.filter(pledge=pledge).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.user.email for p in pledges)
