"""Round 36's two options on organisations. `organisation_pairs: plurality`: a speaker who gives a hospital's
full name is its staff's colleague when that name is the clear plurality spelling on the staff's domain (at
least a quarter of its pairs, twice the next) and most of the name's voters with a work address use the
domain, though no spelling holds the domain's majority (round 4's mutual majority); a domain many
organisations share has no such spelling. `placeholder_companies`: a company field that names no employer
("Patient", "Student nurse") is no organisation, by a short list ("listed") or by its voters' addresses
spread over many domains ("spread")."""

import random
from dataclasses import replace

import numpy as np

from apps.ballots.domain.blocs import blocs_detect
from apps.ballots.domain.blocs_input import BlocRule, TalkFacts
from apps.ballots.domain.blocs_organisations import mutual_majority, organisations_build, plurality_pairs
from tests.ballots.test_blocs import _normal_ballot
from tests.ballots.test_blocs_cases import DAY, START, Case
from tests.ballots.test_blocs_speaker_links import _bloc_on_7

# Round 36's options against the rule before them (round 39 made the wider links the default, judged as
# before the link: tests/ballots/test_blocs_linked_groups.py).
MAJORITY = BlocRule(speaker_links="exact", organisation_pairs="majority", linked_groups="colleagues")
PLURAL = BlocRule(speaker_links="exact", organisation_pairs="plurality", linked_groups="colleagues")
WEXSTEAD = "Universitätsklinikum Wexstead"
# How ten of a hospital's staff on its own domain fill the company field: the full name four times (40% of
# the domain's pairs), never a majority.
STAFF_SPELLINGS = (WEXSTEAD,) * 4 + (
    "Wexstead",
    "UW",
    "Paediatrics, Universitätsklinikum Wexstead",
    "Universitatsklinikum Wexstead",
    "Dept of Cardiology, Universitätsklinikum Wexstead",
    "universitätsklinikum wexsted",
)


def _codes(rows):
    """(company, domain) code arrays from (company, domain) label rows; None for no company."""
    companies = sorted({c for c, _ in rows if c is not None})
    domains = sorted({d for _, d in rows})
    company = np.array([companies.index(c) if c is not None else -1 for c, _ in rows], dtype=np.int32)
    domain = np.array([domains.index(d) for _, d in rows], dtype=np.int32)
    return company, domain, companies, domains


def test_a_clear_plurality_spelling_is_paired_where_the_majority_pairs_nothing():
    rows = [(c, "uk-wexstead.example") for c in STAFF_SPELLINGS] + [(WEXSTEAD, "wexstead-research.example")]
    company, domain, companies, domains = _codes(rows)
    assert (mutual_majority(company, domain, len(companies), len(domains)) < 0).all()
    paired, held, of = plurality_pairs(company, domain, len(companies), len(domains))
    full = companies.index(WEXSTEAD)
    assert domains[paired[full]] == "uk-wexstead.example"
    assert (held[full], of[full]) == (4, 10)
    assert (np.delete(paired, full) < 0).all()  # the other spellings: one voter each


def test_a_shared_domain_pairs_no_hospital():
    # nhs.example: five hospitals' staff, each hospital's full name written by three of them, and each name's
    # voters mostly on nhs.example (their trust's own domain less often): the largest spelling is 3 of 20.
    rows = []
    for h in "abcde":
        rows += (
            [(f"Hospital {h}", "nhs.example")] * 3
            + [(f"H{h}", "nhs.example")]
            + [(f"Hospital {h}", f"{h}.nhs.example")]
        )
    company, domain, companies, domains = _codes(rows)
    paired, _, _ = plurality_pairs(company, domain, len(companies), len(domains))
    assert (paired < 0).all()


