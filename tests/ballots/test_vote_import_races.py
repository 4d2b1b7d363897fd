"""Vote imports for different conferences at the same moment, on PostgreSQL with real threads: each
locks only its own conference, so both may make the account of the same new voter. The account is made
once, and every import writes its votes (it failed with an IntegrityError, a 500 in the admin)."""

import pytest

from apps.attendance.models import User
from apps.ballots.domain.vote_import import votes_parse
from apps.ballots.models import Vote
from apps.ballots.services.vote_import import votes_import
from tests.ballots.test_vote_races import run_together
from tests.factories import ConferenceFactory, TalkFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]

VOTERS = [f"new{i}@example.org" for i in range(8)] + ["opaque-7f3a"]  # an opaque id is one account too


def test_imports_for_other_conferences_making_the_same_new_voters_make_each_account_once(postgres):
    conferences = [ConferenceFactory() for _ in range(4)]
    for conference in conferences:
        TalkFactory(conference=conference, external_id="T1")
    text = "Code,Voter,Timestamp,Score\n" + "".join(f"T1,{voter},,1\n" for voter in VOTERS)

    def importer(conference):
        parsed = votes_parse(text, scale=(conference.scale_min, conference.scale_max))
        return lambda: votes_import(conference=conference, parsed=parsed, dry_run=False)

    reports = run_together([importer(c) for c in conferences])
    assert not [r for r in reports if isinstance(r, Exception)], reports
    assert [r.errors for r in reports] == [[]] * 4
    assert [r.created for r in reports] == [len(VOTERS)] * 4
    assert sum(r.accounts_created for r in reports) == len(VOTERS)  # whoever came first made each account
    assert User.objects.count() == len(VOTERS)
    assert Vote.objects.count() == 4 * len(VOTERS)
