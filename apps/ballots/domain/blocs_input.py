"""What bloc detection looks at, and the rule's parameters.

Detection reads the votes (who, which talk, what score, when), a few facts about each voter (the
ticket order they bought in, their company and email domain, how much their vote weighs) and the
speakers' companies and email domains. Free-mail domains say nothing about where someone works, so
they are never treated as a company. The rule's parameters are plain data that live in the
versioned weight policy, so a committee can change them and every tally records which it used.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from typing import Any

import numpy as np
import tldextract

from .blocs_declared import DeclaredOrganisation, declared_codes
from .blocs_speaker_links import speaker_links_wide

SIGNALS = ("order", "affiliation", "narrow", "burst", "similar", "organisation_burst", "speakers", "joined")
ERROR_CONTROLS = ("false_discovery", "familywise")
DISCOVERY_UNITS = ("talk", "group")
MERGES = ("evidenced", "whole")
BURSTS = ("every", "strongest")
RINGS = ("everyone", "candidates")
RING_NULLS = ("held_out", "own")
TEST_COUNTS = ("testable", "voted")
RING_SCORES = ("exact", "way")
FOLLOW_UPS = ("asked", "shared")
RING_CANDIDATES = ("bands", "pairs")
PROMOTIONS_EXPLAIN = ("votes", "bursts")
SCORE_DEVIATIONS = ("ignored", "required")
DISCOUNT_VOTES = ("all", "pushing")
OPPOSE_LEANS = ("ignored", "tested")
RING_SCORE_NULLS = ("none", "shifted")
TASTES = ("ignored", "rings")
LONE_VOTES = ("ignored", "tested", "isolated")
LONE_CONTROLS = ("error_control", "familywise")
LONE_SHARES = ("whole", "local")
LONE_TESTS = ("poisson", "conditional")
LONE_ORDERS = ("strongest", "after_burst", "apart")
LONE_FAIR_SHARES = ("plugin", "conditional")
BURST_SITTINGS = ("whole", "tested")
SPEAKER_LINKS = ("exact", "registrable")
ORGANISATION_PAIRS = ("majority", "plurality")
PLACEHOLDER_COMPANIES = ("kept", "listed", "spread")
LINKED_GROUPS = ("colleagues", "either", "before")
# The keys that take one of a few words, and the words each takes.
CHOICES = {
    "error_control": ERROR_CONTROLS,
    "discovery_unit": DISCOVERY_UNITS,
    "merge": MERGES,
    "bursts": BURSTS,
    "rings": RINGS,
    "ring_null": RING_NULLS,
    "test_count": TEST_COUNTS,
    "ring_scores": RING_SCORES,
    "follow_ups": FOLLOW_UPS,
    "promotions_explain": PROMOTIONS_EXPLAIN,
    "ring_candidates": RING_CANDIDATES,
    "score_deviation": SCORE_DEVIATIONS,
    "discount_votes": DISCOUNT_VOTES,
    "oppose_lean": OPPOSE_LEANS,
    "ring_score_null": RING_SCORE_NULLS,
    "taste": TASTES,
    "lone_votes": LONE_VOTES,
    "lone_control": LONE_CONTROLS,
    "lone_share": LONE_SHARES,
    "lone_test": LONE_TESTS,
    "lone_order": LONE_ORDERS,
    "lone_fair_share": LONE_FAIR_SHARES,
    "burst_sittings": BURST_SITTINGS,
    "speaker_links": SPEAKER_LINKS,
    "organisation_pairs": ORGANISATION_PAIRS,
    "placeholder_companies": PLACEHOLDER_COMPANIES,
    "linked_groups": LINKED_GROUPS,
}


@dataclass(frozen=True)
class VoterFacts:
    """One voter as detection sees them. `weight` is the class weight (1.0 ticket, 0.5 pledge, 0 none)."""

    voter_id: int
    weight: float
    order_code: str | None = None
    email_domain: str = ""
    company: str | None = None
    # When the voter's account was created (User.date_joined), seconds since the epoch; None: unknown.
    joined_at: float | None = None


@dataclass(frozen=True)
class TalkFacts:
    talk_id: int
    speaker_email_domains: tuple[str, ...] = ()
    speaker_companies: tuple[str, ...] = ()
    # The voter accounts of the talk's speakers (Speaker.user), for the `speakers` signal: speakers of
    # other talks who rate each other's talks up (round 12). Accounts that cast no vote are ignored.
    speaker_voter_ids: tuple[int, ...] = ()
    # When the organizers promoted the talk (a social post or newsletter featuring it, round 20),
    # seconds since the epoch: the burst tests take the hours after each as explained.
    promoted_at: tuple[float, ...] = ()


@dataclass(frozen=True)
class VoteScale:
    minimum: int = 0
    maximum: int = 3
    wanted_min: int = 2  # scores at or above this mean "I want to see this talk"
    labels: tuple[str, ...] = ("not interested", "maybe", "want to see", "must see")

    def label(self, score: int) -> str:
        i = score - self.minimum
        return self.labels[i] if 0 <= i < len(self.labels) else str(score)


@dataclass(frozen=True)
class BlocRule:
    """The bloc rule's parameters. `from_json` accepts the WeightPolicy.bloc_rule dict (missing keys
    take these defaults); `to_json` gives the full dict a tally records."""

    signals: tuple[str, ...] = SIGNALS
    alpha: float = 0.01  # chance that one signal flags anything at all in a conference of honest voters
    min_members: int = 3
    min_ratio: float = 3.0  # observed must be at least this many times what independent voting predicts
    colleague_min_ratio: float = 1.5  # the same for colleagues of the speaker voting on their talk
    narrow_max_votes: int = 2
    # Doubling lengths: a burst of any length from 1 h to a day fits a window at most twice as long.
    burst_window_hours: tuple[float, ...] = (1.0, 2.0, 4.0, 8.0, 24.0)
    similar_min_talks: int = 4
    similar_min_jaccard: float = 0.5
    similar_max_group: int = 200
    oppose_max_score: int | None = None  # None: the lowest score of the scale
    bound_exponent: float = 0.25  # a bloc of k counts as max(k ** this, its fair share); see docs/blocs.md
    confirmed_exponent: float = 0.0  # a confirmed bloc counts as max(k ** this, its fair share)
    # A puppet ring (nearly identical ballots) is one judgement, most likely one person's: its bloc on
    # each talk of the common ballot counts as max(k ** this, its fair share); None: bound_exponent,
    # as in policies stored before round 6.
    ring_exponent: float | None = 0.0
    # The allowance above the fair share shrinks as the evidence grows (round 7): a detected bloc's
    # exponent is bound_exponent / strength, where strength is log p / log bar of its evidence (1: it
    # just passed; 2: p is the bar squared), never below what a confirmation gives. False: k ** e for
    # every detected bloc, as in policies stored before round 7.
    bound_by_evidence: bool = True
    # A company and the email domain its voters pair it with are one organisation, completed through
    # company ticket orders (blocs_organisations.py); False tests companies and domains apart.
    organisations: bool = True
    # "false_discovery": within one signal, each finding lowers the bar for the next by one step of
    # alpha / tests (step-down false-discovery control); the first must still pass alpha / tests, so
    # honest voting alone flags nothing in 1 - alpha of conferences, as before. "familywise": every
    # finding must pass alpha / tests (Bonferroni), the behaviour of policies stored before round 5.
    error_control: str = "false_discovery"
    # What one finding is under false-discovery control: "talk" counts a signal's findings on one talk
    # and way once (a company's bloc booked in three orders is one discovery, not three that lower the
    # bar for everyone else); "group" counts each group on each talk, as policies stored before round 6.
    discovery_unit: str = "talk"
    # "evidenced": a finding that shares voters with a stronger one on the same talk and way adds its
    # other voters only when they are themselves more than chance puts there (colleagues of the speaker
    # and puppet rings are taken whole); "whole": findings that share a voter merge whole (before round 6).
    merge: str = "evidenced"
    # "every": every burst on a talk that shares no vote with a more unusual one is reported (a campaign
    # in waves: a newsletter, then a reminder days later), and the bursts of one talk and way are one
    # bloc; "strongest": only the most unusual window of each talk and way, as before round 8.
    bursts: str = "every"
    # "everyone": a puppet ring is judged over every account holding its common ballot's ratings (the
    # population the prediction is about), accounts that varied more votes join while there are more
    # of them than chance puts there, and the common ballot is then what half of the members rated
    # alike; "candidates": counted among the accounts hashing put together, as before round 8.
    rings: str = "everyone"
    # An order most of whose voters are of one organisation (a company booking) voting on a talk by that
    # organisation's speaker is colleagues of the speaker (round 9): tested in the order test's own
    # colleague family (familywise, colleague_min_ratio) and reported as colleagues, so that loyalty does
    # not count among the order signal's discoveries and lower its bar for everyone else. False: such
    # votes are order findings like any other, as before round 9.
    order_colleagues: bool = True
    # A light voter (at most `narrow_max_votes` ratings) of the speaker's organisation (round 4) voting
    # on that speaker's talk is left out of the narrow test on that talk (round 10): colleagues favour a
    # colleague's talk out of loyalty, which the narrow test's model of independent light voters does
    # not allow for, and the colleague test already judges them. False: such votes count in the narrow
    # test like any other, as before round 10.
    narrow_colleagues: bool = True
    # "held_out": a candidate ring's members are judged on the ratings the *other* members share (what at
    # least half of them rated alike), so no account is tested on a common ballot picked from its own
    # ratings, and every account whose ballot is nearly the ring's (Jaccard) is counted by how rare its
    # holding is for an account of its activity and lean toward each way of rating (round 11). "own":
    # members count their holding of the common ballot picked from their own ballots, accounts by how
    # many of its ratings they hold, as before round 11 (long honest ballots made rings).
    ring_null: str = "held_out"
    # How the order, affiliation and narrow tests size their family of tests (round 16). "testable":
    # Tarone's count — only the (group, talk, way) cells whose smallest achievable p-value (the whole
    # group voting that way, from the cell's margins: the group's voters and votes in that way, and the
    # prediction from everyone else's votes) could reach the bar alpha / count, the count and bar taken
    # at their fixed point; only those cells can be findings, and false-discovery control steps up over
    # the same count. The colleague families keep the cells voted on. "voted": every cell a member of
    # the group voted on, for every family, as before round 16 (the observed count decided which cells
    # were counted).
    test_count: str = "testable"
    # A promotion the organizers recorded (a post or newsletter featuring a talk, round 20) explains the
    # votes on that talk in the hours after it: a burst window on the talk that overlaps the first
    # `promotion_hours` after one of its promotions is not tested (nor counted among the tests). Under
    # `promotions_explain: votes` (round 22) the votes on the talk cast in those hours are also left out
    # of the puppet-ring (`similar`) and account-creation (`joined`) tests: the promotion's readers share
    # its talks and sign up when it goes out. 0: promotions are ignored, as before round 20.
    promotion_hours: float = 24.0
    # "way" (the default): only the way of each rating counts, as before round 19. "exact" (round 19, an
    # option, measured and not the default: it loses planted rings on seeds it was not chosen on): a
    # puppet ring must also agree on *which* talks get the top score beyond what the ring's own share of
    # top scores and each talk's standing among everyone else's upward ratings explain — honest fans of
    # one track share the talks and the way but pick the top score by their own taste, copies of one
    # ballot give it where the ballot does. Asked only of rings where copies that change one talk's
    # top-or-not in twenty would pass; a ring whose ratings cannot tell is judged as with "way".
    ring_scores: str = "way"
    # The size of the family the merge's follow-up bar divides alpha by (round 21). "asked": the
    # findings that could ask a question under any answers (some voters possibly in, some surely new).
    # "shared": every finding that shares a voter with a stronger one, as before round 21 (findings
    # lying wholly inside a stronger one raised everyone's bar).
    follow_ups: str = "asked"
    # What a recorded promotion explains (round 22). "votes": the burst windows of round 20, and the
    # votes on the talk cast in the promotion hours are left out of the puppet-ring (`similar`) and
    # account-creation (`joined`) tests. "bursts": the burst windows only, as in round 20.
    promotions_explain: str = "votes"
    # How the puppet-ring test (`similar`) finds candidate rings (round 23). "bands" (the default): 4
    # MinHash bands of 3 hashes (a pair at Jaccard 0.5 is a candidate with chance 0.41), their buckets
    # and linked groups. "pairs" (an option, measured and not the default: it finds a few more planted
    # members but raises collateral on fresh3 by 0.14–0.20 points): beside those, pairs proposed by 23
    # bands of 3 (chance 0.95 at Jaccard 0.5), kept when their ballots' Jaccard is at least
    # `similar_min_jaccard` (exactly) and linked into groups. The test's correction counts every pair of
    # accounts either way.
    ring_candidates: str = "bands"
    # Whether a fixed group's finding must also move the talk away from everyone else's view of it
    # (round 25, blocs_direction.py). "ignored" (the default): the group tests ask only whether the
    # group rated the talk that way more often than independent voting predicts. "required" (an option):
    # a finding of a ticket order, an organisation, the light voters or a burst window (one
    # organisation's too) is dropped when, of the group's own votes on the talk in every way, no more
    # are in the finding's way than the talk's other votes' share of that way puts there (binomial upper
    # tail above one half): the group chose the talk together but scored it as everyone else did.
    # Colleagues of the speaker, puppet rings, speakers and account-creation windows are not asked. Not
    # the default: out of sample, on fresh4 medium, it loses 5 planted members (a lab push and an
    # advocacy programme found through their organisation).
    score_deviation: str = "ignored"
    # Which members' votes on their bloc's talk the discount takes weight from (held-out ranking
    # diagnosis, bench/blocs_ranking_diag.py; round 27). "pushing" (the default since round 27): only the
    # votes that move the talk the bloc's way — for a support bloc, scores at or above the mean score of
    # the talk's votes by voters outside the bloc (class-weighted), for an opposition bloc scores at or
    # below it. A talk's ranking score is a weighted mean, so taking weight from a vote below the talk's
    # level raises the talk: a support bloc's member who rated a strong talk "want to see" pulls it down,
    # and discounting that vote would help the talk the bloc is bounded for. Those votes count in full
    # (they stay in the bloc, stored as its spared members). "all": every member's vote loses weight (the
    # rule before round 27; migration 0027 pins it in policies stored without the key). Puppet rings'
    # "alike" blocs are discounted whole either way.
    discount_votes: str = "pushing"
    # Whether an organisation's low scores on a talk are also judged against the talk's other raters
    # (round 28, blocs_lean.py). "tested" (the default since round 28): beside the group tests, the lean
    # test — of the organisation's voters who rated the talk, how many gave it a score in the lowest
    # quarter of the scale, against the share of the talk's other raters who did (binomial tail, Tarone's
    # count, false-discovery bar); it finds a company's staff rating a rival's strong talk down over days.
    # "ignored": only the group tests, which compare the group's down votes with its share of all votes
    # (the rule before round 28; migration 0029 pins it in policies stored without the key).
    oppose_lean: str = "tested"
    # Whether a puppet ring (`similar`) must also repeat *scores* (bench/blocs_rings_taste.py; docs/blocs.md,
    # "Puppet rings and shared taste"). "shifted" (the default since that round): on each talk of the
    # ring's common ballot its members must give the very same score more often than if each drew from
    # the scores everyone else gave that talk, moved by one shift the ring is allowed (fitted to its own
    # scores: a group that likes its talks more than others is a taste, not a copy). Honest people who
    # share a taste pick the same talks but score them each by their own judgement; copies of one ballot
    # repeat its scores. Asked only of rings where copies that change a score in twenty would pass, with
    # Bonferroni over those rings (as `ring_scores: exact`); a ring whose scores cannot tell (every talk
    # the top score, say) is judged by the ring test alone. "none": the ring test alone, the rule before
    # (migration 0030 pins it in policies stored without the key; round 29).
    ring_score_null: str = "shifted"
    # Whether a puppet ring's common ballot can be a shared taste for a topic (blocs_taste.py; docs/blocs.md,
    # round 30). "rings" (an option): a ring's finding rating a talk up is dropped before the merge when
    # the ring also lifts at least two of the talk's ten neighbours (the talks most co-rated with it by
    # voters outside the ring) as a group test would flag them: fans of a track, or an employer's staff
    # strong in one topic, rating several of its talks. "ignored" (the default): every ring finding
    # stands. Not the default: on fresh2 large it drops a speaker cartel's ring (11 planted members).
    # Orders, organisations and their bursts are not asked: under the same control they lost planted
    # coworkers out of sample (fresh4 medium).
    taste: str = "ignored"
    # Whether the burst test is also run on the votes cast alone (blocs_lone.py; docs/blocs.md, round
    # 31). "tested": a vote with no other vote by its voter within half an hour either side is lone (a
    # visit to rate one talk: a link in a chat, a community's call), and per talk and way the burst
    # test's windows are asked again over the lone votes only, against the site's lone votes then and
    # the talk's share of them (its own family and bar); a campaign spread over a day by voters who
    # otherwise vote in sittings stands out there. "isolated" (round 32): the same, counting a lone
    # vote only when its voter cast no other lone vote within 24 hours either side (a mailing's reader
    # rates several featured talks one at a time; a campaign's voter casts one lone vote for its talk),
    # a window predicted from all the site's such votes in it (they are few). "ignored": the burst test
    # over all votes only, as before round 38. "isolated" is the default since round 38, with the lone
    # family's guards below (familywise bar, 8 votes, local share, conditional test): alone ("tested"
    # above all an unrecorded mailing's readers; "isolated" far fewer: an unrecorded push, a recorded
    # promotion's late readers, two honest windows on the large demo) they added findings on honest-only
    # conferences, which the adoption rule does not allow; with all four they add none (docs/blocs.md,
    # rounds 32, 34, 37 and 38).
    lone_votes: str = "isolated"
    # The lone-vote family's bar (round 34). "error_control": the rule's `error_control`, as in rounds 31
    # and 32 (under false-discovery control the lone family's own findings lower its bar: a corporate
    # burst that passes at p = 1e-48 lets windows of four lone votes in quiet hours pass at p = 1e-6).
    # "familywise": every lone finding must pass alpha / tests (Bonferroni), whatever else the family
    # finds, as the colleague families do (the default since round 38). With this and 8 votes alone,
    # honest-only medium conferences still got windows of 10-32 lone votes at p = 1e-7 (an unrecorded
    # push, a promotion read past its hours, independent voters): the test's null, not its multiplicity,
    # was what they defeated (`lone_share`, `lone_test`).
    lone_control: str = "familywise"
    # The fewest lone votes a lone-vote window needs to be a finding (round 34); None: `min_members`, as in
    # rounds 31 and 32. Windows smaller than this are neither findings nor steps of the family's bar. The
    # default since round 38: 8.
    lone_min_votes: int | None = 8
    # The talk's share a lone-vote window is judged against (round 37). "whole": its share of the lone
    # votes outside the window over the whole vote, as in rounds 31-34. "local": its share of the site's
    # lone votes in the days around the window (blocs_lone.LOCAL_DAYS either side, the window left out),
    # pulled toward the whole-vote share when those days hold few lone votes: interest in a talk changes
    # during a vote (a shortlist, a promotion read late), and the whole-vote share misses that. The larger
    # of the two shares: the local one alone predicts ~0 for a talk with no lone vote around a one-day spike.
    # "local" is the default since round 38 (with `lone_test: conditional`; alone, with the familywise bar
    # and 8 votes, it left fresh7 medium's honest one- or two-day spikes on quiet talks).
    lone_share: str = "local"
    # How a lone-vote window's count is tested (round 38). "poisson": against the talk's share times the
    # site's lone votes in the window, the share taken as known (a Poisson tail with a plug-in mean), as in
    # rounds 31-37. "conditional": given the talk's lone votes in the way tested, each falls in the window
    # with the window's share of the site's lone votes (Binomial; under `lone_share: local` also against the
    # days around, the larger p): a talk's share of a few lone votes is itself a count of a few, and taken
    # as known it lets honest one- or two-day spikes on quiet talks pass at p = 1e-7 (fresh7 medium). The
    # default since round 38.
    lone_test: str = "conditional"
    # Where a lone-vote window comes in the merge of its talk and way (blocs_merge.in_order; docs/blocs.md,
    # round 40). "strongest": by its p-value like any finding, as in rounds 31-39; where it and a site-wide
    # burst see the same hours it is often the stronger, is taken whole first, and the site-wide burst's
    # further voters must then pass the follow-up test (fresh4 large seed 1: a booth's QR-code push of 39
    # kept 27). "after_burst": a lone window that shares a voter with a site-wide burst comes right after
    # the strongest such burst, as an organisation burst does (round 8): the lone test is there for the
    # campaigns spread too thin for the site-wide test, and where both see a window it must not change whom
    # the site-wide burst takes in. A lone window sharing no voter with one is ordered as before. "apart":
    # by p-value as before, but a finding over all votes (a site-wide burst, an account-creation finding,
    # any other test's) is judged against what the stronger findings over all votes brought in, as if no
    # lone-vote test ran, and a lone window against every stronger finding, as before: neither family's
    # finding then changes whom the other's takes in (a lone window moved after a weaker site-wide burst
    # must pass the follow-up test itself, and "after_burst" lost planted members that way on seen medium).
    # Round 40 kept "strongest": "apart" alone passes the adoption rule (+59 small and medium, +104 large) but
    # takes a long site-wide window whole with its honest voters, and held-out medium's lenient precision falls
    # below the 0.95 (0.960 -> 0.947; docs/blocs.md, decision 4). "apart" is the default since round 41,
    # with `burst_sittings: tested`, which asks those honest voters in (+32 small and medium, +39 large, held-out
    # medium 0.965).
    lone_order: str = "apart"
    # What a lone-vote window under `lone_test: conditional` predicts in its bloc's fair share (docs/blocs.md,
    # round 41). "plugin": the plug-in prediction (the talk's share of the lone votes outside the window times the
    # site's in it), as in rounds 38-40, while its evidence states the conditional test's expectation (fresh7 small
    # seed 1, talk 89: a plug-in 0.042 beside a stated 0.4). "conditional": a bloc made only of lone windows takes
    # the expectation its evidence states (the talk's other such votes in the reference span times the window's
    # share of the site's); beside a finding over all votes a lone window keeps its plug-in prediction. Not the
    # default: that expectation is given the talk's lone votes, which for a lone-only campaign are the campaign's
    # own, so every weight it changed was a planted bloc's (held-out medium seed 3, talk 450: counts as 1.6 -> 11.4
    # of 27); estimated from the talk's votes outside the window, the same model gives the plug-in back.
    lone_fair_share: str = "plugin"
    # Under `lone_order: apart`, how a site-wide burst that comes after a lone-vote window sharing its voters takes
    # in its votes cast in sittings (blocs_lone.sittings_marked, blocs_merge.findings_admit; docs/blocs.md, round
    # 41). "whole": with the window's other votes, as if no lone test ran (round 40; a long window's honest voters
    # come in too: held-out medium lenient precision 0.960 -> 0.947). "tested": its members whose vote on the talk
    # the lone test does not count (cast within a sitting: another vote by them within `LONE_MINUTES`; under
    # `lone_votes: isolated` also a voter's lone votes within a day of another) come in only when the burst's window
    # holds at least `min_ratio` times as many such votes as the talk's share of the site's such votes predicts
    # there, with a Poisson tail of at most alpha / (the merge's follow-up questions), one question of that family;
    # when they do not, the burst's other new voters are asked against its prediction less their part. A burst
    # before every lone window it shares voters with, or sharing none, is judged as before, and under the other
    # `lone_order` values the key changes nothing. "tested" is the default since round 41 (with `lone_order:
    # apart`): it passes the adoption rule and keeps every met target.
    burst_sittings: str = "tested"
    # Which voters' email domains are the speaker's organisation (blocs_speaker_links.py; docs/blocs.md,
    # round 33). "exact": the speaker's own address's domain, and the domains registered under the
    # speaker's company name spelled out ("Initech GmbH", initech.com; round 13). "registrable": also
    # every domain registered under the same domain as the speaker's address (student.emberforge.edu
    # for a speaker on emberforge.edu; never free mail), and the domains whose name is the speaker's
    # company's once a few words naming the kind of organisation are set aside ("University of
    # Emberforge" and emberforge.edu, "Copperwind Studio" and copperwind.games; at least four letters
    # left). The evidence of a group linked only that way says how. Such a link moves its cells to the
    # colleague tests and changes no other test (round 35): the order, affiliation, narrow and lean tests
    # keep the counts, the count of tests and the false-discovery bar they have under "exact" (a light
    # voter linked only that way still counts in the narrow test, but is not flagged there).
    # Since round 39 "registrable" is the default, with `linked_groups: before`: the wider links change what
    # the evidence says (the speaker's organisation), not what is found or discounted.
    speaker_links: str = "registrable"
    # Which company spellings name the same organisation as a work domain for the speaker's colleagues
    # (blocs_organisations.py; docs/blocs.md, round 36). "majority": round 4's mutual majority only (more
    # than half of the company's (company, domain) pairs go to the domain and more than half of the
    # domain's to the company). "plurality": also, for the speaker's organisation only, a company whose
    # pairs mostly go to the domain and that is the domain's clear plurality spelling (at least a quarter
    # of its pairs and twice the next spelling: a hospital whose staff spell it many ways, "Universitäts-
    # klinikum Wexstead" 35 of 79 on uk-wexstead.de). A shared domain has none: nhs.net's commonest spelling
    # is a tenth of it, and a domain on which another organisation's name stands (the clear plurality of
    # a domain of its own: a region's hospital) pairs no one. The voters' organisations stay round 4's; a
    # talk whose speaker gives the spelling (or writes from the domain) has the other side's group as its
    # colleagues, linked as `speaker_links: registrable` links (round 34b: relabelled as colleagues, no
    # other test changed).
    # The default since round 39, with `linked_groups: before` (alone, judged by the colleague test, it lost
    # 3 planted coworkers on fresh10 medium and raised collateral 0.04 points).
    organisation_pairs: str = "plurality"
    # Whether a company field that names no employer ("Patient", "Retired", "Student nurse", "-") is an
    # organisation (blocs_organisations.py; docs/blocs.md, round 36). "kept": every spelling is, as before.
    # "listed": the spellings of PLACEHOLDER_NAMES (blocs_placeholders.py) are not. "spread": a spelling
    # whose voters' work addresses are spread over many domains none of which holds a quarter of them
    # is not. A voter whose company is not an organisation is known by their work address only (not through
    # their ticket order: a "Patient" on a charity's bursary order is not the charity's). Neither is the
    # default (docs/blocs.md, round 36: both lose planted members on fresh10 medium).
    placeholder_companies: str = "kept"
    # How a group is judged that only the wider links (`speaker_links: registrable`, `organisation_pairs:
    # plurality`) make the speaker's organisation (docs/blocs.md, round 39). "colleagues": by the colleague
    # test alone (round 35). "either": also by the test that judged it under the exact links (the order,
    # affiliation or lean test, with the count of tests and bar it has there; the narrow test flags a newly
    # linked light voter as under the exact links); a finding if either finds it, reported as colleagues, its
    # evidence saying which test found it. A right link then costs no finding the exact links would have made.
    # "before": by the test that judged it under the exact links alone, reported as colleagues (the default
    # since round 39: what is found and discounted is the exact links', the evidence says whose the group is).
    # No effect under the exact links.
    linked_groups: str = "before"
    extra: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> BlocRule:
        data = dict(data or {})
        known = {f for f in cls.__dataclass_fields__ if f != "extra"}
        kwargs: dict[str, Any] = {k: data.pop(k) for k in list(data) if k in known}
        for key in ("signals", "burst_window_hours"):
            if key in kwargs:
                if isinstance(kwargs[key], str | bytes | Mapping) or not isinstance(kwargs[key], Iterable):
                    raise ValueError(f"{key} must be a list")
                kwargs[key] = tuple(kwargs[key])
        rule = cls(**kwargs, extra=data)
        rule.validate()
        return rule

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        extra = out.pop("extra")
        out["signals"] = list(self.signals)
        out["burst_window_hours"] = list(self.burst_window_hours)
        return {**extra, **out}

    def validate(self) -> None:
        problems = []
        unknown = set(self.signals) - set(SIGNALS)
        if unknown:
            problems.append(f"unknown signals {sorted(unknown)}; choose from {list(SIGNALS)}")
        if not 0 < self.alpha < 1:
            problems.append("alpha must be between 0 and 1")
        if self.min_members < 2:
            problems.append("min_members must be at least 2")
        if self.min_ratio < 1 or self.colleague_min_ratio < 1:
            problems.append("min_ratio and colleague_min_ratio must be at least 1")
        if self.narrow_max_votes < 1:
            problems.append("narrow_max_votes must be at least 1")
        if not self.burst_window_hours or min(self.burst_window_hours) <= 0:
            problems.append("burst_window_hours must be positive")
        if self.similar_min_talks < 2 or not 0 < self.similar_min_jaccard <= 1:
            problems.append("similar_min_talks must be at least 2 and similar_min_jaccard in (0, 1]")
        if not 0 <= self.bound_exponent <= 1 or not 0 <= self.confirmed_exponent <= 1:
            problems.append("bound_exponent and confirmed_exponent must be in [0, 1]")
        if self.ring_exponent is not None and (
            isinstance(self.ring_exponent, bool)
            or not isinstance(self.ring_exponent, int | float)
            or not 0 <= self.ring_exponent <= 1
        ):
            problems.append("ring_exponent must be null or in [0, 1]")
        for key, words in CHOICES.items():
            if getattr(self, key) not in words:
                problems.append(f"{key} must be one of {list(words)}")
        if not isinstance(self.organisations, bool):
            problems.append("organisations must be true or false")
        if not isinstance(self.order_colleagues, bool):
            problems.append("order_colleagues must be true or false")
        if not isinstance(self.narrow_colleagues, bool):
            problems.append("narrow_colleagues must be true or false")
        if not isinstance(self.bound_by_evidence, bool):
            problems.append("bound_by_evidence must be true or false")
        if (
            isinstance(self.promotion_hours, bool)
            or not isinstance(self.promotion_hours, int | float)
            or not 0 <= self.promotion_hours <= 24 * 14
        ):
            problems.append("promotion_hours must be a number of hours from 0 (ignore promotions) to 336")
        if self.lone_min_votes is not None and (
            isinstance(self.lone_min_votes, bool) or not isinstance(self.lone_min_votes, int) or self.lone_min_votes < 2
        ):
            problems.append("lone_min_votes must be null or a whole number of at least 2")
        if problems:
            raise ValueError("Invalid bloc rule: " + "; ".join(problems) + ".")


def bloc_rule_default() -> dict[str, Any]:
    """The default `WeightPolicy.bloc_rule`: every parameter written out, so a stored policy version
    keeps its meaning when the code's defaults change."""
    return BlocRule().to_json()


