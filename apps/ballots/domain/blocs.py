"""Blocs: groups of voters acting together on one talk, and how much they count.

The rule, in an organizer's words. For every talk we look at groups of voters — people on one
ticket order, colleagues from one company or email domain (free-mail domains are not companies),
people who rated only one or two talks, votes cast within 1 to 24 hours (by anyone, in one or more
waves, or by one organisation while the rest of it is not voting), accounts with nearly
identical ballots, speakers of other talks whose talks the talk's own speaker rates up in return
(a ring of speakers voting for each other), and accounts created within hours of each other — and
ask whether the group rated the talk up (or down) far more often than it would have if each person
had voted on their own. "On their own" is measured, not assumed: from how popular the talk is with
everyone else, how many votes the group cast in
total, and how busy the whole site (or the organisation) was at that moment. A group is a bloc only when the difference
is large and very unlikely by chance; every bloc carries sentences with the numbers behind it. A
ticket order, an organisation, the light voters or a burst window that chose the talk together but
scored it no more that way than everyone else who rated it can be left out (`score_deviation:
required`, round 25, an option). Accounts with nearly identical ballots who also rate up several talks of
the same topic (the talks everyone else rates together with this one), as fans of a track do, share a
taste, not a push: their ring can be left unreported on those talks (`taste: rings`, round 30, an
option; blocs_taste.py).

A bloc's influence is bounded, not erased: its k voters count together as max(k ** e, the number
of them that independent voting would have given the talk anyway), never more than k; the policy's
`bound_exponent` e is 0.25 by default (k^¼; docs/blocs.md says why not the issue's √k example). So a large
company that genuinely likes a talk keeps its fair share; only the excess is cut. The allowance above
the fair share is the benefit of the doubt, so it shrinks as the evidence grows (`bound_by_evidence`):
a bloc whose p-value just passes its test's bar keeps k ** e, one whose p is the bar squared
k ** (e / 2), and so on toward one voter, what a confirmation gives. Organised
down-voting is bounded the same way. Accounts with nearly identical ballots are one judgement, most
likely one person's, so a puppet ring counts as max(1, its fair share) (`ring_exponent` 0). Each
member's vote on that talk is multiplied by (what the bloc counts as) / k. An organizer can dismiss
a bloc (its votes count in full again) or confirm it (it then counts as max(k ** confirmed_exponent,
its fair share): by default just its fair share, at least one voter). Weights are in vote weight,
so pledgers count half.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np

from .blocs_bursts import BurstScan, BurstWindow, burst_findings, burst_scan, burst_windows, organisation_burst_findings
from .blocs_direction import direction_in_line, raters_build
from .blocs_input import BlocInput, BlocRule, votes_by_talk
from .blocs_joined import joined_findings
from .blocs_lean import lean_findings
from .blocs_lone import lone_counted, lone_findings, sittings_marked
from .blocs_merge import _voter_mask, findings_admit, findings_merge, follow_up_count, in_order
from .blocs_organisations import orders_of_speakers, organisations_build
from .blocs_saturation import light_colleague_votes, narrow_expected
from .blocs_signals import (
    OPPOSE,
    SUPPORT,
    Context,
    Finding,
    _sorted_member,
    context_build,
    distinct,
    group_findings,
    similar_findings,
)
from .blocs_speakers import speaker_findings
from .blocs_taste import taste_build, taste_explained


class BlocStatus(StrEnum):
    DETECTED = "detected"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


# How a voter's group is named on their receipt, most specific first. Never names a person.
GROUP_WORDS = {
    "colleagues": "colleagues of the speaker",
    "speakers": "speakers of other talks",
    "order": "people who share a ticket order",
    "similar": "accounts with nearly identical ballots",
    "joined": "accounts created at the same time",
    "organisation_burst": "people from one organisation who voted on it within a short time",
    "affiliation": "people from one organisation",
    "burst": "people who voted on it within a short time",
    "narrow": "voters who rated only one or two talks",
}
# A group taken for the speaker's organisation only through an inferred link (`speaker_links: registrable`,
# `organisation_pairs: plurality`: a registered domain, a name read without words like "university", what most of
# a domain's voters write) is described with the inference, not as colleagues (docs/blocs.md, decision 3): the
# conflict rule's words are for exact links and the organisations the organizers declare.
INFERRED_COLLEAGUE_WORDS = (
    "people from one organisation (taken to be the speaker's from a similar name or email domain)"
)
MIXED_COLLEAGUE_WORDS = (
    "colleagues of the speaker and people from an organisation taken to be the speaker's from a similar name or "
    "email domain"
)


class SpeakerLink(StrEnum):
    """How a bloc's colleague findings link their groups to the speaker's organisation."""

    NONE = ""  # no colleague finding
    EXACT = "exact"  # the speaker's own domain or company, or an organisation the organizers declared
    INFERRED = "inferred"  # only wider links (a registered domain, a name, a domain's plurality spelling)
    MIXED = "mixed"  # some of each


_DIRECTION_WORDS = {SUPPORT: "support", OPPOSE: "oppose", 0: "alike"}


@dataclass(frozen=True)
class Evidence:
    signal: str
    sentence: str  # plain words with numbers an organizer can check
    observed: int
    expected: float
    p_value: float


@dataclass(frozen=True)
class Bloc:
    key: str  # stable for the same talk, direction and members
    talk_id: int
    direction: str  # "support", "oppose", or "alike" (a puppet ring's identical middle scores)
    member_ids: tuple[int, ...]  # voter ids, ascending
    weight: float  # members' summed class weight
    fair_share: float  # members expected to vote this way on their own (in voters)
    signals: tuple[str, ...]
    evidence: tuple[Evidence, ...]  # most convincing first
    p_value: float
    # How far the evidence clears the bar it had to pass: log p / log bar of the finding that clears
    # its own bar most (1: just enough; 2: p is the bar squared). 1 when unknown (a stored bloc).
    strength: float = 1.0
    # Members whose vote does not move the talk the bloc's way (rule key `discount_votes: pushing`: a
    # support bloc's member scoring below the mean of the talk's votes by voters outside the bloc, an
    # opposition bloc's member scoring above it). Empty under `discount_votes: all`; a stored bloc carries
    # the members its detection spared (`Bloc.spared`).
    not_pushing: tuple[int, ...] = ()
    # How its colleague findings link their groups to the speaker (`SpeakerLink`; "" without one): a member's
    # receipt calls the group colleagues of the speaker only on exact or declared links.
    speaker_link: str = ""

    @property
    def size(self) -> int:
        return len(self.member_ids)

    @property
    def colleagues_of_speaker(self) -> bool:
        return "colleagues" in self.signals


@dataclass(frozen=True)
class BlocReport:
    blocs: tuple[Bloc, ...]
    rule: BlocRule


def _p_text(log_p: float) -> str:
    if not np.isfinite(log_p):
        return "p < 1e-300"
    if log_p < -700:
        return f"p < 1e-{int(-log_p / np.log(10))}"
    p = float(np.exp(log_p))
    return f"p = {p:.1g}" if p >= 1e-300 else "p < 1e-300"


def _number(x: float) -> str:
    return f"{x:.1f}" if x >= 0.1 or x == 0 else f"{x:.2g}"


def _utc(seconds) -> str:
    return dt.datetime.fromtimestamp(int(seconds), tz=dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _sentence(f: Finding, data: BlocInput, lone_only: bool = False) -> str:
    """`lone_only`: the finding is in a bloc whose fair share keeps the lone windows' stated expectations
    (`lone_fair_share: conditional` on a bloc of lone windows only, round 41)."""
    scale = data.scale
    if f.top_score:
        way = f"give this talk the top score, '{scale.label(scale.maximum)}'"
    elif f.direction == SUPPORT:
        way = f"rate this talk '{scale.label(scale.wanted_min)}' or higher"
    elif f.direction == OPPOSE:
        way = "rate this talk down"
    else:
        way = "give this talk the same middle score"
    tail = f"{_number(f.expected)} expected under independent voting ({_p_text(f.log_p)})."
    link = f" ({f.link})" if f.link else ""  # linked by `speaker_links: registrable` only (round 33)
    # A group only the wider links make the speaker's, found by the test that judged it before the link
    # (`linked_groups: either | before`, round 39): which test, and the bar it met.
    judged = (
        f" Linked to the speaker only by its name or address, it is tested as any organisation is, as it was "
        f"before that link: the {f.judged_as} test finds it (its bar {_p_text(f.log_bar)})."
        if f.judged_as
        else ""
    )
    if f.raters:  # the lean test (round 28): an organisation's low scores against the talk's other raters
        who = f"{f.label}, the speaker's organisation{link}," if f.signal == "colleagues" else f.label
        return (
            f"{f.observed} of the {f.group_voters} voters from {who} who rated this talk gave it "
            f"'{scale.label(f.low_score)}' or lower, against {f.raters_low} of its {f.raters} other raters "
            f"({_p_text(f.log_p)}); {_number(f.expected)} expected from the votes of {f.label} on every talk.{judged}"
        )
    if f.signal == "order":
        return f"{f.observed} of the {f.group_voters} voters on ticket order {f.label} {way}; {tail}"
    if f.signal == "colleagues" and f.organisation:
        return (
            f"{f.observed} of the {f.group_voters} voters on ticket order {f.label}, a booking of "
            f"{f.organisation}, the speaker's organisation{link}, {way}; {tail}{judged}"
        )
    if f.signal == "colleagues":
        who = f"{f.observed} of the {f.group_voters} voters from {f.label}"
        return f"{who}, the speaker's organisation{link}, {way}; {tail}{judged}"
    if f.signal == "speakers":
        back = "gives a talk of each of them the top score" if f.top_score else "rates a talk of each of them up"
        who = "one of its speakers" if f.group_voters > 1 else "its speaker"
        return f"{f.observed} speakers of other talks {way}, and {who} {back} in return; {tail}"
    if f.signal == "affiliation":
        return f"{f.observed} of the {f.group_voters} voters from {f.label} {way}; {tail}"
    if f.signal == "narrow":
        limit = int(f.label or 2)
        # A newly linked colleague among them is counted, not flagged (round 35): the sentence says so.
        counted = (
            f" ({f.unflagged} of them linked to the speaker's organisation by name or address only, left to the "
            f"colleague test and not in this group)"
            if f.unflagged
            else ""
        )
        return f"{f.observed} voters who rated no more than {limit} talks in all{counted} {way}; {tail}"
    window = f.window or (0, 0)
    start, hours = _utc(window[0]), (window[1] - window[0]) / 3600
    if f.signal in ("burst", "organisation_burst"):
        votes = {True: "votes giving it the top score", False: "votes rating it up"}[f.top_score]
        votes = votes if f.direction == SUPPORT else "votes rating it down"
        who, activity = ("", "site-wide") if f.signal == "burst" else (f" from {f.label}", "that organisation's")
        # The organizers' own promotions of the talk (round 20): the reviewer sees whether the burst
        # came after the hours a promotion explains.
        promoted = data.talk_promoted[data.talk_promoted[:, 0] == f.talk, 1]
        when = ", ".join(_utc(p) for p in promoted)
        note = f" The organizers promoted this talk on {when}." if len(promoted) else ""
        if f.lone_minutes:  # the lone-vote test (round 31)
            alone = f"each cast with no other vote by its voter within {f.lone_minutes} minutes"
            if f.lone_hours:  # round 32: and the voter's only such vote in a day either side
                alone += f" and no other such vote by its voter within {f.lone_hours} hours"
            if f.conditional is not None:  # round 38: the numbers the conditional test used
                tested = _conditional_text(f, lone_only)
                return f"{f.observed} {votes} in {hours:g} hours from {start}, {alone}. {tested}{note}"
            return (
                f"{f.observed} {votes} in {hours:g} hours from {start}, {alone}; {_number(f.expected)} expected "
                f"from the talk's share of such votes and site-wide such votes at that time ({_p_text(f.log_p)})."
                f"{note}"
            )
        return (
            f"{f.observed} {votes}{who} in {hours:g} hours from {start}; {_number(f.expected)} expected from the "
            f"talk's share of all votes and {activity} activity at that time ({_p_text(f.log_p)}).{note}"
        )
    if f.signal == "joined":
        return (
            f"{f.observed} voters whose accounts were created within {hours:g} hour{'' if hours == 1 else 's'} "
            f"from {start} {way}; "
            f"{_number(f.expected)} expected from the talk's share of all votes and the votes of every account "
            f"created in that time ({_p_text(f.log_p)})."
        )
    return (
        f"{f.observed} accounts cast nearly the same ballot on {f.shared_talks} talks, this one included "
        f"({f.members.size} of them {way.replace('rate', 'rating')}); {tail}"
    )


def _conditional_text(f: Finding, lone_only: bool = False) -> str:
    """What the conditional lone-vote test (round 38) judged a window by, in numbers a reader can redo: the
    window's share of the site's lone votes over the reference span that gave the p-value, and the talk's
    other such votes in that span, each falling in the window with that chance: the expected number is
    their count times the share (the window's first vote is given, so it is not among them). Then what the
    window gives the bloc's fair share (`_kept_text`)."""
    c = f.conditional
    if c.span is None:
        where, there, other = "over the whole vote", "", "the days around them"
    else:
        where = f"from {_utc(c.span[0])} to {_utc(c.span[1])}, these hours and the days around them"
        there, other = " in that span", "the whole vote"
    also = (
        f" The test also judged these hours against {other} and took the less unusual of the two." if c.compared else ""
    )
    return (
        f"These hours hold {c.in_window} of the {c.in_span} votes cast so on any talk, with any score, {where} "
        f"(a share of {c.chance:.3g}); of the talk's {c.trials} other such votes{there}, each falling in these "
        f"hours with that chance, {_number(c.expected)} were expected here besides the first, and "
        f"{f.observed - 1} came ({_p_text(f.log_p)}).{also}{_kept_text(f, lone_only)}"
    )


def _kept_text(f: Finding, lone_only: bool) -> str:
    """What a conditional lone window gives its bloc's fair share (the session after round 41). The test's
    expectation is given the talk's votes in the window, the campaign's own; the fair share keeps the plug-in
    prediction (`Finding.expected`): the talk's share of the site's such votes outside the window times the
    site's such votes in it. (The conditional model fitted to the votes outside the window gives it back:
    N_out * q / (1 - q) = N_out * in_window / (in_span - in_window).) The counts stated are the reported
    span's; over the whole vote the share is smoothed (half a vote added to every talk's) and, under
    `lone_share: local`, pulled toward the whole vote's share and never below it (`blocs_bursts._local_rate`).
    Under `lone_fair_share: conditional` a bloc of lone windows only keeps the stated expectation (round 41),
    and the sentence says that instead."""
    if lone_only:
        return " For its fair share the bloc keeps that expectation."
    c = f.conditional
    outside = max(c.trials - (f.observed - 1), 0)  # the talk's such votes in the span, the window's left out
    site = max(c.in_span - c.in_window, 0)
    how = (
        "over the whole vote, with half a vote added to every talk's"
        if c.span is None
        else "in that span, pulled toward the whole vote's share and never below it"
    )
    return (
        f" For its fair share the bloc keeps {_number(f.expected)} voters from these hours: the talk's share of the "
        f"site's such votes outside them ({outside} of {site} {how}) times the site's {c.in_window} in them."
    )


def blocs_detect(data: BlocInput, rule: BlocRule | None = None) -> BlocReport:
    """Runs every signal the rule enables and returns the blocs, ordered by talk id, then strength."""
    rule = rule or BlocRule()
    _ctx, findings = findings_collect(data, rule)
    by_target: dict[tuple[int, int], list[Finding]] = {}
    for f in findings:
        by_target.setdefault((f.talk, f.direction), []).append(f)
    by_target = {target: in_order(found, rule.lone_order) for target, found in by_target.items()}  # both passes
    follow_ups = follow_up_count(list(by_target.values()), rule.follow_ups, ordered=True, lone=rule.lone_order)
    together = ("colleagues", "burst", "joined") if rule.bursts == "every" else ("colleagues",)
    by_talk = votes_by_talk(data) if rule.discount_votes == "pushing" else None
    blocs = []
    scratch = _voter_mask(findings)  # one mask for every target's merge (findings_admit clears it)
    on_talk: dict[int, tuple[np.ndarray, ...]] = {}  # the current talk's votes, for both ways' blocs
    for talk, direction in sorted(by_target):
        admitted = findings_admit(by_target[(talk, direction)], rule, follow_ups, ordered=True, scratch=scratch)
        if by_talk is not None and talk not in on_talk:
            on_talk = {talk: _votes_on(data, by_talk, talk)}
        for group in findings_merge(admitted, together):
            blocs.append(_bloc(group, data, talk, direction, on_talk.get(talk), rule.lone_fair_share))
    blocs.sort(key=lambda b: (b.talk_id, b.direction, -b.size, b.key))
    return BlocReport(tuple(blocs), rule)


def findings_collect(data: BlocInput, rule: BlocRule) -> tuple[Context, list[Finding]]:
    """Every finding of every signal the rule enables, before the merge (the detection context too)."""
    ctx = context_build(data, rule)
    findings: list[Finding] = []
    # Organisations (a company and the domain its voters pair it with, round 4), or under
    # `organisations: false` companies and domains apart.
    by_org = {"affiliation", "organisation_burst"} & set(rule.signals)
    # `speaker_links: registrable` (round 33): the speaker's organisation also through the same
    # registered domain and the name without words like "university" (blocs_speaker_links.py).
    wide = rule.speaker_links == "registrable" and len(data.talk_domain_wide) > 0
    # `organisation_pairs: plurality` (round 36) links the speaker's organisation the same way: a domain's
    # clear plurality spelling (blocs_organisations.plurality_pairs). `placeholder_companies` sets aside
    # company fields that name no employer (blocs_placeholders.py).
    plural = rule.organisation_pairs == "plurality"
    build = {"wide_links": wide, "plurality": plural, "placeholders": rule.placeholder_companies}
    links = wide or plural
    # `linked_groups` (round 39): how a group only the wider links make the speaker's is judged. "either":
    # by the colleague test and by the test that judged it under the exact links, a finding if either finds
    # it; "before": by the latter alone. Either way the exact links' findings all stand.
    judge = rule.linked_groups if links else "colleagues"
    retested = judge != "colleagues"
    orgs = organisations_build(data, **build) if rule.organisations and by_org else None
    # Colleagues on a booking (round 9) and light colleagues (round 10) are found through the
    # organisations of round 4, whatever `organisations` says.
    by_colleagues = ("order" in rule.signals and rule.order_colleagues) or (
        "narrow" in rule.signals and rule.narrow_colleagues
    )
    known = orgs if orgs is not None or not by_colleagues else organisations_build(data, **build)
    # The wider links move the cells they link to the colleague tests, and test every other cell as
    # under `exact` (round 35): the order, affiliation, narrow and lean tests keep their counts, their
    # count of tests and their false-discovery bar, so a right link costs no finding elsewhere. The
    # exact links' pairs say what those tests leave to the colleague tests.
    exact = known.exact_pairs() if links and known is not None else None
    if "order" in rule.signals:
        if rule.order_colleagues:
            # Company bookings voting on their own speaker's talk are colleagues (round 9).
            pairs, org_of_order = orders_of_speakers(known.voter_org, data.voter_order, known.speaker_pairs)
            names = tuple(known.labels[g] if g >= 0 else "" for g in org_of_order)
            bar = None if exact is None else orders_of_speakers(known.voter_org, data.voter_order, exact)[0]
            findings += group_findings(
                ctx,
                data.voter_order,
                "order",
                data.order_labels,
                pairs,
                organisations=names,
                bar_pairs=bar,
                linked=judge,
            )
        else:
            findings += group_findings(ctx, data.voter_order, "order", data.order_labels)
    if "affiliation" in rule.signals:
        if orgs is not None:
            findings += group_findings(
                ctx, orgs.voter_org, "affiliation", orgs.labels, orgs.speaker_pairs, bar_pairs=exact, linked=judge
            )
        else:  # the rule of policies stored before organisations (docs/blocs.md, round 4)
            findings += group_findings(ctx, data.voter_company, "affiliation", data.company_labels, data.talk_company)
            pairs = np.concatenate([data.talk_domain, data.talk_domain_wide]) if wide else data.talk_domain
            bar = data.talk_domain if wide else None
            findings += group_findings(
                ctx,
                data.voter_domain,
                "affiliation",
                data.domain_labels,
                pairs,
                bar_pairs=bar,
                linked=judge if wide else "colleagues",
            )
    if "narrow" in rule.signals:
        narrow = np.where(ctx.votes_per_voter <= rule.narrow_max_votes, 0, -1).astype(np.int32)
        label = (str(rule.narrow_max_votes),)
        if rule.narrow_colleagues:
            # Light voters of the speaker's organisation voting on that speaker's talk are left out of
            # the narrow test on it (round 10): loyalty is not independent voting, and the colleague test
            # judges them.
            # A light voter linked only by the wider links still counts, as under `exact`; under
            # `linked_groups: colleagues` they are not flagged here (the colleague test judges their vote).
            pairs = known.speaker_pairs if exact is None else exact
            left_out = light_colleague_votes(ctx, known.voter_org, pairs)
            expected = narrow_expected(ctx, known.voter_org, pairs)
            found = group_findings(ctx, narrow, "narrow", label, None, expected, left_out=left_out)
            if exact is not None and not retested:  # else the narrow test flags them as under `exact`
                linked = light_colleague_votes(ctx, known.voter_org, known.speaker_pairs)
                found = _without_votes(found, data, linked, rule.min_members)
            findings += found
        else:
            findings += group_findings(ctx, narrow, "narrow", label, None, narrow_expected(ctx))
    if "burst" in rule.signals:
        site = burst_findings(ctx)
        counted = lone_counted(data, rule) if rule.lone_votes in ("tested", "isolated") and ctx.n_votes else None
        lone = lone_findings(ctx, counted) if counted is not None else []
        if rule.burst_sittings == "tested":
            # A site-wide burst beside a lone window: its votes cast in sittings must be a burst of their own
            # to come in (round 41; the merge asks).
            site = sittings_marked(ctx, site, lone, counted)
        # The burst test over the votes cast alone (round 31): a campaign spread over a day.
        findings += site + lone
    if "organisation_burst" in rule.signals:
        if orgs is not None:
            findings += organisation_burst_findings(ctx, orgs.voter_org, orgs.labels)
        else:
            findings += organisation_burst_findings(ctx, data.voter_company, data.company_labels)
            findings += organisation_burst_findings(ctx, data.voter_domain, data.domain_labels)
    if "similar" in rule.signals:
        findings += similar_findings(ctx)
    if "speakers" in rule.signals:
        findings += speaker_findings(ctx)
    if "joined" in rule.signals:
        findings += joined_findings(ctx)
    if rule.oppose_lean == "tested" and "affiliation" in rule.signals:
        # An organisation's low scores against the talk's other raters (round 28). Not ticket orders: a
        # household or a few friends on one booking share their taste, so the test's null (each rater
        # scores like the talk's other raters) does not hold for them.
        o = orgs or known or organisations_build(data, **build)
        pairs = exact if o is known and exact is not None else o.exact_pairs()
        found = lean_findings(ctx, o.voter_org, "affiliation", o.labels, pairs)
        if links:  # tested as under `exact`; a group only the wider links make the speaker's is left out
            linked = {(pos, o.labels[g]) for pos, g in o.link_notes}
            if retested:  # or, under `linked_groups: either | before`, reported as colleagues this test found
                lean = "low-score"
                found = [
                    replace(f, signal="colleagues", judged_as=lean) if (f.talk, f.label) in linked else f for f in found
                ]
            else:
                found = [f for f in found if (f.talk, f.label) not in linked]
        findings += found
    if rule.score_deviation == "required":
        # A group that scored the talk as everyone else did is not pushing it (round 25).
        raters = raters_build(ctx, *((orgs.voter_org, orgs.labels) if orgs is not None else (None, ())))
        findings = [f for f in findings if not direction_in_line(ctx, raters, f)]
    if rule.taste == "rings" and any(f.signal == "similar" and f.direction == SUPPORT for f in findings):
        # A ring rating up several talks of one topic shares a taste (blocs_taste.py).
        taste = taste_build(ctx)
        findings = [f for f in findings if not taste_explained(ctx, taste, f)]
    if links:
        findings = _with_link_notes(findings, data, orgs if orgs is not None else known, rule.organisations)
    return ctx, findings


def _without_votes(findings: list[Finding], data: BlocInput, votes: np.ndarray, min_members: int) -> list[Finding]:
    """`findings` without the members whose vote on the finding's talk is one of `votes` (bool per vote),
    counted in `Finding.unflagged`; a finding left with fewer than `min_members` members is dropped."""
    n_talks = max(1, data.n_talks)
    hit = np.nonzero(votes)[0]
    keys = np.unique(data.vote_voter[hit].astype(np.int64) * n_talks + data.vote_talk[hit])
    out = []
    for f in findings:
        keep = ~_sorted_member(keys, f.members.astype(np.int64) * n_talks + f.talk)
        if keep.all():
            out.append(f)
        elif keep.sum() >= min_members:
            out.append(replace(f, members=f.members[keep], unflagged=int((~keep).sum())))
    return out


def _with_link_notes(findings: list[Finding], data: BlocInput, orgs, by_org: bool) -> list[Finding]:
    """Colleague findings whose group is the speaker's organisation only through `speaker_links:
    registrable` carry how it was linked (the evidence repeats it)."""
    notes: dict[tuple[int, str], str] = {}
    if orgs is not None:
        notes = {(pos, orgs.labels[g]): note for (pos, g), note in orgs.link_notes.items()}
    if not by_org:  # affiliation findings name domains (policies stored before round 4)
        for (pos, d), note in zip(data.talk_domain_wide.tolist(), data.talk_domain_wide_notes, strict=True):
            notes.setdefault((pos, data.domain_labels[d]), note)
    out = []
    for f in findings:
        note = notes.get((f.talk, f.organisation or f.label)) if f.signal == "colleagues" else None
        out.append(replace(f, link=note) if note else f)
    return out


# `discount_votes: pushing` spares members only on a talk with at least this many weighted voters
# outside the bloc. With fewer, the talk's level is a handful of people's scores: poorly estimated, and
# whether a member's receipt lists their vote would tell them on which side of one or two other voters'
# scores their own lies.
PUSHING_MIN_OTHERS = 5


def _votes_on(data: BlocInput, by_talk: tuple[np.ndarray, np.ndarray], talk: int) -> tuple[np.ndarray, ...]:
    """The talk's votes as `_not_pushing` reads them: voters, scores (as floats) and the voters' weights,
    in `votes_by_talk`'s order. Worked out once per talk, not once per bloc (a talk has blocs both ways,
    and several a way)."""
    order, starts = by_talk
    votes = order[starts[talk] : starts[talk + 1]]
    voters = data.vote_voter[votes]
    return voters, data.vote_score[votes].astype(np.float64), data.voter_weight[voters]


def _not_pushing(
    data: BlocInput, on_talk: tuple[np.ndarray, ...], members: np.ndarray, direction: int
) -> tuple[int, ...]:
    """The members whose vote on the talk does not move it the bloc's way: a support bloc's member
    scoring below the class-weighted mean score of the talk's other voters, an opposition bloc's member
    scoring above it (`discount_votes: pushing`). None when fewer than `PUSHING_MIN_OTHERS` voters
    outside the bloc with a weight rated the talk. `on_talk`: the talk's votes (`_votes_on`)."""
    if direction not in (SUPPORT, OPPOSE):
        return ()
    voters, scores, weights = on_talk
    # `members` is sorted and unique (np.unique): membership by binary search gives np.isin's booleans
    # without its sort per bloc (thousands of blocs on the large worlds).
    inside = _sorted_member(members, voters)
    outside = ~inside
    weight = weights[outside]
    if int(np.count_nonzero(weight > 0)) < PUSHING_MIN_OTHERS:
        return ()
    level = float((weight * scores[outside]).sum() / weight.sum())
    away = scores < level if direction == SUPPORT else scores > level
    return tuple(sorted(data.voter_ids[voters[inside & away]].tolist()))


def _bloc(
    group: list[Finding],
    data: BlocInput,
    talk: int,
    direction: int,
    on_talk: tuple[np.ndarray, ...] | None,
    lone_fair_share: str = "plugin",
) -> Bloc:
    """The bloc of one merged group of findings. `on_talk`: the talk's votes (`_votes_on`) under
    `discount_votes: pushing`, else None. `lone_fair_share`: the rule key (round 41), what a conditional
    lone window predicts in the fair share."""
    members = distinct(np.concatenate([f.members for f in group]))
    ids = tuple(data.voter_ids[members].tolist())
    group = sorted(group, key=lambda f: (f.log_p, f.signal, f.label, f.top_score))
    # One sentence per group (the most convincing of its tests: top score or any upward rating, one
    # burst window); every finding's members are in the bloc and every prediction in its fair share.
    strongest: dict[tuple[str, str], Finding] = {}
    for f in group:
        strongest.setdefault((f.signal, f.label), f)
    # A lone window under the conditional test states (and stores) the expectation that test used; under
    # `lone_fair_share: plugin` the fair share below keeps its plug-in prediction (rounds 38-40), under
    # "conditional" the stated one (round 41). The sentence says which one the bloc keeps.
    lone_only = lone_fair_share == "conditional" and all(f.lone_minutes for f in group)
    evidence = tuple(
        Evidence(f.signal, _sentence(f, data, lone_only), f.observed, round(_stated(f), 6), float(np.exp(f.log_p)))
        for f in strongest.values()
    )
    word = _DIRECTION_WORDS[direction]
    talk_id = int(data.talk_ids[talk])
    key = hashlib.sha256(f"{talk_id}:{word}:{','.join(map(str, ids))}".encode()).hexdigest()[:16]
    # The fair share: the most generous of the groups' own predictions, never more than the bloc.
    # Under `lone_fair_share: conditional` (round 41) a bloc made of lone windows only takes the prediction
    # its evidence states; beside a finding over all votes a lone window keeps its plug-in prediction (the
    # conditional expectation there is mostly the campaign's own votes: it is given the talk's lone votes
    # and the site's in the window, the campaign's included).
    fair = min(float(len(ids)), max(_stated(f) if lone_only else f.expected for f in group))
    strength = max((f.log_p / f.log_bar for f in group if f.log_bar < 0), default=1.0)
    return Bloc(
        speaker_link=_speaker_link(group),
        key=key,
        talk_id=talk_id,
        direction=word,
        member_ids=ids,
        weight=float(data.voter_weight[members].sum()),
        fair_share=round(fair, 6),
        signals=tuple(sorted({f.signal for f in group})),
        evidence=evidence,
        p_value=float(np.exp(group[0].log_p)),
        strength=round(max(1.0, strength), 6) if np.isfinite(strength) else 1e6,
        not_pushing=_not_pushing(data, on_talk, members, direction) if on_talk is not None else (),
    )


def _stated(f: Finding) -> float:
    """The prediction a finding's evidence states: a conditional lone window's expectation given the talk's
    other such votes (round 38), else the finding's own prediction."""
    return f.conditional.expected if f.conditional is not None else f.expected


def _speaker_link(group: list[Finding]) -> str:
    """How the group's colleague findings link to the speaker: a finding on a cell only the wider links make
    the speaker's carries how it was linked (`Finding.link`) or the test that found it before the link
    (`Finding.judged_as`)."""
    kinds = {
        SpeakerLink.INFERRED if f.link or f.judged_as else SpeakerLink.EXACT for f in group if f.signal == "colleagues"
    }
    if not kinds:
        return SpeakerLink.NONE.value
    return kinds.pop().value if len(kinds) == 1 else SpeakerLink.MIXED.value


def bloc_counts_as(bloc: Bloc, rule: BlocRule, status: BlocStatus = BlocStatus.DETECTED) -> float:
    """What the bloc's members count as together, in vote weight."""
    if status == BlocStatus.DISMISSED or bloc.weight <= 0:
        return bloc.weight
    exponent = rule.confirmed_exponent if status == BlocStatus.CONFIRMED else rule.bound_exponent
    if status == BlocStatus.DETECTED and rule.bound_by_evidence:
        # The allowance above the fair share is the benefit of the doubt, so it shrinks as the evidence
        # grows: k ** (e / strength), tending to what a confirmation gives, never below it.
        exponent = max(exponent / max(1.0, bloc.strength), min(exponent, rule.confirmed_exponent))
    if "similar" in bloc.signals and rule.ring_exponent is not None:  # a puppet ring: one judgement
        exponent = min(exponent, rule.ring_exponent)
    k = len(bloc.member_ids)
    mean_weight = bloc.weight / k
    counted = max(k**exponent, bloc.fair_share) * mean_weight  # k^e voters of the members' mean weight
    return min(bloc.weight, counted)


def bloc_multiplier(bloc: Bloc, rule: BlocRule, status: BlocStatus = BlocStatus.DETECTED) -> float:
    """The factor in (0, 1] applied to each member's vote on the bloc's talk."""
    if bloc.weight <= 0:
        return 1.0
    return bloc_counts_as(bloc, rule, status) / bloc.weight


def bloc_explanation(bloc: Bloc, multiplier: float, *, confirmed: bool = False) -> str:
    """For the member's own receipt: what happened to their vote, without naming anyone else."""
    return bloc_member_sentence(
        size=len(bloc.member_ids),
        signals=bloc.signals,
        direction=bloc.direction,
        multiplier=multiplier,
        confirmed=confirmed,
        speaker_link=bloc.speaker_link,
    )


def bloc_member_sentence(
    *,
    size: int,
    signals: Sequence[str],
    direction: str,
    multiplier: float,
    confirmed: bool = False,
    speaker_link: str = "",
) -> str:
    """The sentence a bloc member reads, from what a stored bloc keeps (the same words as at detection).
    A group linked to the speaker only by inference is not called colleagues (`speaker_link`)."""
    words = next((GROUP_WORDS[s] for s in GROUP_WORDS if s in signals), "voters")
    if "colleagues" in signals and speaker_link == SpeakerLink.INFERRED:
        words = INFERRED_COLLEAGUE_WORDS
    elif "colleagues" in signals and speaker_link == SpeakerLink.MIXED:
        words = MIXED_COLLEAGUE_WORDS
    way = {"support": "rated it up", "oppose": "rated it down"}.get(direction, "rated it alike")
    text = (
        f"Your vote on this talk counted at {multiplier:.2f} of its weight because it is part of a group of "
        f"{size} {words} who {way} together; such a group counts as {multiplier * size:.1f} voters."
    )
    return text + (" The organizers reviewed the group and confirmed it." if confirmed else "")


@dataclass(frozen=True)
class BlocDiscounts:
    """Per (voter, talk) multipliers, as aligned arrays and as the mapping the tally takes."""

    voter_ids: np.ndarray  # int64
    talk_ids: np.ndarray  # int64
    multipliers: np.ndarray  # float64 in (0, 1]
    bloc_keys: tuple[str, ...]
    reasons: tuple[str, ...]

    def mapping(self) -> dict[tuple[int, int], float]:
        return {
            (int(v), int(t)): float(m)
            for v, t, m in zip(self.voter_ids, self.talk_ids, self.multipliers, strict=True)
            if m < 1.0
        }

    def reason_mapping(self) -> dict[tuple[int, int], str]:
        return {
            (int(v), int(t)): r
            for v, t, m, r in zip(self.voter_ids, self.talk_ids, self.multipliers, self.reasons, strict=True)
            if m < 1.0
        }


def bloc_discounts(
    blocs: Sequence[Bloc], rule: BlocRule, statuses: Mapping[str, BlocStatus | str] | None = None
) -> BlocDiscounts:
    """The multiplier for every member's vote on their bloc's talk. `statuses` maps bloc keys to an
    organizer's decision; blocs not in it are "detected". A dismissed bloc's votes count in full."""
    statuses = statuses or {}
    pushing_only = rule.discount_votes == "pushing"
    mults, keys, reasons = [], [], []
    for bloc in blocs:
        status = BlocStatus(statuses.get(bloc.key, BlocStatus.DETECTED))
        m = round(bloc_multiplier(bloc, rule, status), 6)
        confirmed = status == BlocStatus.CONFIRMED
        mults.append(m)
        keys.append(bloc.key)
        reasons.append(
            bloc_explanation(bloc, m, confirmed=confirmed)
            if m < 1.0
            else "Counted in full: the group was reviewed and dismissed."
        )
    sizes = np.array([len(b.member_ids) for b in blocs], dtype=np.int64)
    voters = np.fromiter((v for b in blocs for v in b.member_ids), dtype=np.int64, count=int(sizes.sum()))
    talks = np.repeat(np.array([b.talk_id for b in blocs], dtype=np.int64), sizes)
    multipliers = np.repeat(np.array(mults, dtype=np.float64), sizes)
    # `discount_votes: pushing`: a member whose vote does not move the talk the bloc's way counts in full
    # (taking weight from it would move the talk the bloc's way); a dismissed bloc is in full anyway.
    spared = np.zeros(len(voters), dtype=bool)
    if pushing_only and blocs:
        # Most blocs spare nobody: their members are marked without an np.isin each (thousands at large).
        spared = np.concatenate(
            [
                np.isin(np.array(b.member_ids, dtype=np.int64), b.not_pushing)
                if b.not_pushing
                else np.zeros(len(b.member_ids), dtype=bool)
                for b in blocs
            ]
        )
        multipliers[spared] = 1.0
    # One entry per (voter, talk), ordered by talk and voter: the smallest multiplier, the first bloc
    # among equals (one vote has one direction, so two blocs share one only with overlapping input).
    order = np.lexsort((multipliers, voters, talks))
    first = np.ones(len(order), dtype=bool)
    first[1:] = (talks[order][1:] != talks[order][:-1]) | (voters[order][1:] != voters[order][:-1])
    chosen = order[first]
    bloc_of = np.repeat(np.arange(len(mults)), sizes)[chosen].tolist()
    return BlocDiscounts(
        voter_ids=voters[chosen],
        talk_ids=talks[chosen],
        multipliers=multipliers[chosen],
        bloc_keys=tuple(keys[i] for i in bloc_of),
        reasons=tuple(
            _NOT_PUSHING[blocs[i].direction] if spared[c] and mults[i] < 1.0 else reasons[i]
            for i, c in zip(bloc_of, chosen.tolist(), strict=True)
        ),
    )


_NOT_PUSHING = {
    "support": "Counted in full: your score is below this talk's other ratings, so it does not raise the talk.",
    "oppose": "Counted in full: your score is above this talk's other ratings, so it does not lower the talk.",
}


__all__ = [
    "GROUP_WORDS",
    "INFERRED_COLLEAGUE_WORDS",
    "MIXED_COLLEAGUE_WORDS",
    "OPPOSE",
    "SUPPORT",
    "Bloc",
    "BlocDiscounts",
    "BlocReport",
    "BlocStatus",
    "BurstScan",
    "BurstWindow",
    "Evidence",
    "SpeakerLink",
    "bloc_counts_as",
    "bloc_discounts",
    "bloc_explanation",
    "bloc_member_sentence",
    "bloc_multiplier",
    "blocs_detect",
    "burst_scan",
    "burst_windows",
]
