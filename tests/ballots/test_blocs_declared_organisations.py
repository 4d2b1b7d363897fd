"""Organisations the organizers declare: a group's subsidiaries on their own domains, a company's
second domain, a short and a long name are one organisation, for voters and speakers alike."""

import copy
import random

import numpy as np

from apps.ballots.domain.blocs import blocs_detect
from apps.ballots.domain.blocs_input import DeclaredOrganisation, TalkFacts
from apps.ballots.domain.blocs_organisations import bloc_input_with_organisations, organisations_build
from tests.ballots.test_blocs import _normal_ballot
from tests.ballots.test_blocs_cases import DAY, START, Case

DARION = DeclaredOrganisation(
    name="Darion Group",
    email_domains=("darion.example", "DarionCloud.example"),
    companies=("Darion Group", "Darion Cloud GmbH"),
)


def _declaring(case: Case, *organisations: DeclaredOrganisation) -> Case:
    """The same conference with other declarations (not dataclasses.replace: that draws the background
    again over the talks)."""
    other = copy.copy(case)
    other.organisations = organisations
    return other


def _org_of(data, orgs, voter_id: int) -> str | None:
    code = orgs.voter_org[np.searchsorted(data.voter_ids, voter_id)]
    return orgs.labels[code] if code >= 0 else None


def _speakers_orgs(data, orgs, talk_id: int) -> set[str]:
    pos = int(np.searchsorted(data.talk_ids, talk_id))
    return {orgs.labels[g] for t, g in orgs.speaker_pairs.tolist() if t == pos}


def _subsidiary_crowd(*organisations: DeclaredOrganisation):
    """Talk 7's speaker works at the parent (darion.example, "Darion Group"); six staff of its cloud
    subsidiary, on their own domain, give it the top score within otherwise normal ballots. No voter
    writes from the parent's domain."""
    case, rng = Case(organisations=organisations), random.Random(5)
    case.talks[7] = TalkFacts(talk_id=7, speaker_email_domains=("darion.example",), speaker_companies=("Darion Group",))
    for v in range(1001, 1007):
        case.add_voter(v, domain="darioncloud.example")
        _normal_ballot(case, v, rng, skip=7)
        case.vote(v, 7, 3, START + rng.randrange(10 * DAY))
    return [b for b in blocs_detect(case.build()).blocs if b.talk_id == 7]


def test_a_subsidiarys_staff_are_an_outside_group_on_the_parents_talk_when_nothing_is_declared():
    (bloc,) = _subsidiary_crowd()
    assert bloc.member_ids == tuple(range(1001, 1007))
    assert not bloc.colleagues_of_speaker
    assert "darioncloud.example" in bloc.evidence[0].sentence
    assert "the speaker's organisation" not in bloc.evidence[0].sentence


def test_declared_as_one_organisation_the_subsidiarys_staff_are_the_speakers_colleagues():
    (bloc,) = _subsidiary_crowd(DARION)
    assert bloc.member_ids == tuple(range(1001, 1007))
    assert bloc.colleagues_of_speaker
    sentence = bloc.evidence[0].sentence
    assert "Darion Group (darion.example, darioncloud.example), the speaker's organisation" in sentence


def test_a_declaration_that_names_nobody_here_changes_no_finding():
    elsewhere = DeclaredOrganisation(name="Globex", email_domains=("globex.example", "globex-labs.example"))
    assert _subsidiary_crowd(elsewhere) == _subsidiary_crowd()


def test_a_companys_second_domain_is_the_same_organisation():
    case = Case(n_voters=20)
    for v in (1001, 1002, 1003):
        case.add_voter(v, domain="initech.example", company="Initech")
    for v in (1004, 1005):
        case.add_voter(v, domain="initech-mail.example")  # the second domain, no company field
    case.talks[3] = TalkFacts(talk_id=3, speaker_email_domains=("initech-mail.example",))
    for v in range(1001, 1006):
        case.vote(v, 1, 2, START)
    apart = organisations_build(case.build())
    assert apart.labels.count("initech-mail.example") == 1  # detection alone keeps it apart

    case.organisations = (
        DeclaredOrganisation(name="Initech", email_domains=("initech.example", "initech-mail.example")),
    )
    data = case.build()
    orgs = organisations_build(data)
    label = "Initech (initech-mail.example, initech.example)"
    assert {_org_of(data, orgs, v) for v in range(1001, 1006)} == {label}
    assert "initech (initech.example)" not in orgs.labels and "initech-mail.example" not in orgs.labels
    # talk 3's speaker writes from the second domain: the whole organisation are their colleagues
    assert _speakers_orgs(data, orgs, 3) == {label}