# Legal forms that end a company's name ("Initech GmbH", "Initech, Inc.", "Initech B.V."): spelled
# with or without them, it is one company. Periods are dropped before the lookup, so "e.V." is "ev".
# fmt: off
LEGAL_FORMS = frozenset({
    "ab", "ag", "aps", "as", "asa", "bv", "co", "corp", "corporation", "ev", "gmbh", "inc", "incorporated",
    "kg", "kk", "limited", "llc", "llp", "lp", "ltd", "mbh", "nv", "ohg", "oy", "oyj", "plc", "pte", "pty",
    "sa", "sarl", "sas", "se", "spa", "srl", "ug", "&", "and",
})
# fmt: on
MIN_NAME_LENGTH = 3  # a company matches a domain by a name at least this long
_SEPARATORS = re.compile(r"[^\w&]+")
_DOMAIN_PARTS = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)  # the bundled list, offline


def company_domain_pairs(company: np.ndarray, domain: np.ndarray, n_domains: int):
    """The (company, domain) pairs voters give, with how many give each: company codes, domain codes and
    counts, one per distinct pair (voters with both a company and a work domain)."""
    both = (company >= 0) & (domain >= 0)
    stride = max(1, n_domains)
    pairs, counts = np.unique(company[both].astype(np.int64) * stride + domain[both], return_counts=True)
    return pairs // stride, pairs % stride, counts


