"""`speaker_links: registrable` (round 33): a speaker's organisation also reaches voters on another address
registered under the same domain (student.emberforge.edu for a speaker on emberforge.edu), and voters on a
domain named as the speaker's company once words like "university" or "studio" are set aside ("University
of Emberforge" and emberforge.edu). Free mail never links; nor does a remainder under four letters. Under
`exact` (the rule before) none of these is the speaker's organisation. Since round 35 such a link moves its cells to
the colleague tests and changes no other test: the order, affiliation, narrow and lean tests count, rank and
flag as under `exact`, but for the newly linked colleagues themselves."""

import random

import pytest

from apps.ballots.domain.blocs import blocs_detect, findings_collect
from apps.ballots.domain.blocs_input import BlocRule, TalkFacts
from apps.ballots.domain.blocs_speaker_links import registered_domain, short_name, speaker_links_wide
from tests.ballots.test_blocs import _normal_ballot
from tests.ballots.test_blocs_cases import DAY, START, Case

# The rule before round 39 (the exact links) and round 35's wider links judged by the colleague test alone;
# round 39 made the wider links the default with `linked_groups: before` (tests/ballots/test_blocs_linked_groups.py).
EXACT = BlocRule(speaker_links="exact", organisation_pairs="majority", linked_groups="colleagues")
WIDE = BlocRule(speaker_links="registrable", organisation_pairs="majority", linked_groups="colleagues")


def _crowd(*, speaker_domains=("freemail.example",), speaker_companies=(), domain="emberforge.edu"):
    """Six voters on `domain` rate talk 7 at the top score, ballots otherwise normal and spread over ten
    days; talk 7's speaker as given."""
    case, rng = Case(), random.Random(5)
    case.talks[7] = TalkFacts(
        talk_id=7, speaker_email_domains=tuple(speaker_domains), speaker_companies=tuple(speaker_companies)
    )
    for v in range(1001, 1007):
        case.add_voter(v, domain=domain)
        _normal_ballot(case, v, rng, skip=7)
        case.vote(v, 7, 3, START + rng.randrange(10 * DAY))
    return case.build()


def _bloc_on_7(data, rule):
    (bloc,) = [b for b in blocs_detect(data, rule).blocs if b.talk_id == 7]
    return bloc


@pytest.mark.parametrize(
    ("domain", "registered"),
    [
        ("student.emberforge.edu", "emberforge.edu"),
        ("cs.cam.ac.uk", "cam.ac.uk"),  # a two-label public suffix
        ("alice.github.io", "alice.github.io"),  # a private suffix: each user's site is their own
        ("lab.initech.example", "initech.example"),  # a suffix the list does not know: the last two labels
        ("localhost", ""),
    ],
)
def test_a_domain_is_registered_just_under_its_public_suffix(domain, registered):
    assert registered_domain(domain) == registered


def test_a_short_name_sets_aside_only_the_words_naming_a_kind_of_organisation():
    assert short_name(["university", "of", "emberforge"]) == ("emberforge", ("university", "of"))
    assert short_name(["copperwind", "studio"]) == ("copperwind", ("studio",))
    assert short_name(["epic", "games"]) == ("epicgames", ())  # a trade is part of the name


def test_a_subdomain_of_the_speakers_address_is_the_speakers_organisation_under_registrable_only():
    data = _crowd(speaker_domains=("emberforge.edu",), domain="student.emberforge.edu")
    assert not _bloc_on_7(data, EXACT).colleagues_of_speaker  # exact: another domain
    bloc = _bloc_on_7(data, WIDE)
    assert bloc.colleagues_of_speaker
    assert bloc.member_ids == tuple(range(1001, 1007))
    sentence = bloc.evidence[0].sentence
    assert "student.emberforge.edu, the speaker's organisation (student.emberforge.edu is under emberforge.edu" in (
        sentence
    )


def test_two_subdomains_link_through_the_domain_they_are_both_under():
    data = _crowd(speaker_domains=("cs.emberforge.edu",), domain="student.emberforge.edu")
    bloc = _bloc_on_7(data, WIDE)
    assert bloc.colleagues_of_speaker
    assert "the speaker's address cs.emberforge.edu are both under emberforge.edu" in bloc.evidence[0].sentence


def test_the_speakers_company_without_university_of_names_the_universitys_domain():
    data = _crowd(speaker_companies=("University of Emberforge",), domain="student.emberforge.edu")
    assert not _bloc_on_7(data, EXACT).colleagues_of_speaker
    bloc = _bloc_on_7(data, WIDE)
    assert bloc.colleagues_of_speaker
    assert 'the speaker\'s company "University of Emberforge" both read "emberforge" without "university", "of"' in (
        bloc.evidence[0].sentence
    )