def test_a_short_and_a_long_name_are_one_organisation_and_an_undeclared_pairing_still_joins_it():
    case = Case(n_voters=20)
    for v in (1001, 1002):
        case.add_voter(v, company="TU Porto")
    for v in (1003, 1004):
        case.add_voter(v, company="Technische Universität Porto")
    for v in (1005, 1006, 1007):  # an undeclared domain the long name's voters pair it with
        case.add_voter(v, domain="tu-porto.example", company="Technische Universität Porto")
    case.talks[4] = TalkFacts(talk_id=4, speaker_companies=("TU Porto",))
    for v in range(1001, 1008):
        case.vote(v, 1, 2, START)
    tu = DeclaredOrganisation(name="TU Porto", companies=("TU Porto", "Technische Universität Porto"))
    case.organisations = (tu,)
    data = case.build()
    orgs = organisations_build(data)
    assert {_org_of(data, orgs, v) for v in range(1001, 1008)} == {"TU Porto"}
    assert _speakers_orgs(data, orgs, 4) == {"TU Porto"}
    # without the declaration the short name is a group of its own
    plain = organisations_build(_declaring(case).build())
    assert "tu porto" in plain.labels


def test_two_declared_organisations_stay_apart_whatever_their_voters_pair():
    case = Case(n_voters=20)
    for v in (1001, 1002, 1003):  # Globex staff who type their client's name in the company field
        case.add_voter(v, domain="globex.example", company="Initech")
    case.add_voter(1004, domain="initech.example", company="Initech")
    for v in range(1001, 1005):
        case.vote(v, 1, 2, START)
    case.organisations = (
        DeclaredOrganisation(name="Initech", email_domains=("initech.example",), companies=("Initech",)),
        DeclaredOrganisation(name="Globex", email_domains=("globex.example",), companies=("Globex",)),
    )
    data = case.build()
    orgs = organisations_build(data)
    assert orgs.labels == ("Globex (globex.example)", "Initech (initech.example)")
    assert {_org_of(data, orgs, v) for v in range(1001, 1005)} == {"Initech (initech.example)"}  # field first
    assert orgs.voter_org[np.searchsorted(data.voter_ids, 1)] == -1  # free mail, nothing declared


def test_free_mail_is_never_a_member_of_a_declared_organisation():
    case = Case(n_voters=20)
    case.add_voter(1001, domain="initech.example")
    case.vote(1001, 1, 2, START)
    case.organisations = (DeclaredOrganisation(name="Initech", email_domains=("initech.example", "freemail.example")),)
    data = case.build()
    orgs = organisations_build(data)
    assert _org_of(data, orgs, 1001) == "Initech (freemail.example, initech.example)"
    assert _org_of(data, orgs, 1) is None  # the background writes from free mail


def test_declaring_on_an_input_built_without_declarations_gives_the_same_input():
    case = Case(n_voters=30)
    case.talks[7] = TalkFacts(talk_id=7, speaker_email_domains=("darion.example",), speaker_companies=("Darion Group",))
    for v in range(1001, 1004):
        case.add_voter(v, domain="darioncloud.example", company="Darion Cloud")
    case.add_voter(1004, domain="darion.example", company="Darion Group")
    for v in range(1001, 1005):
        case.vote(v, 7, 3, START)
    built = _declaring(case, DARION).build()
    later = bloc_input_with_organisations(case.build(), (DARION,))
    assert later.declared_labels == built.declared_labels == ("Darion Group (darion.example, darioncloud.example)",)
    for name in ("company_declared", "domain_declared", "talk_declared"):
        assert np.array_equal(getattr(later, name), getattr(built, name)), name
    assert len(built.talk_declared)  # the speaker names the organisation