@lru_cache(maxsize=1 << 16)
def company_normalize(name: str | None) -> str:
    """A company's name as detection compares it: case, spacing, punctuation and a trailing legal
    form do not matter ("ACME GmbH", "Acme" and "acme, inc." are one company). A name that is only
    a legal form is kept as it is. Cached: a conference's voters name few companies, each many times."""
    words = _SEPARATORS.sub(" ", (name or "").casefold().replace(".", "")).split()
    kept = list(words)
    while kept and kept[-1] in LEGAL_FORMS:
        kept.pop()
    return " ".join(kept or words)


def company_key(name: str | None) -> str:
    """The normalised company without spaces or symbols, as a domain would spell it ("red hat" →
    "redhat")."""
    return re.sub(r"[\W_]+", "", company_normalize(name))


def domain_key(domain: str) -> str:
    """The name an email domain registers under the public suffix, without hyphens: "initech" for
    mail.initech.co.uk and for initech.com; for a suffix the public list does not know (initech.example)
    the label before the last."""
    domain = domain.strip().lower()
    parts = _DOMAIN_PARTS(domain)
    label = parts.domain if parts.suffix else domain.split(".")[-2:][0]
    return re.sub(r"[\W_]+", "", label)


@dataclass(frozen=True)
class BlocInput:
    """Column arrays; votes refer to voters and talks by position in `voter_ids` / `talk_ids`.

    Group codes (`voter_order`, `voter_company`, `voter_domain`) are positions in the matching
    label tuples, -1 for none. Free-mail domains are already -1 here."""

    voter_ids: np.ndarray  # int64, ascending
    voter_weight: np.ndarray  # float64
    voter_order: np.ndarray  # int32
    voter_company: np.ndarray  # int32
    voter_domain: np.ndarray  # int32
    order_labels: tuple[str, ...]
    company_labels: tuple[str, ...]
    domain_labels: tuple[str, ...]
    talk_ids: np.ndarray  # int64, ascending
    talk_company: np.ndarray  # (n, 2) int32: talk position, company code of one of its speakers
    talk_domain: np.ndarray  # (n, 2) int32: talk position, domain code of one of its speakers
    vote_voter: np.ndarray  # int32
    vote_talk: np.ndarray  # int32
    vote_score: np.ndarray  # int16
    vote_at: np.ndarray  # int64, seconds since the epoch
    scale: VoteScale
    # (n, 2) int32: talk position, voter position of one of its speakers (a speaker who votes).
    talk_speaker: np.ndarray = field(default_factory=lambda: np.empty((0, 2), dtype=np.int32))
    # int64 per voter: when their account was created, seconds since the epoch; -1 unknown. Empty (the
    # default, inputs built before accounts' creation times were read): unknown for everyone.
    voter_joined: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    # (n, 2) int64: talk position, when the organizers promoted it (seconds since the epoch), sorted.
    # Empty (the default): no promotion recorded.
    talk_promoted: np.ndarray = field(default_factory=lambda: np.empty((0, 2), dtype=np.int64))
    # Organisations the organizers declared (blocs_declared.py): their labels, and per company and per
    # domain label the declared organisation it belongs to (int32, -1 none), and (talk position,
    # declared organisation) of the talks' speakers. Empty (the default): none declared, as before.
    declared_labels: tuple[str, ...] = ()
    company_declared: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int32))
    domain_declared: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int32))
    talk_declared: np.ndarray = field(default_factory=lambda: np.empty((0, 2), dtype=np.int32))
    # (n, 2) int32: talk position, domain code of a domain that `speaker_links: registrable` also takes
    # for the speaker's (not in `talk_domain`), and per row the note the evidence gives for it. Empty
    # (the default): no such domain, or an input built before the key.
    talk_domain_wide: np.ndarray = field(default_factory=lambda: np.empty((0, 2), dtype=np.int32))
    talk_domain_wide_notes: tuple[str, ...] = ()

    @property
    def n_voters(self) -> int:
        return len(self.voter_ids)

    @property
    def n_talks(self) -> int:
        return len(self.talk_ids)


