"""`linked_groups` (round 39): how a group is judged that only the wider links make the speaker's
organisation (`speaker_links: registrable` here). "colleagues" (round 35): by the colleague test alone.
"either": also by the test that judged it under the exact links, with that test's count and bar, a finding if
either finds it; a colleague cell the exact links make keeps the colleague family's bar of the exact links.
"before": by that test alone, as under the exact links, reported as colleagues. Either way the findings the
exact links make all stand, and a finding the old test made says so."""

import random
from dataclasses import replace

from apps.ballots.domain.blocs import bloc_discounts, blocs_detect, findings_collect
from apps.ballots.domain.blocs_input import BlocRule, TalkFacts
from tests.ballots.test_blocs import _normal_ballot
from tests.ballots.test_blocs_cases import DAY, START, Case
from tests.ballots.test_blocs_speaker_links import light_friends_and_a_student

EXACT = BlocRule(speaker_links="exact", organisation_pairs="majority", linked_groups="colleagues")  # before round 39
COLLEAGUES = BlocRule(speaker_links="registrable", organisation_pairs="majority", linked_groups="colleagues")  # 35
EITHER = BlocRule(speaker_links="registrable", organisation_pairs="majority", linked_groups="either")
BEFORE = BlocRule(speaker_links="registrable", organisation_pairs="majority", linked_groups="before")


def _findings(data, rule, signal, talk_id):
    return [f for f in findings_collect(data, rule)[1] if f.signal == signal and data.talk_ids[f.talk] == talk_id]


def _students_and_a_company():
    """The speaker's students (student.emberforge.edu; the speaker writes from emberforge.edu) rate talk 7
    at the top score; an outside company's six staff do the same for talk 9."""
    case, rng = Case(), random.Random(5)
    case.talks[7] = TalkFacts(talk_id=7, speaker_email_domains=("emberforge.edu",))
    for v in range(1001, 1007):
        case.add_voter(v, domain="student.emberforge.edu")
        _normal_ballot(case, v, rng, skip=7)
        case.vote(v, 7, 3, START + rng.randrange(10 * DAY))
    for v in range(2001, 2007):
        case.add_voter(v, domain="globex.example")
        _normal_ballot(case, v, rng, skip=9)
        case.vote(v, 9, 3, START + rng.randrange(10 * DAY))
    return case.build()


def test_the_key_takes_three_words_and_the_default_judges_a_relinked_group_as_before_the_link():
    assert (BlocRule().speaker_links, BlocRule().organisation_pairs, BlocRule().linked_groups) == (
        "registrable",
        "plurality",
        "before",
    )
    assert BlocRule.from_json({"linked_groups": "either"}).linked_groups == "either"
    try:
        BlocRule.from_json({"linked_groups": "both"})
    except ValueError as e:
        assert "linked_groups must be one of" in str(e)
    else:
        raise AssertionError("an unknown word must be refused")


def test_before_judges_a_relinked_group_as_the_exact_links_did_and_calls_it_colleagues():
    data = _students_and_a_company()
    (outside,) = [f for f in _findings(data, EXACT, "affiliation", 7) if f.top_score]
    (found,) = [f for f in _findings(data, BEFORE, "colleagues", 7) if f.top_score]
    assert found.judged_as == "affiliation"
    assert (found.log_p, found.log_bar, found.observed) == (outside.log_p, outside.log_bar, outside.observed)
    assert found.members.tolist() == outside.members.tolist()
    assert not _findings(data, BEFORE, "affiliation", 7)
    # The weights are the exact links' to the last digit: only what the evidence says changes.
    exact, before = blocs_detect(data, EXACT), blocs_detect(data, BEFORE)
    assert [(b.talk_id, b.member_ids) for b in exact.blocs] == [(b.talk_id, b.member_ids) for b in before.blocs]
    assert bloc_discounts(exact.blocs, EXACT).mapping() == bloc_discounts(before.blocs, BEFORE).mapping()
    (bloc,) = [b for b in before.blocs if b.talk_id == 7]
    assert bloc.colleagues_of_speaker
    sentence = bloc.evidence[0].sentence
    assert "student.emberforge.edu, the speaker's organisation (student.emberforge.edu is under emberforge.edu" in (
        sentence
    )
    assert "it is tested as any organisation is, as it was before that link: the affiliation test finds it" in sentence


