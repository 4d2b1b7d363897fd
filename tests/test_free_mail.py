"""The free-mail list bloc detection is given: providers and address relays are never an employer."""

import pytest
from django.conf import settings

from apps.ballots.domain.blocs_input import TalkFacts, VoterFacts, VoteScale, bloc_input_build
from confvote.free_mail import FREE_MAIL_DOMAINS


@pytest.mark.parametrize(
    "domain",
    ["gmail.com", "outlook.com", "t-online.de", "proton.me", "tutanota.com", "duck.com", "mozmail.com",
     "privaterelay.appleid.com", "mailbox.org", "yahoo.co.uk", "users.noreply.github.com",
     "users.noreply.gitlab.com"],
)  # fmt: skip
def test_providers_and_relays_are_free_mail(domain):
    assert domain in FREE_MAIL_DOMAINS
    assert domain in settings.FREE_MAIL_DOMAINS


@pytest.mark.parametrize("domain", ["ibm.com", "google.com", "microsoft.com", "github.com", "python.org", "mit.edu"])
def test_employers_are_not_free_mail(domain):
    assert domain not in FREE_MAIL_DOMAINS


def test_voters_on_a_relay_are_no_domain_group_and_voters_of_a_company_are():
    voters = [VoterFacts(voter_id=v, weight=1.0, email_domain="duck.com") for v in (1, 2, 3)]
    voters += [VoterFacts(voter_id=v, weight=1.0, email_domain="initech.com") for v in (4, 5, 6)]
    data = bloc_input_build(
        voter_ids=[1, 2, 3, 4, 5, 6],
        talk_ids=[1] * 6,
        scores=[3] * 6,
        at_seconds=[0] * 6,
        voters=voters,
        talks=[TalkFacts(talk_id=1)],
        scale=VoteScale(),
        free_mail_domains=settings.FREE_MAIL_DOMAINS,
    )
    assert data.domain_labels == ("initech.com",)
    assert data.voter_domain.tolist() == [-1, -1, -1, 0, 0, 0]