def votes_by_talk(data: BlocInput) -> tuple[np.ndarray, np.ndarray]:
    """The vote positions ordered by talk (stable), and where each talk's run starts in them (per talk
    position, n_talks + 1 entries): talk t's votes are order[starts[t] : starts[t + 1]]."""
    talk = data.vote_talk
    # Talk positions fit 16 bits on any conference we know: numpy sorts those stably by radix, several
    # times faster than its merge sort of 32-bit values, in the same (stable) order.
    order = np.argsort(talk.astype(np.uint16) if data.n_talks <= 2**16 else talk, kind="stable")
    return order, np.searchsorted(data.vote_talk[order], np.arange(data.n_talks + 1))


def votes_only(data: BlocInput, keep: np.ndarray) -> BlocInput:
    """The same input with only the votes where `keep` is true: voters, talks and promotions stay as they
    are (and so do their positions), so findings on it need no translation back."""
    return replace(
        data,
        vote_voter=data.vote_voter[keep],
        vote_talk=data.vote_talk[keep],
        vote_score=data.vote_score[keep],
        vote_at=data.vote_at[keep],
    )


def _codes(values: Sequence[str]) -> tuple[np.ndarray, tuple[str, ...]]:
    """Deterministic codes: labels sorted, "" becomes -1."""
    labels = sorted({v for v in values if v})
    index = {label: i for i, label in enumerate(labels)}
    return np.array([index.get(v, -1) for v in values], dtype=np.int32), tuple(labels)


