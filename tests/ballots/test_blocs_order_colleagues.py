"""Round 9 (docs/blocs.md): a company booking voting on its own speaker's talk is colleagues of the
speaker, tested in the order test's colleague family, so that honest loyalty does not count among the
order signal's discoveries and lower the bar for every other order (rule key `order_colleagues`)."""

import random

import pytest

from apps.ballots.domain.blocs import bloc_discounts, blocs_detect
from apps.ballots.domain.blocs_input import BlocRule, TalkFacts
from apps.ballots.domain.blocs_organisations import orders_of_speakers, organisations_build
from tests.ballots.test_blocs import _blocs_on, _normal_ballot
from tests.ballots.test_blocs_cases import DAY, START, Case

ONLY_ORDERS = {"signals": ["order"]}
COMPANIES = {5: "Initech", 6: "Globex", 8: "Umbrella"}


def _bookings_and_club(club_top: int = 4):
    """Three company bookings of six, two of each giving their company in the ticket form and four
    voting from free mail, each give their own company's speaker's talk (5, 6, 8) the top score; the
    first `club_top` of the seven friends on order CLUB give talk 9 the top score. Every ballot is
    otherwise an ordinary one."""
    case, rng = Case(), random.Random(1)
    v = 1000
    for talk, company in COMPANIES.items():
        case.talks[talk] = TalkFacts(talk_id=talk, speaker_companies=(company,))
        for i in range(6):
            v += 1
            case.add_voter(v, order=company.upper(), company=company if i < 2 else None)
            _normal_ballot(case, v, rng, skip=talk)
            case.vote(v, talk, 3, START + rng.randrange(10 * DAY))
    for i in range(7):
        v += 1
        case.add_voter(v, order="CLUB")
        _normal_ballot(case, v, rng, skip=9)
        if i < club_top:
            case.vote(v, 9, 3, START + rng.randrange(10 * DAY))
    return case.build()


def test_a_booking_belongs_to_the_organisation_of_most_of_its_voters():
    data = _bookings_and_club()
    orgs = organisations_build(data)
    pairs, org_of_order = orders_of_speakers(orgs.voter_org, data.voter_order, orgs.speaker_pairs)
    named = {data.order_labels[o]: (orgs.labels[g] if g >= 0 else None) for o, g in enumerate(org_of_order.tolist())}
    assert named == {"CLUB": None, "GLOBEX": "globex", "INITECH": "initech", "UMBRELLA": "umbrella"}
    rows = {(int(data.talk_ids[t]), data.order_labels[o]) for t, o in pairs}
    assert rows == {(5, "INITECH"), (6, "GLOBEX"), (8, "UMBRELLA")}


def test_a_company_booking_on_its_own_speakers_talk_is_colleagues_and_not_an_order_discovery():
    data = _bookings_and_club()
    for talk, company in COMPANIES.items():
        (bloc,) = _blocs_on(blocs_detect(data, BlocRule.from_json(ONLY_ORDERS)), talk)
        assert bloc.signals == ("colleagues",) and bloc.size == 6
        assert bloc.evidence[0].sentence.startswith(
            f"6 of the 6 voters on ticket order {company.upper()}, a booking of {company.lower()}, the speaker's "
            "organisation, give this talk the top score"
        )
        discounts = bloc_discounts((bloc,), BlocRule())
        assert "a group of 6 colleagues of the speaker who rated it up together" in discounts.reasons[0]
        (old,) = _blocs_on(blocs_detect(data, BlocRule.from_json({**ONLY_ORDERS, "order_colleagues": False})), talk)
        assert old.signals == ("order",) and old.size == 6


def test_loyal_bookings_no_longer_lower_the_bar_for_another_order():
    """Four of the seven friends on CLUB give talk 9 the top score: p about 1.7e-4 against about 140
    order tests, so the first bar is about 7e-5. With the three loyal bookings counted as order
    discoveries (before round 9) CLUB meets the fourth step (about 2.8e-4) and is a bloc; counted as
    colleagues, CLUB is the order signal's only candidate and needs the first bar. The tests counted are
    the pairs voted on (`test_count: voted`, the count before round 16)."""
    data = _bookings_and_club()
    only_orders = {**ONLY_ORDERS, "test_count": "voted"}
    before = blocs_detect(data, BlocRule.from_json({**only_orders, "order_colleagues": False})).blocs
    assert [(b.talk_id, b.signals) for b in before] == [
        (5, ("order",)),
        (6, ("order",)),
        (8, ("order",)),
        (9, ("order",)),
    ]
    club = _blocs_on(blocs_detect(data, BlocRule.from_json({**only_orders, "order_colleagues": False})), 9)[0]
    assert 7e-5 < club.p_value < 2.8e-4
    after = blocs_detect(data, BlocRule.from_json(only_orders)).blocs
    assert [(b.talk_id, b.signals) for b in after] == [(5, ("colleagues",)), (6, ("colleagues",)), (8, ("colleagues",))]


def test_a_ring_on_a_booking_for_another_companys_talk_is_still_an_order_finding():
    """Five of Globex's booking give Initech's talk 9 the top score (not their own speaker's talk), and
    all six of CLUB push talk 11: both remain order findings with the order's sentence."""
    case, rng = Case(), random.Random(4)
    case.talks[9] = TalkFacts(talk_id=9, speaker_companies=("Initech",))
    case.talks[6] = TalkFacts(talk_id=6, speaker_companies=("Globex",))
    for i in range(8):
        v = 3001 + i
        case.add_voter(v, order="GLOBEX-2", company="Globex" if i < 3 else None)
        _normal_ballot(case, v, rng, skip=9)
        if i < 5:
            case.vote(v, 9, 3, START + rng.randrange(10 * DAY))
    for i in range(6):
        v = 4001 + i
        case.add_voter(v, order="RING")
        _normal_ballot(case, v, rng, skip=11)
        case.vote(v, 11, 3, START + rng.randrange(10 * DAY))
    data = case.build()
    report = blocs_detect(data, BlocRule.from_json(ONLY_ORDERS))
    (rivals,) = _blocs_on(report, 9)
    assert rivals.signals == ("order",) and rivals.member_ids == tuple(range(3001, 3006))
    assert rivals.evidence[0].sentence.startswith("5 of the 8 voters on ticket order GLOBEX-2 give this talk")
    (ring,) = _blocs_on(report, 11)
    assert ring.signals == ("order",) and ring.size == 6
    # The same blocs as before round 9; only the order family's size (and so each bloc's strength)
    # changes, because GLOBEX-2's votes on Globex's talk 6 are now among the colleague tests.
    before = blocs_detect(data, BlocRule.from_json({**ONLY_ORDERS, "order_colleagues": False}))
    assert [(b.key, b.evidence) for b in report.blocs] == [(b.key, b.evidence) for b in before.blocs]


def test_order_colleagues_is_validated_and_kept_in_the_rule():
    assert BlocRule().order_colleagues is True
    assert BlocRule.from_json({"order_colleagues": False}).to_json()["order_colleagues"] is False
    with pytest.raises(ValueError, match="order_colleagues must be true or false"):
        BlocRule.from_json({"order_colleagues": "yes"})
