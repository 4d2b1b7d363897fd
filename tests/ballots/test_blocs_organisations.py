"""Organisations: a company field and a work email domain that name one employer are one group, and
a company's group booking brings in its members who gave neither."""

import random

import numpy as np
import pytest

from apps.ballots.domain.blocs import blocs_detect
from apps.ballots.domain.blocs_input import BlocRule, TalkFacts
from apps.ballots.domain.blocs_organisations import organisations_build
from tests.ballots.test_blocs import _normal_ballot
from tests.ballots.test_blocs_cases import DAY, START, Case


def _org_of(data, orgs, voter_id: int) -> str | None:
    code = orgs.voter_org[np.searchsorted(data.voter_ids, voter_id)]
    return orgs.labels[code] if code >= 0 else None


def test_a_company_and_the_domain_its_voters_pair_it_with_are_one_organisation():
    case = Case(n_voters=20)
    for v in (1001, 1002, 1003):
        case.add_voter(v, domain="initech.example", company="Initech")
    case.add_voter(1004, company="Initech")  # private address
    case.add_voter(1005, domain="initech.example")  # no company given
    for v in (2001, 2002, 2003):
        case.add_voter(v, domain="globex.example", company="Globex")
    case.add_voter(2004, domain="initech.example", company="Globex")  # one stray pairing links nothing
    for v in range(1001, 1006):
        case.vote(v, 1, 2, START)
    for v in range(2001, 2005):
        case.vote(v, 2, 2, START)
    data = case.build()
    orgs = organisations_build(data)
    assert orgs.labels == ("globex (globex.example)", "initech (initech.example)")
    assert {_org_of(data, orgs, v) for v in (1001, 1004, 1005)} == {"initech (initech.example)"}
    assert _org_of(data, orgs, 2004) == "globex (globex.example)"  # by the company field, which comes first
    assert _org_of(data, orgs, 1) is None  # free mail, no company


def test_a_company_booking_brings_in_its_members_who_gave_no_company():
    case = Case(n_voters=20)
    case.add_voter(1001, company="Acme", order="ACME-1")
    case.add_voter(1002, domain="acme.example", company="Acme", order="ACME-1")
    case.add_voter(1003, order="ACME-1")  # on the company's booking, free mail, no company
    case.add_voter(1004, company="Acme", order="MIXED")
    case.add_voter(1005, company="Globex", order="MIXED")
    case.add_voter(1006, order="MIXED")  # the booking has no majority: stays unknown
    case.add_voter(1007, company="Acme", order="PAIR")
    case.add_voter(1008, order="PAIR")  # one known member is not enough
    for v in range(1001, 1009):
        case.vote(v, 1, 2, START)
    data = case.build()
    orgs = organisations_build(data)
    assert _org_of(data, orgs, 1003) == "acme (acme.example)"
    assert _org_of(data, orgs, 1006) is None
    assert _org_of(data, orgs, 1008) is None


def test_colleagues_split_between_company_field_and_domain_are_found_only_as_one_organisation():
    def detect(organisations: bool):
        case, rng = Case(), random.Random(11)
        case.talks[7] = TalkFacts(talk_id=7, speaker_email_domains=("initech.example",), speaker_companies=("Initech",))
        case.add_voter(1001, company="Initech")
        case.add_voter(1002, domain="initech.example")
        case.add_voter(1003, domain="initech.example", company="Initech")
        for v in (1001, 1002, 1003):
            _normal_ballot(case, v, rng, skip=7)
            case.vote(v, 7, 3, START + rng.randrange(10 * DAY))
        return [b for b in blocs_detect(case.build(), BlocRule(organisations=organisations)).blocs if b.talk_id == 7]

    assert detect(organisations=False) == []  # two of the company, two of the domain: below 3 each
    (bloc,) = detect(organisations=True)
    assert bloc.colleagues_of_speaker and bloc.member_ids == (1001, 1002, 1003)
    assert bloc.evidence[0].sentence.startswith(
        "3 of the 3 voters from initech (initech.example), the speaker's organisation, give this talk the top score"
    )


def test_the_organisations_switch_is_part_of_the_stored_rule():
    assert BlocRule().to_json()["organisations"] is True
    assert BlocRule.from_json({"organisations": False}).organisations is False
    with pytest.raises(ValueError, match="organisations must be true or false"):
        BlocRule.from_json({"organisations": "yes"})


def test_a_company_field_naming_no_domain_gives_way_to_a_shared_work_address():
    case = Case(n_voters=20)
    for v in (1001, 1002, 1003):
        case.add_voter(v, domain="tuwien.example", company="TU Wien")
    for v in (1004, 1005, 1006):
        case.add_voter(v, domain="tuwien.example", company="Technische Universität Wien")
    case.add_voter(1007, domain="tuwien.example")
    for v in (2001, 2002, 2003):
        case.add_voter(v, domain="globex.example", company="Globex")
    case.add_voter(2004, domain="tuwien.example", company="Globex")  # a linked company still decides
    for v in (3001, 3002):  # addresses nobody shares: the field decides, though it names no domain
        case.add_voter(v, domain=f"home{v}.example", company="Initech")
    for v in (*range(1001, 1008), *range(2001, 2005), 3001, 3002):
        case.vote(v, 1, 2, START)
    data = case.build()
    orgs = organisations_build(data)
    # Neither spelling has most of the domain's voters, so no company is linked to it: the address decides.
    assert {_org_of(data, orgs, v) for v in range(1001, 1008)} == {"tuwien.example"}
    assert _org_of(data, orgs, 2004) == "globex (globex.example)"
    assert _org_of(data, orgs, 3001) == _org_of(data, orgs, 3002) == "initech"