def test_a_studio_is_its_domain_under_another_suffix_and_a_hyphenated_uni_domain_too():
    bloc = _bloc_on_7(_crowd(speaker_companies=("Copperwind Studio",), domain="copperwind.games"), WIDE)
    assert bloc.colleagues_of_speaker
    bloc = _bloc_on_7(_crowd(speaker_companies=("Universität Mannheim",), domain="uni-mannheim.de"), WIDE)
    assert bloc.colleagues_of_speaker


def test_an_exact_link_needs_no_note():
    bloc = _bloc_on_7(_crowd(speaker_companies=("Emberforge",), domain="emberforge.edu"), WIDE)
    assert bloc.colleagues_of_speaker
    assert "the speaker's organisation, give" in bloc.evidence[0].sentence


@pytest.mark.parametrize(
    ("speaker", "domain"),
    [
        ({"speaker_companies": ("University of Bath",)}, "bathwater.com"),  # another name
        ({"speaker_companies": ("Institute of Art",)}, "art.example"),  # "art": under four letters
        ({"speaker_companies": ("The Studio",)}, "studio.example"),  # nothing left of the name
        ({"speaker_companies": ("Epic Games",)}, "epic.com"),  # a trade is not set aside
        ({"speaker_companies": ("University of Cambridge",)}, "cam.ac.uk"),  # spelled otherwise: declare it
        ({"speaker_domains": ("emberforge.edu",)}, "emberforge.org"),  # another registered domain
        ({"speaker_domains": ("alice.github.io",)}, "bob.github.io"),  # two users of one host
    ],
)
def test_other_names_and_hosts_stay_apart(speaker, domain):
    assert not _bloc_on_7(_crowd(domain=domain, **speaker), WIDE).colleagues_of_speaker


def test_a_short_name_that_two_registered_domains_read_as_links_neither():
    def wide_for(domains):
        rows, _ = speaker_links_wide(
            domain_labels=domains,
            speakers=[(("University of Manchester",), ())],
            exact=set(),
            free_mail_domains=(),
            company_words=lambda name: name.lower().split(),
        )
        return [domains[d] for _, d in rows.tolist()]

    assert wide_for(("manchester.ac.uk", "student.manchester.ac.uk")) == [
        "manchester.ac.uk",
        "student.manchester.ac.uk",
    ]
    assert wide_for(("manchester.ac.uk", "manchester.gov.uk")) == []  # the city's council, or the university?


def test_a_domain_whose_voters_name_another_employer_is_not_the_speakers():
    """A city and a regional health service under one name: the city's voters say "City of Nordhaven" on
    city.nordhaven.example, the speaker works for "Region Nordhaven Health" on health.nordhaven.example."""
    case, rng = Case(), random.Random(5)
    case.talks[7] = TalkFacts(
        talk_id=7, speaker_email_domains=("health.nordhaven.example",), speaker_companies=("Region Nordhaven Health",)
    )
    for v in range(1001, 1007):
        case.add_voter(v, domain="city.nordhaven.example", company="City of Nordhaven")
        _normal_ballot(case, v, rng, skip=7)
        case.vote(v, 7, 3, START + rng.randrange(10 * DAY))
    data = case.build()
    assert data.talk_domain_wide.shape == (0, 2)
    assert not _bloc_on_7(data, WIDE).colleagues_of_speaker
    # The same crowd naming no employer is taken for the speaker's, by the domain both are under.
    unnamed = _crowd(speaker_domains=("health.nordhaven.example",), domain="city.nordhaven.example")
    assert _bloc_on_7(unnamed, WIDE).colleagues_of_speaker


def test_voters_naming_the_speakers_employer_otherwise_spelled_still_link():
    case, rng = Case(), random.Random(5)
    case.talks[7] = TalkFacts(
        talk_id=7, speaker_email_domains=("freemail.example",), speaker_companies=("University of Emberforge",)
    )
    for v in range(1001, 1007):
        case.add_voter(v, domain="emberforge.edu", company="Emberforge University")
        _normal_ballot(case, v, rng, skip=7)
        case.vote(v, 7, 3, START + rng.randrange(10 * DAY))
    assert _bloc_on_7(case.build(), WIDE).colleagues_of_speaker


