"""A member's receipt says how their group is linked to the speaker (docs/blocs.md, decision 3): "colleagues of the
speaker" on an exact link (the speaker's own address's domain, or a declared organisation), and, for a group the
default rule takes for the speaker's organisation only by inference (`speaker_links: registrable`: a student
subdomain of the speaker's university), words that say so. Both through the stored blocs, the receipts page and the
reasons publishing records; neither names another voter."""

import datetime as dt
import random

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.ballots.domain.blocs import INFERRED_COLLEAGUE_WORDS, bloc_member_sentence
from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.models import Bloc
from apps.ballots.selectors.blocs import stored_bloc_as_found, stored_bloc_sentence
from apps.ballots.selectors.report import tally_report
from apps.ballots.services.blocs import bloc_discount_mappings, tally_publish_with_blocs, tally_with_blocs
from apps.ballots.services.policies import weight_policy_ensure, weight_policy_revise
from tests.factories import (
    ConferenceFactory,
    SpeakerFactory,
    TalkFactory,
    TicketClaimFactory,
    TicketTypeFactory,
    VoteFactory,
)

pytestmark = pytest.mark.django_db

GROUP = 8


def _lecture_and_a_company_talk():
    """Talk "Lecture" is given by a speaker writing from emberforge.edu and "Initech day" by one writing from
    initech.example. Eight students on student.emberforge.edu give the lecture the top score, and eight Initech
    staff give their speaker's talk the top score; 120 voters on free mail rate five of twenty talks each at
    random (a quarter of them the lecture or Initech's talk too)."""
    rng = random.Random(39)
    conference = ConferenceFactory()
    ticket_type = TicketTypeFactory(conference=conference, may_vote=True)
    talks = [TalkFactory(conference=conference, title=f"Talk {i}") for i in range(18)]
    lecture = TalkFactory(
        conference=conference,
        title="Lecture",
        speakers=[SpeakerFactory(conference=conference, email="ada@emberforge.edu", company="")],
    )
    initech = TalkFactory(
        conference=conference,
        title="Initech day",
        speakers=[SpeakerFactory(conference=conference, email="bob@initech.example", company="")],
    )
    weight_policy_ensure(conference=conference)
    # The default rule (wider links judged as before the link), with the organisation tests alone.
    weight_policy_revise(conference=conference, bloc_rule={**BlocRule().to_json(), "signals": ["affiliation"]})
    start = timezone.now() - dt.timedelta(days=20)

    def voter(email: str, pushed=None):
        ticket = {"ticket__conference": conference, "ticket__ticket_type": ticket_type, "ticket__holder_email": email}
        user = TicketClaimFactory(user__email=email, **ticket).user
        for talk in rng.sample(talks, 5):
            at = start + dt.timedelta(seconds=rng.randrange(10 * 86_400))
            VoteFactory(user=user, talk=talk, score=rng.choice([0, 1, 1, 2, 2, 3]), created_at=at)
        if pushed is not None:
            VoteFactory(user=user, talk=pushed, score=3, created_at=start + dt.timedelta(seconds=rng.randrange(86_400)))
        return user

    for i in range(120):
        user = voter(f"fan{i}@gmail.com")
        if i % 4 == 0:
            at = start + dt.timedelta(seconds=rng.randrange(10 * 86_400))
            VoteFactory(user=user, talk=rng.choice([lecture, initech]), score=rng.choice([0, 1, 2, 3]), created_at=at)
    students = [voter(f"student{i}@student.emberforge.edu", lecture) for i in range(GROUP)]
    staff = [voter(f"staff{i}@initech.example", initech) for i in range(GROUP)]
    return conference, lecture, initech, students, staff


def _bloc_on(conference, talk) -> Bloc:
    (bloc,) = Bloc.objects.filter(conference=conference, talk=talk, present=True, direction="support")
    return bloc