def vote_columns(
    voter_ids: Iterable[int] | np.ndarray,
    talk_ids: Iterable[int] | np.ndarray,
    scores: Iterable[int] | np.ndarray,
    at_seconds: Iterable[float] | np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The vote columns as the input keeps them (ids int64, scores int16, times whole seconds), checked
    to be of one length."""
    vv = np.asarray(voter_ids, dtype=np.int64)
    vt = np.asarray(talk_ids, dtype=np.int64)
    vs = np.asarray(scores, dtype=np.int16)
    va = np.asarray(at_seconds, dtype=np.float64).astype(np.int64)
    if not len(vv) == len(vt) == len(vs) == len(va):
        raise ValueError("Vote columns must have the same length.")
    return vv, vt, vs, va


def bloc_input_build(
    *,
    voter_ids: Iterable[int] | np.ndarray,
    talk_ids: Iterable[int] | np.ndarray,
    scores: Iterable[int] | np.ndarray,
    at_seconds: Iterable[float] | np.ndarray,
    voters: Sequence[VoterFacts],
    talks: Sequence[TalkFacts],
    scale: VoteScale,
    free_mail_domains: Collection[str] = (),
    organisations: Sequence[DeclaredOrganisation] = (),
    wide_links: bool = True,
) -> BlocInput:
    """Builds the arrays from plain rows. Votes are columns (one entry per vote). `organisations`: the
    ones the organizers declared (none: detection links companies and domains by itself only).
    `wide_links`: also find the links between speakers and voters' domains that only `speaker_links:
    registrable` reads (`talk_domain_wide`); a caller whose rule does not read them can skip the work."""
    free = {d.lower() for d in free_mail_domains}
    voters = sorted(voters, key=lambda v: v.voter_id)
    talks = sorted(talks, key=lambda t: t.talk_id)
    v_ids = np.array([v.voter_id for v in voters], dtype=np.int64)
    t_ids = np.array([t.talk_id for t in talks], dtype=np.int64)
    if len(np.unique(v_ids)) != len(v_ids) or len(np.unique(t_ids)) != len(t_ids):
        raise ValueError("Each voter and each talk must be described once.")
    weight = np.array([float(v.weight) for v in voters], dtype=np.float64)
    joined = np.array([-1 if v.joined_at is None else int(v.joined_at) for v in voters], dtype=np.int64)
    order, order_labels = _codes([(v.order_code or "").strip() for v in voters])
    company, company_labels = _codes([company_normalize(v.company) for v in voters])
    domains = [(v.email_domain or "").strip().lower() for v in voters]
    domain, domain_labels = _codes([d if d not in free else "" for d in domains])

    company_index = {c: i for i, c in enumerate(company_labels)}
    domain_index = {d: i for i, d in enumerate(domain_labels)}
    # A speaker's company also names the domains registered under its name: voters have no company
    # field, so "Initech GmbH" on a speaker with a free-mail address is how initech.com's voters
    # are known as the speaker's colleagues.
    domains_named: dict[str, list[int]] = {}
    for code, d in enumerate(domain_labels):
        key = domain_key(d)
        if len(key) >= MIN_NAME_LENGTH:
            domains_named.setdefault(key, []).append(code)
    tc, td = set(), set()
    for pos, talk in enumerate(talks):
        for name in talk.speaker_companies:
            code = company_index.get(company_normalize(name))
            if code is not None:
                tc.add((pos, code))
            td.update((pos, c) for c in domains_named.get(company_key(name), ()))
        for d in talk.speaker_email_domains:
            code = domain_index.get(d.strip().lower())
            if code is not None and d.strip().lower() not in free:
                td.add((pos, code))
    wide, wide_notes = np.empty((0, 2), dtype=np.int32), ()
    if wide_links:
        # Imported here: blocs_organisations reads this module's BlocInput.
        from .blocs_organisations import mutual_majority

        paired = mutual_majority(company, domain, len(company_labels), len(domain_labels))
        employer = [""] * len(domain_labels)
        for c in np.nonzero(paired >= 0)[0].tolist():
            employer[int(paired[c])] = company_labels[c]
        wide, wide_notes = speaker_links_wide(
            domain_labels=domain_labels,
            speakers=[(t.speaker_companies, t.speaker_email_domains) for t in talks],
            exact=td,
            free_mail_domains=free,
            company_words=lambda name: company_normalize(name).split(),
            domain_employer=employer,
        )

    vv, vt, vs, va = vote_columns(voter_ids, talk_ids, scores, at_seconds)
    vi = np.searchsorted(v_ids, vv)
    ti = np.searchsorted(t_ids, vt)
    if len(vv) and (
        vi.max(initial=0) >= len(v_ids)
        or ti.max(initial=0) >= len(t_ids)
        or not np.array_equal(v_ids[np.minimum(vi, len(v_ids) - 1)], vv)
        or not np.array_equal(t_ids[np.minimum(ti, len(t_ids) - 1)], vt)
    ):
        raise ValueError("Every vote must refer to a described voter and talk.")
    pair = np.sort(vi.astype(np.int64) * max(1, len(t_ids)) + ti)
    if (pair[1:] == pair[:-1]).any():
        raise ValueError("A voter has at most one vote per talk.")
    # Speakers who vote: a speaker account that cast no vote here (or is not a voter) is left out.
    voting = np.unique(vi)
    voter_index = dict(zip(v_ids[voting].tolist(), voting.tolist(), strict=True))
    ts = {
        (pos, voter_index[v]) for pos, t in enumerate(talks) for v in map(int, t.speaker_voter_ids) if v in voter_index
    }
    promoted = sorted({(pos, int(at)) for pos, t in enumerate(talks) for at in t.promoted_at})
    declared = {}
    if organisations:
        codes = declared_codes(
            organisations,
            company_index=company_index,
            domain_index=domain_index,
            speakers=[
                (
                    {company_normalize(c) for c in t.speaker_companies},
                    {d.strip().lower() for d in t.speaker_email_domains},
                )
                for t in talks
            ],
            normalize=company_normalize,
            free_mail_domains=free,
        )
        declared = {
            "declared_labels": codes.labels,
            "company_declared": codes.company,
            "domain_declared": codes.domain,
            "talk_declared": codes.talk,
        }
    return BlocInput(
        voter_ids=v_ids,
        voter_weight=weight,
        voter_order=order,
        voter_company=company,
        voter_domain=domain,
        order_labels=order_labels,
        company_labels=company_labels,
        domain_labels=domain_labels,
        talk_ids=t_ids,
        talk_company=np.array(sorted(tc), dtype=np.int32).reshape(-1, 2),
        talk_domain=np.array(sorted(td), dtype=np.int32).reshape(-1, 2),
        vote_voter=vi.astype(np.int32),
        vote_talk=ti.astype(np.int32),
        vote_score=vs,
        vote_at=va,
        scale=scale,
        talk_speaker=np.array(sorted(ts), dtype=np.int32).reshape(-1, 2),
        voter_joined=joined,
        talk_promoted=np.array(promoted, dtype=np.int64).reshape(-1, 2),
        talk_domain_wide=wide,
        talk_domain_wide_notes=wide_notes,
        **declared,
    )