def test_free_mail_never_links_a_speaker_to_anyone():
    free = ("freemail.example", "gmail.com")
    wide, notes = speaker_links_wide(
        domain_labels=("gmail.com", "eu.gmail.com", "initech.com"),
        speakers=[((), ("gmail.com",)), ((), ("eu.gmail.com",))],
        exact=set(),
        free_mail_domains=free,
        company_words=str.split,
    )
    assert wide.shape == (0, 2) and notes == ()
    # In a conference: a speaker on free mail, the crowd on a subdomain of it, stays an outside group.
    data = _crowd(speaker_domains=("freemail.example",), domain="eu.freemail.example")
    assert not _bloc_on_7(data, WIDE).colleagues_of_speaker


def test_without_organisations_the_domain_group_is_the_speakers_colleagues_too():
    data = _crowd(speaker_domains=("emberforge.edu",), domain="student.emberforge.edu")
    bloc = _bloc_on_7(data, BlocRule(speaker_links="registrable", linked_groups="colleagues", organisations=False))
    assert bloc.colleagues_of_speaker
    assert "(student.emberforge.edu is under emberforge.edu, the speaker's address)" in bloc.evidence[0].sentence


def test_the_key_takes_only_its_two_words():
    with pytest.raises(ValueError, match="speaker_links must be one of"):
        BlocRule.from_json({"speaker_links": "fuzzy"})
    assert BlocRule().to_json()["speaker_links"] == "registrable"  # the default since round 39


def test_a_booking_of_an_organisation_linked_by_address_says_how_too():
    case, rng = Case(), random.Random(5)
    case.talks[7] = TalkFacts(talk_id=7, speaker_email_domains=("emberforge.edu",))
    for v in range(1001, 1007):
        case.add_voter(v, domain="student.emberforge.edu", order="CLASS1")
        _normal_ballot(case, v, rng, skip=7)
        case.vote(v, 7, 3, START + rng.randrange(10 * DAY))
    bloc = _bloc_on_7(case.build(), WIDE)
    booking = [e.sentence for e in bloc.evidence if "a booking of" in e.sentence]
    assert booking and "(student.emberforge.edu is under emberforge.edu, the speaker's address)" in booking[0]


# Round 35: the wider links move the cells they link to the colleague tests and leave every other test
# as under `exact`: its counts, its family's count of tests and its false-discovery bar.


def _findings(data, rule, signal, talk_id):
    """The findings of `signal` on the talk, before the merge."""
    return [f for f in findings_collect(data, rule)[1] if f.signal == signal and data.talk_ids[f.talk] == talk_id]


def light_friends_and_a_student():
    """Eight friends who rated nothing else give talk 7 the top score, and so does voter 1009, a student on
    student.emberforge.edu (the speaker writes from emberforge.edu) who also rated only it."""
    case, rng = Case(), random.Random(5)
    case.talks[7] = TalkFacts(talk_id=7, speaker_email_domains=("emberforge.edu",))
    for v in range(1001, 1009):
        case.add_voter(v)
        case.vote(v, 7, 3, START + rng.randrange(10 * DAY))
    case.add_voter(1009, domain="student.emberforge.edu")
    case.vote(1009, 7, 3, START + rng.randrange(10 * DAY))
    return case.build()


def test_a_light_voter_linked_only_by_the_wider_links_still_counts_in_the_narrow_test_but_is_not_flagged():
    data = light_friends_and_a_student()
    (exact,) = [f for f in _findings(data, EXACT, "narrow", 7) if f.top_score]
    (wide,) = [f for f in _findings(data, WIDE, "narrow", 7) if f.top_score]
    assert exact.observed == wide.observed == 9  # counted as under exact (round 33 counted 8)
    assert wide.log_p == exact.log_p and wide.log_bar == exact.log_bar
    assert 1009 in data.voter_ids[exact.members] and 1009 not in data.voter_ids[wide.members]
    assert len(wide.members) == 8


def test_a_group_linked_only_by_the_wider_links_leaves_the_affiliation_bar_as_under_exact():
    case, rng = Case(), random.Random(5)
    case.talks[7] = TalkFacts(talk_id=7, speaker_email_domains=("emberforge.edu",))
    for v in range(1001, 1007):  # the speaker's students rate talk 7 up: loyalty
        case.add_voter(v, domain="student.emberforge.edu")
        _normal_ballot(case, v, rng, skip=7)
        case.vote(v, 7, 3, START + rng.randrange(10 * DAY))
    for v in range(2001, 2007):  # an outside company pushes talk 9
        case.add_voter(v, domain="globex.example")
        _normal_ballot(case, v, rng, skip=9)
        case.vote(v, 9, 3, START + rng.randrange(10 * DAY))
    data = case.build()
    assert _findings(data, EXACT, "affiliation", 7)  # under exact an outside group: one more discovery
    assert not _findings(data, WIDE, "affiliation", 7) and _findings(data, WIDE, "colleagues", 7)
    outside = {(f.top_score, f.log_p, f.log_bar) for f in _findings(data, EXACT, "affiliation", 9)}
    assert outside and {(f.top_score, f.log_p, f.log_bar) for f in _findings(data, WIDE, "affiliation", 9)} == outside