def test_a_regions_domain_holding_another_hospitals_name_pairs_no_hospital():
    # region.example: Granton's full name 6 of 14, three times the next spelling, and mostly on the region's
    # domain; but Norton's name is on it too (2), and Norton's name is the clear plurality of norton.example.
    rows = [("Granton Hospital", "region.example")] * 6 + [("Granton Hospital", "granton.example")] * 3
    rows += [
        (f"{unit}, Granton Hospital", "region.example") for unit in ("Cardiology", "Oncology", "ICU", "ED", "Renal")
    ]
    rows += [("GH", "region.example")] + [("Norton Hospital", "region.example")] * 2
    rows += [("Norton Hospital", "norton.example")] * 3 + [("Nortn Hospital", "norton.example")]
    company, domain, companies, domains = _codes(rows)
    paired, _, _ = plurality_pairs(company, domain, len(companies), len(domains))
    assert paired[companies.index("Granton Hospital")] < 0
    # Without Norton's name on it, the region's domain would be Granton's.
    alone = [row for row in rows if row != ("Norton Hospital", "region.example")]
    company, domain, companies, domains = _codes(alone)
    granton = companies.index("Granton Hospital")
    assert mutual_majority(company, domain, len(companies), len(domains))[granton] < 0  # 6 of 12
    paired, _, _ = plurality_pairs(company, domain, len(companies), len(domains))
    assert domains[paired[granton]] == "region.example"


def test_a_plurality_that_leads_the_next_spelling_by_less_than_twice_pairs_nothing():
    rows = [("University of Belwick", "belwick.example")] * 4 + [("Belwick University", "belwick.example")] * 3
    rows += [("BU", "belwick.example"), ("Faculty of Health, University of Belwick", "belwick.example")]
    company, domain, companies, domains = _codes(rows)
    assert (plurality_pairs(company, domain, len(companies), len(domains))[0] < 0).all()


def _rating_7(voters, *, speaker_company: str, speaker_domain: str = "freemail.example"):
    """`voters` ((id, domain, company) rows) rate talk 7 at the top score, their ballots otherwise normal and
    spread over ten days; talk 7's speaker gives `speaker_company` from `speaker_domain`."""
    case, rng = Case(), random.Random(7)
    case.talks[7] = TalkFacts(talk_id=7, speaker_email_domains=(speaker_domain,), speaker_companies=(speaker_company,))
    for v, domain, company in voters:
        case.add_voter(v, domain=domain, company=company)
        _normal_ballot(case, v, rng, skip=7)
        case.vote(v, 7, 3, START + rng.randrange(10 * DAY))
    return case.build()


def _hospital(*, speaker_company=WEXSTEAD, speaker_domain="freemail.example"):
    """Ten staff on uk-wexstead.example (company fields STAFF_SPELLINGS) rate talk 7 at the top score."""
    staff = [(v, "uk-wexstead.example", c) for v, c in zip(range(1001, 1011), STAFF_SPELLINGS, strict=True)]
    return _rating_7(staff, speaker_company=speaker_company, speaker_domain=speaker_domain)


def test_the_speaker_giving_the_plurality_spelling_is_the_domains_staffs_colleague_under_plurality_only():
    data = _hospital()
    assert not _bloc_on_7(data, MAJORITY).colleagues_of_speaker  # majority: strangers on uk-wexstead.example
    bloc = _bloc_on_7(data, PLURAL)
    assert bloc.colleagues_of_speaker
    assert bloc.member_ids == tuple(range(1001, 1011))
    assert '4 of the 10 voters from uk-wexstead.example who give a company give "universitätsklinikum wexstead"' in (
        bloc.evidence[0].sentence
    )


def test_a_speaker_on_the_domain_is_the_colleague_of_the_plurality_spellings_voters_elsewhere():
    data = _hospital(speaker_company="", speaker_domain="uk-wexstead.example")
    orgs = organisations_build(data)
    plural = organisations_build(data, plurality=True)
    assert len(plural.speaker_pairs) == len(orgs.speaker_pairs) + 1
    (_, org), note = next(iter(plural.link_notes.items()))
    assert plural.labels[org] == "universitätsklinikum wexstead"
    assert "4 of the 10" in note