def test_either_keeps_a_finding_the_colleague_test_alone_would_lose():
    # A colleague test that asks for a thousand times the prediction finds nothing on talk 7; the
    # affiliation test, which found the students before the link, still does.
    data = _students_and_a_company()
    strict = {"colleague_min_ratio": 1000.0}
    assert not _findings(data, replace(COLLEAGUES, **strict), "colleagues", 7)
    (found,) = [f for f in _findings(data, replace(EITHER, **strict), "colleagues", 7) if f.top_score]
    (outside,) = [f for f in _findings(data, replace(EXACT, **strict), "affiliation", 7) if f.top_score]
    assert found.judged_as == "affiliation" and (found.log_p, found.log_bar) == (outside.log_p, outside.log_bar)


def test_either_reports_a_group_both_tests_find_once_as_the_colleague_tests():
    data = _students_and_a_company()
    found = [f for f in _findings(data, EITHER, "colleagues", 7) if f.top_score]
    assert [f.judged_as for f in found] == [""]  # the colleague test's own finding stands for both
    assert [(f.log_p, f.log_bar) for f in found] == [
        (f.log_p, f.log_bar) for f in _findings(data, COLLEAGUES, "colleagues", 7) if f.top_score
    ]


def test_either_keeps_the_exact_colleague_cells_bar():
    # Staff on emberforge.edu (the speaker's own domain) rate talk 7 at the top score; students on
    # student.emberforge.edu, linked only by the wider links, vote too. Under round 35 the students' cells
    # join the colleague family's count and raise the staff's bar; under `either` the staff keep theirs.
    case, rng = Case(), random.Random(7)
    case.talks[7] = TalkFacts(talk_id=7, speaker_email_domains=("emberforge.edu",))
    for v in range(1001, 1007):
        case.add_voter(v, domain="emberforge.edu")
        _normal_ballot(case, v, rng, skip=7)
        case.vote(v, 7, 3, START + rng.randrange(10 * DAY))
    for v in range(3001, 3013):
        case.add_voter(v, domain="student.emberforge.edu")
        _normal_ballot(case, v, rng, skip=-1)
        case.vote(v, 7, rng.choice((0, 1, 2)), START + rng.randrange(10 * DAY))
    data = case.build()

    def staff_bar(rule):
        return {f.log_bar for f in _findings(data, rule, "colleagues", 7) if f.label == "emberforge.edu"}

    assert staff_bar(EXACT)
    assert staff_bar(EITHER) == staff_bar(EXACT)
    assert max(staff_bar(COLLEAGUES)) < min(staff_bar(EXACT))  # round 35: a stricter bar


def test_under_either_and_before_the_narrow_test_flags_a_newly_linked_light_voter_as_the_exact_links_do():
    data = light_friends_and_a_student()
    (exact,) = [f for f in _findings(data, EXACT, "narrow", 7) if f.top_score]
    for rule in (EITHER, BEFORE):
        (found,) = [f for f in _findings(data, rule, "narrow", 7) if f.top_score]
        assert found.members.tolist() == exact.members.tolist() and found.unflagged == 0
        assert 1009 in data.voter_ids[found.members]


def test_the_narrow_sentence_says_which_counted_voter_is_left_to_the_colleague_test():
    # Round 35 counts the student and does not flag them: the sentence counted nine voters beside a bloc
    # of eight. It now says that one of the nine is left to the colleague test.
    data = light_friends_and_a_student()
    (found,) = [f for f in _findings(data, COLLEAGUES, "narrow", 7) if f.top_score]
    assert found.observed == 9 and len(found.members) == 8 and found.unflagged == 1
    narrow = [
        e.sentence
        for b in blocs_detect(data, COLLEAGUES).blocs
        if b.talk_id == 7
        for e in b.evidence
        if e.signal == "narrow" and "top score" in e.sentence
    ]
    assert narrow == [
        narrow[0].split(" (")[0]
        + " (1 of them linked to the speaker's organisation by name or address only, left to the colleague test"
        " and not in this group) give this talk the top score, " + narrow[0].split(" give this talk the top score, ")[1]
    ]
    assert narrow[0].startswith("9 voters who rated no more than 2 talks in all (1 of them")
    (plain,) = [
        e.sentence
        for b in blocs_detect(data, EXACT).blocs
        if b.talk_id == 7
        for e in b.evidence
        if e.signal == "narrow" and "top score" in e.sentence
    ]
    assert "left to the colleague test" not in plain