def test_the_input_skips_the_wider_links_when_asked():
    case, rng = Case(), random.Random(5)
    case.talks[7] = TalkFacts(talk_id=7, speaker_email_domains=("emberforge.edu",))
    case.add_voter(1001, domain="student.emberforge.edu")
    _normal_ballot(case, 1001, rng, skip=-1)
    full, narrow = case.build(), case.build(wide_links=False)
    assert len(full.talk_domain_wide) == 1  # by default the input finds them (a caller may not know the rule)
    assert narrow.talk_domain_wide.shape == (0, 2) and narrow.talk_domain_wide_notes == ()
    assert narrow.talk_domain.tolist() == full.talk_domain.tolist()


@pytest.mark.django_db
def test_the_selector_finds_the_wider_links_only_for_a_policy_that_reads_them():
    from apps.ballots.selectors.blocs import bloc_input
    from apps.ballots.selectors.policies import weight_policy_current
    from tests.factories import ConferenceFactory, SpeakerFactory, TalkFactory, UserFactory, VoteFactory

    conference = ConferenceFactory()
    speaker = SpeakerFactory(conference=conference, email="ada@emberforge.edu", company="")
    talk = TalkFactory(conference=conference, speakers=[speaker])
    VoteFactory(user=UserFactory(email="bo@student.emberforge.edu"), talk=talk, score=3)
    policy = weight_policy_current(conference=conference)
    policy.bloc_rule = {**BlocRule().to_json(), "speaker_links": "exact"}
    assert bloc_input(conference=conference, policy=policy).talk_domain_wide.shape == (0, 2)
    policy.bloc_rule = BlocRule().to_json()  # the default since round 39 reads them
    data = bloc_input(conference=conference, policy=policy)
    assert data.talk_domain_wide.tolist() == [[0, 0]]
    assert data.talk_domain_wide_notes == ("student.emberforge.edu is under emberforge.edu, the speaker's address",)


def test_a_booking_linked_only_by_the_wider_links_leaves_the_order_bar_as_under_exact():
    case, rng = Case(), random.Random(5)
    case.talks[7] = TalkFacts(talk_id=7, speaker_email_domains=("emberforge.edu",))
    for v in range(1001, 1007):  # a class booked together rates its lecturer's talk 7 up
        case.add_voter(v, domain="student.emberforge.edu", order="CLASS1")
        _normal_ballot(case, v, rng, skip=7)
        case.vote(v, 7, 3, START + rng.randrange(10 * DAY))
    for v in range(2001, 2007):  # friends on one booking push talk 9
        case.add_voter(v, order="RING1")
        _normal_ballot(case, v, rng, skip=9)
        case.vote(v, 9, 3, START + rng.randrange(10 * DAY))
    data = case.build()
    assert _findings(data, EXACT, "order", 7)
    assert not _findings(data, WIDE, "order", 7)
    assert any(f.label == "CLASS1" for f in _findings(data, WIDE, "colleagues", 7))
    outside = {(f.top_score, f.log_p, f.log_bar) for f in _findings(data, EXACT, "order", 9)}
    assert outside and {(f.top_score, f.log_p, f.log_bar) for f in _findings(data, WIDE, "order", 9)} == outside


def test_a_group_linked_only_by_the_wider_links_leaves_the_lean_bar_as_under_exact():
    case, rng = Case(), random.Random(5)
    case.talks[7] = TalkFacts(talk_id=7, speaker_email_domains=("emberforge.edu",))
    for talk, domain, first in ((7, "student.emberforge.edu", 1001), (9, "globex.example", 2001)):
        for v in range(first, first + 8):  # eight of one domain give the talk the lowest score
            case.add_voter(v, domain=domain)
            _normal_ballot(case, v, rng, skip=talk)
            case.vote(v, talk, 0, START + rng.randrange(10 * DAY))
    data = case.build()

    def lean(rule, talk_id):
        return {(f.log_p, f.log_bar) for f in _findings(data, rule, "affiliation", talk_id) if f.raters}

    assert lean(EXACT, 7) and not lean(WIDE, 7)  # the speaker's students: the colleague test's
    assert lean(EXACT, 9) and lean(WIDE, 9) == lean(EXACT, 9)