def test_voters_organisations_do_not_change_under_plurality():
    data = _hospital()
    assert (organisations_build(data, plurality=True).voter_org == organisations_build(data).voter_org).all()


def _patients(company="Patient", domains=("freemail.example",)):
    """Eight voters who give `company` (their addresses cycling through `domains`) rate talk 7 at the top score;
    its speaker gives `company` too."""
    voters = [(v, domains[i % len(domains)], company) for i, v in enumerate(range(2001, 2009))]
    return _rating_7(voters, speaker_company=company)


def _grouped(data, label: str, placeholders: str = "kept") -> bool:
    """Whether the eight voters 2001–2008 are all in one organisation whose label starts with `label`."""
    orgs = organisations_build(data, placeholders=placeholders)
    codes = {int(orgs.voter_org[np.searchsorted(data.voter_ids, v)]) for v in range(2001, 2009)}
    return len(codes) == 1 and min(codes) >= 0 and orgs.labels[min(codes)].startswith(label)


def _affiliation_on_7(data, rule):
    return [
        e.sentence
        for b in blocs_detect(data, rule).blocs
        if b.talk_id == 7
        for e in b.evidence
        if e.signal in ("affiliation", "colleagues")
    ]


def test_a_listed_placeholder_company_is_no_organisation():
    data = _patients()
    assert _affiliation_on_7(data, MAJORITY)  # "patient" is a group, and the speaker's ("Patient" too)
    assert not _affiliation_on_7(data, replace(MAJORITY, placeholder_companies="listed"))
    assert _grouped(data, "patient")
    assert not _grouped(data, "patient", placeholders="listed")
    assert not len(organisations_build(data, placeholders="listed").speaker_pairs)


def test_a_company_spread_over_many_domains_is_no_organisation_under_spread():
    # Four on free mail, four on four universities' domains, one each: no domain holds more than a quarter.
    domains = ("freemail.example",) * 4 + ("uni-a.example", "uni-b.example", "uni-c.example", "uni-d.example")
    data = _patients(company="Nursing student cohort", domains=domains)  # on no list
    assert not _grouped(data, "nursing student cohort", placeholders="spread")
    assert _grouped(data, "nursing student cohort", placeholders="listed")
    assert _grouped(data, "nursing student cohort")
    # Three of the four work addresses on one domain: an employer's.
    together = _patients(company="Nursing student cohort", domains=domains[:4] + domains[4:5] * 3 + domains[5:6])
    assert _grouped(together, "nursing student cohort", placeholders="spread")


def test_the_new_keys_take_only_their_words():
    for key in ("organisation_pairs", "placeholder_companies"):
        try:
            BlocRule.from_json({key: "sometimes"})
        except ValueError as error:
            assert key in str(error)
        else:
            raise AssertionError(f"{key} took an unknown word")


def test_a_set_aside_placeholder_is_not_given_its_orders_organisation():
    # A charity's bursary order: three of its staff on its domain, and a patient who gives "Patient".
    case = Case(n_voters=20)
    for v in (3001, 3002, 3003):
        case.add_voter(v, order="BUR-1", domain="kidneysociety.example")
    case.add_voter(3004, order="BUR-1", company="Patient")
    case.add_voter(3005, order="BUR-1")  # no company, no work address: the order's organisation's
    for v in range(3001, 3006):
        case.vote(v, 1, 2, START)
    data = case.build()
    listed = organisations_build(data, placeholders="listed")
    org = {v: int(listed.voter_org[np.searchsorted(data.voter_ids, v)]) for v in (3001, 3004, 3005)}
    assert org[3005] == org[3001] >= 0
    assert org[3004] == -1
    kept = organisations_build(data)
    assert kept.labels[kept.voter_org[np.searchsorted(data.voter_ids, 3004)]] == "patient"