def test_an_inferred_link_reads_as_such_on_the_receipt_and_an_exact_link_as_colleagues(client):
    conference, lecture, initech, students, staff = _lecture_and_a_company_talk()
    tally_with_blocs(conference=conference)
    inferred, exact = _bloc_on(conference, lecture), _bloc_on(conference, initech)
    # Both are reported as the speaker's organisation; the evidence of the lecture's says how it was linked.
    assert "colleagues" in inferred.signals and "colleagues" in exact.signals
    assert (inferred.speaker_link, exact.speaker_link) == ("inferred", "exact")
    assert any("student.emberforge.edu is under emberforge.edu" in e["sentence"] for e in inferred.evidence)
    assert set(inferred.members.all()) <= set(students) and set(exact.members.all()) <= set(staff)
    assert 0 < inferred.multiplier < 1 and 0 < exact.multiplier < 1

    url = reverse("ballots:receipts", args=[conference.slug])
    student = next(iter(inferred.members.all()))
    client.force_login(student)
    page = client.get(url).content.decode()
    assert "Votes counted at a reduced weight" in page and "Lecture" in page
    assert f"counted at {inferred.multiplier:.2f} of its weight" in page
    assert f"part of a group of {inferred.size} people from one organisation (taken to be the speaker&#x27;s" in page
    assert "from a similar name or email domain) who rated it up together" in page
    assert "colleagues of the speaker" not in page
    assert not any(u.email in page or u.email.split("@")[0] in page for u in students + staff if u != student)

    member = next(iter(exact.members.all()))
    client.force_login(member)
    page = client.get(url).content.decode()
    assert f"part of a group of {exact.size} colleagues of the speaker who rated it up together" in page
    assert "taken to be the speaker" not in page
    assert not any(u.email in page or u.email.split("@")[0] in page for u in students + staff if u != member)

    # The reasons publishing hands to the tally are the same words, one per member's discounted vote.
    _, reasons = bloc_discount_mappings(conference=conference)
    assert reasons[(student.pk, lecture.pk)] == stored_bloc_sentence(inferred)
    assert INFERRED_COLLEAGUE_WORDS in reasons[(student.pk, lecture.pk)]
    assert f"{exact.size} colleagues of the speaker" in reasons[(member.pk, initech.pk)]
    # ... and the published tally's breakdown gives them beside each talk (the snapshot the detection stored is
    # the one published: it must carry them).
    rows = {row.talk_id: row for row in tally_report(snapshot=tally_publish_with_blocs(conference=conference))["rows"]}
    assert rows[lecture.pk].discount_reasons == [stored_bloc_sentence(inferred)]
    assert rows[initech.pk].discount_reasons == [stored_bloc_sentence(exact)]


def test_the_stored_bloc_keeps_its_link_and_a_mixed_group_names_both():
    conference, lecture, _, _, _ = _lecture_and_a_company_talk()
    tally_with_blocs(conference=conference)
    bloc = _bloc_on(conference, lecture)
    assert stored_bloc_as_found(Bloc.objects.prefetch_related("members", "spared").get(pk=bloc.pk)).speaker_link == (
        "inferred"
    )
    sentence = {
        link: bloc_member_sentence(
            size=9, signals=("burst", "colleagues"), direction="support", multiplier=0.5, speaker_link=link
        )
        for link in ("", "exact", "inferred", "mixed")
    }
    assert sentence[""] == sentence["exact"]  # blocs stored before the field keep their words
    assert "group of 9 colleagues of the speaker who" in sentence["exact"]
    assert f"group of 9 {INFERRED_COLLEAGUE_WORDS} who" in sentence["inferred"]
    assert (
        "group of 9 colleagues of the speaker and people from an organisation taken to be the speaker's"
        in (sentence["mixed"])
    )
    # A group that is no colleague group keeps its own words, whatever the field says.
    assert "people from one organisation who" in bloc_member_sentence(
        size=9, signals=("affiliation",), direction="support", multiplier=0.5, speaker_link="inferred"
    )


@pytest.mark.django_db(transaction=True)
def test_the_migration_reads_stored_blocs_links_from_their_evidence():
    """0039 fills in `speaker_link` for blocs stored before it: a colleague sentence names an inferred link in
    brackets after "the speaker's organisation" (rounds 33 and 39); an exact one does not."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("ballots", "0038_anonymised_ballots_document")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("ballots", "Bloc")
    talk = TalkFactory()
    now = timezone.now()

    def stored(key: str, evidence: list[tuple[str, str]]) -> int:
        return old.objects.create(
            conference_id=talk.conference_id,
            talk_id=talk.pk,
            key=key,
            direction="support",
            size=6,
            weight=6.0,
            fair_share=0.1,
            counts_as=1.6,
            multiplier=0.27,
            signals=sorted({s for s, _ in evidence}),
            evidence=[{"signal": s, "sentence": text} for s, text in evidence],
            p_value=1e-9,
            first_detected_at=now,
            last_detected_at=now,
        ).pk

    exact = ("colleagues", "6 of the 8 voters from initech.example, the speaker's organisation, rate this talk up")
    inferred = (
        "colleagues",
        "6 of the 8 voters from student.emberforge.edu, the speaker's organisation (student.emberforge.edu is under "
        "emberforge.edu, the speaker's address), rate this talk up",
    )
    burst = ("burst", "9 votes rating it up in 2 hours from 2026-05-01 10:00 UTC")
    keys = {
        "exact": stored("a", [exact, burst]),
        "inferred": stored("b", [inferred]),
        "mixed": stored("c", [exact, inferred]),
        "": stored("d", [burst]),
    }
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert {link: Bloc.objects.get(pk=pk).speaker_link for link, pk in keys.items()} == {k: k for k in keys}
