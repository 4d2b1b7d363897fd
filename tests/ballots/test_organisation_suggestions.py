"""Suggested organisations (domain/organisation_suggestions.py): a name written from several work
domains, a work domain writing several names; thresholds, free mail, what is declared already."""

import random

from apps.ballots.domain.blocs_declared import DeclaredOrganisation
from apps.ballots.domain.organisation_suggestions import (
    MIN_VOTERS,
    RULE_DOMAIN,
    RULE_NAME,
    MemberCount,
    Person,
    Suggestion,
    organisation_suggestions,
)


def _people(company: str, domain: str, n: int) -> list[Person]:
    return [Person(company=company, email_domain=domain)] * n


DARION = (
    _people("Darion Group", "darion.example", 14)
    + _people("Darion Group GmbH", "darioncloud.example", 6)
    + _people("Initech", "initech.example", 9)
)


def test_a_name_written_from_two_work_domains_is_suggested_with_its_evidence():
    assert MIN_VOTERS == 2
    assert organisation_suggestions(voters=DARION) == [
        Suggestion(
            name="Darion Group",
            email_domains=("darion.example", "darioncloud.example"),
            company_names=("Darion Group",),
            people=20,
            rules=(RULE_NAME,),
            evidence="14 voters at darion.example (of 14 there naming a company) and 6 voters at darioncloud.example "
            "(of 6 there naming a company) write the company “Darion Group”.",
            counts=(
                MemberCount("Darion Group", "darion.example", voters=14, speakers=0),
                MemberCount("Darion Group", "darioncloud.example", voters=6, speakers=0),
            ),
        )
    ]


def test_a_work_domain_writing_two_names_is_suggested():
    voters = _people("TU Porto", "tu-porto.example", 5) + _people("Technische Universität Porto", "TU-Porto.example", 2)
    (suggestion,) = organisation_suggestions(voters=voters)
    assert suggestion.rules == (RULE_DOMAIN,)
    assert suggestion.name == "TU Porto"
    assert suggestion.email_domains == ("tu-porto.example",)
    assert suggestion.company_names == ("TU Porto", "Technische Universität Porto")
    assert suggestion.people == 7
    assert suggestion.evidence == (
        "At tu-porto.example, 5 voters write “TU Porto” and 2 voters write “Technische Universität Porto”."
    )


def test_one_stray_person_suggests_nothing_but_one_speaker_counts():
    stray = (
        DARION[:14] + _people("Darion Group", "darioncloud.example", 1) + _people("Darion Labs", "darion.example", 1)
    )
    assert organisation_suggestions(voters=stray) == []
    speaker = Person(company="Darion Group", email_domain="darioncloud.example")
    (suggestion,) = organisation_suggestions(voters=DARION[:14], speakers=[speaker])
    assert suggestion.email_domains == ("darion.example", "darioncloud.example")
    assert suggestion.people == 15
    assert "1 speaker at darioncloud.example" in suggestion.evidence


def test_free_mail_and_names_that_are_no_employer_take_no_part():
    voters = (
        _people("Darion Group", "darion.example", 5)
        + _people("Darion Group", "gmail.example", 8)
        + _people("Student", "uni-a.example", 4)
        + _people("student", "uni-b.example", 4)
        + _people("", "darion.example", 3)
    )
    assert organisation_suggestions(voters=voters, free_mail={"gmail.example"}) == []
    assert [s.email_domains for s in organisation_suggestions(voters=voters)] == [
        ("darion.example", "gmail.example")  # what free mail would suggest without the list
    ]


def test_what_is_declared_together_is_not_suggested_again():
    declared = [
        DeclaredOrganisation(
            name="Darion", email_domains=("Darion.example", "darioncloud.example"), companies=("DARION GROUP, Inc.",)
        )
    ]
    assert organisation_suggestions(voters=DARION, declared=declared) == []


def test_a_suggestion_touching_a_declared_organisation_adds_to_it():
    declared = [DeclaredOrganisation(name="Darion", email_domains=("darion.example",), companies=("Darion Labs",))]
    (suggestion,) = organisation_suggestions(voters=DARION, declared=declared)
    assert suggestion.add_to == "Darion"
    assert suggestion.name == "Darion"
    assert suggestion.email_domains == ("darioncloud.example",)  # only what is not declared yet
    assert suggestion.company_names == ("Darion Group",)
    assert suggestion.evidence.endswith("“Darion Group”. Already declared in Darion: darion.example.")


def test_a_suggestion_touching_two_declared_organisations_is_left_alone():
    declared = [
        DeclaredOrganisation(name="Darion", email_domains=("darion.example",), companies=("Darion Labs",)),
        DeclaredOrganisation(name="Darion Cloud", email_domains=("darioncloud.example",), companies=("DC",)),
    ]
    assert organisation_suggestions(voters=DARION, declared=declared) == []


def test_most_people_first_and_the_same_whatever_the_order_of_the_rows():
    voters = (
        DARION
        + _people("TU Porto", "tu-porto.example", 5)
        + _people("Technische Universität Porto", "tu-porto.example", 2)
    )
    speakers = [Person("Initech", "initech.de"), Person("Initech AG", "initech.de")]
    found = organisation_suggestions(voters=voters, speakers=speakers)
    assert [(s.name, s.people) for s in found] == [("Darion Group", 20), ("Initech", 11), ("TU Porto", 7)]
    assert found[1].counts == (  # voters and speakers counted apart
        MemberCount("Initech", "initech.example", voters=9, speakers=0),
        MemberCount("Initech", "initech.de", voters=0, speakers=2),
    )
    shuffled = list(voters)
    random.Random(7).shuffle(shuffled)
    assert organisation_suggestions(voters=shuffled, speakers=speakers[::-1]) == found


def test_findings_that_share_a_name_or_a_domain_are_one_suggestion():
    voters = DARION + _people("Darion Cloud", "darioncloud.example", 3)
    (suggestion,) = organisation_suggestions(voters=voters)
    assert suggestion.rules == (RULE_NAME, RULE_DOMAIN)
    assert suggestion.email_domains == ("darion.example", "darioncloud.example")
    assert suggestion.company_names == ("Darion Cloud", "Darion Group")
    assert suggestion.people == 23
    # Each name and domain the evidence joins, with its people (a name as most people write it).
    assert suggestion.counts == (
        MemberCount("Darion Group", "darion.example", voters=14, speakers=0),
        MemberCount("Darion Group", "darioncloud.example", voters=6, speakers=0),
        MemberCount("Darion Cloud", "darioncloud.example", voters=3, speakers=0),
    )
    assert suggestion.evidence == (
        "14 voters at darion.example (of 14 there naming a company) and 6 voters at darioncloud.example "
        "(of 9 there naming a company) write the company “Darion Group”. "
        "At darioncloud.example, 6 voters write “Darion Group” and 3 voters write “Darion Cloud”."
    )
