"""A company is one company however it is spelled ("Initech GmbH", "INITECH", "initech, inc."), and a
speaker's company names the email domain registered under it: voters have no company field, so that
is how a speaker who writes from a free-mail address is linked to the colleagues voting for them."""

import random

import pytest

from apps.ballots.domain.blocs import blocs_detect
from apps.ballots.domain.blocs_input import TalkFacts, company_key, company_normalize, domain_key
from tests.ballots.test_blocs import _normal_ballot
from tests.ballots.test_blocs_cases import DAY, START, Case


@pytest.mark.parametrize(
    ("name", "normalised"),
    [
        ("Initech GmbH", "initech"),
        ("INITECH", "initech"),
        ("initech, inc.", "initech"),
        ("Initech B.V.", "initech"),
        ("Initech GmbH & Co. KG", "initech"),
        ("Förderverein e.V.", "förderverein"),
        ("Red Hat, Inc.", "red hat"),
        ("Johnson & Johnson", "johnson & johnson"),  # '&' inside a name stays
        ("AG", "ag"),  # a name that is only a legal form is kept
        ("  Company   3 ", "company 3"),
        (None, ""),
    ],
)
def test_company_names_are_compared_without_case_punctuation_or_legal_form(name, normalised):
    assert company_normalize(name) == normalised


def test_a_company_is_matched_to_a_domain_by_its_name_without_spaces_or_symbols():
    assert company_key("Red Hat, Inc.") == domain_key("red-hat.com") == "redhat"
    assert company_key("Initech GmbH") == domain_key("initech.de") == "initech"
    assert company_key("Globex") != domain_key("initech.de")


@pytest.mark.parametrize(
    ("domain", "key"),
    [
        ("initech.com", "initech"),
        ("mail.initech.co.uk", "initech"),  # a two-label public suffix
        ("red-hat.com", "redhat"),
        ("initech.example", "initech"),  # a suffix the public list does not know: the label before the last
        ("cs.ox.ac.uk", "ox"),
    ],
)
def test_a_domain_is_known_by_the_name_registered_under_its_public_suffix(domain, key):
    assert domain_key(domain) == key


def _company_crowd(speaker_company: str, *, voter_company: str | None = None, domain: str = "initech.com"):
    """Six voters of one company rate talk 7 (whose speaker writes from free mail) at the top score,
    ballots otherwise normal and spread over ten days."""
    case, rng = Case(), random.Random(5)
    case.talks[7] = TalkFacts(
        talk_id=7, speaker_email_domains=("freemail.example",), speaker_companies=(speaker_company,)
    )
    for v in range(1001, 1007):
        case.add_voter(v, domain=domain, company=voter_company)
        _normal_ballot(case, v, rng, skip=7)
        case.vote(v, 7, 3, START + rng.randrange(10 * DAY))
    return [b for b in blocs_detect(case.build()).blocs if b.talk_id == 7]


def test_a_speakers_company_field_makes_voters_of_its_domain_the_speakers_colleagues():
    (bloc,) = _company_crowd("Initech GmbH")
    assert bloc.colleagues_of_speaker
    assert bloc.member_ids == tuple(range(1001, 1007))
    assert "the speaker's organisation" in bloc.evidence[0].sentence


def test_another_companys_speaker_leaves_the_same_crowd_an_affiliation_bloc():
    (bloc,) = _company_crowd("Globex GmbH")
    assert not bloc.colleagues_of_speaker
    assert "the speaker's organisation" not in bloc.evidence[0].sentence


def test_company_fields_spelled_differently_are_one_company():
    (bloc,) = _company_crowd("Initech GmbH", voter_company="INITECH, Inc.", domain="freemail.example")
    assert bloc.colleagues_of_speaker
    assert bloc.member_ids == tuple(range(1001, 1007))
