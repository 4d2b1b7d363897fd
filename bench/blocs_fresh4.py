"""A fourth independent world for bloc detection (fresh4): an industry-and-academic conference voting
in its mobile app for three weeks on a 1-5 star scale, with ten planted campaign kinds and five honest
correlated kinds. Written before detection was run on it (pre-registered); deterministic per (size, seed).

    fresh4_conference("small" | "medium" | "large", seed, plant=None) -> SyntheticConference

The author read only the detector's input classes (apps/ballots/domain/blocs_input.py), the
conference and planted-bloc classes of bench/blocs_synthetic.py, the interface part of
bench/blocs_fresh3.py (from `fresh3_conference` on) and its test; not the detector.

Sizes (bench/blocs_synthetic.SIZES): small 1,000 voters / 200 talks / ~20k votes, medium 20,000 /
1,000 / ~200k, large 100,000 / 5,000 / ~1M; accounts made only for a campaign come on top. Planted
blocs: max(SIZES blocs, 11) - small 11 (every kind once, the vote swap twice), medium 40, large 120 -
the kinds taken in turn in the order of BLOC_KINDS (a vote swap is two blocs). Random streams:
`default_rng([seed, size index, 40])` for the honest world, `[.., 41]` for planting, `[.., 42]` for
the speakers' profile fields; planting reads the honest world and never changes it, so
`plant=plant_nothing` (bench/blocs_calibration.py) gives exactly the honest conference of a seed.

Time. The vote opens Monday 2027-01-11 09:00 UTC (day 0) and closes 21 days later at midnight UTC
(OPENS, CLOSES). Voters live in four zones: UTC-6 (40%), UTC+1 (38%), UTC+5:30 (5%), UTC+8 (17%);
members of an organisation take its home zone with chance 0.85. An app session starts on a day drawn
with weight 3.0 on day 0, 1.8 on day 1, 1.0 on other weekdays, 0.45 on weekend days, +0.4 on the six
featured-push days, 2.0 and 3.0 on the last two days, at a local hour drawn from HOUR_CURVE (commute
7-9, lunch 12-13, evening 17-19, in bed 21-22; nights 0.04-0.1 of a peak), shifted by a day to stay
inside the vote. A voter has min(6, 1 + Poisson(ballot length / 15)) sessions; each vote goes to
session floor(U^1.5 * sessions) (the first sessions hold more), and the votes of a session follow
its start 3 s + Exp(25 s) apart (swiping).

Organisations: max(12, voters / 25), kinds group 35% (a parent and 0-3 subsidiaries: "X", "X Cloud",
"X Labs", "X Digital", each with its own domain x.example, xcloud.example, ...), consultancy 15%
("X Consulting"), university 20% ("University of X": departments on cs.x-uni.example,
student.x-uni.example, x-uni.example), startup 30%; size weight min(Pareto(1.3) + 1, 40). 22% of
voters are independent; the others join an organisation by its size weight and one of its units
uniformly. Each organisation has a home zone and a track its people lean to (half of its members
take it as their primary track). Email: 60% of company staff and 75% of university people use their
unit's domain, the others one of four free-mail domains (FREE_MAIL, passed to detection as free
mail); independents 85% free mail, else a personal domain. Company field (typed into the app): blank
45%, else one of the unit's spellings ("X Cloud", "X Cloud GmbH", "x cloud", "X Cloud, Inc.", "X";
universities: "University of X", "Uni X", "University of X, Dept. of CS", upper case); 35% of
consultants type the name of a client organisation instead. Class weights: company/university staff
1.0 / 0.5 / 0.0 with chances 0.75 / 0.12 / 0.13, students (the student.* unit) 0.6 / 0.25 / 0.15,
independents 0.55 / 0.2 / 0.25. Ticket orders: per (organisation, unit), the ticket holders in random
order are booked in orders of 1 (chance 0.35) or U{2..15}; a university's students in orders of up to
25; independents one order each.

Talks: ten tracks with shares TRACK_SHARE; quality z ~ N(0, 1); title appeal exp(N(0, 0.8) + 0.35 z).
First speaker from a company-like organisation 55% (chance proportional to its voters^0.7), a
university 30%, independent 15%; a second speaker with chance 0.35 (same organisation 60%). 60% of
speakers have a voter account (a voter of their organisation, or an independent). Speaker profile:
the unit's name (with " GmbH" for a group's first speaker) with chance 0.85; the unit's domain with
chance 0.55, else free mail.

Honest ballots. Length: browsers 45% (Geometric(0.3)), regulars 40% (5 + NegBin(2, 2/17)),
completionists 15% (U(0.15, 0.5) of the talks, at most 400); regulars' and completionists' lengths
are scaled so that the ordinary ballots hold 86% of the target votes, then clipped to 1..0.6 T.
Talks drawn without replacement with weight appeal x 4 (primary track) or x 2 (secondary track).
Colleagues: each voter adds each talk by their organisation's speakers with chance min(0.3, 3 / the
organisation's talks). Score 1-5: latent = 0.9 z + 0.6 (primary track) or 0.3 (secondary) + leniency
N(0, 0.5) + N(0, 0.8) (+0.8 on a colleague's talk, + the boosts below); graders cut it at -1.3, -0.5,
0.3, 1.2; 30% of voters are "extremists" who give 5 when latent > 0.3, else 1 (app ratings' J shape).
Account creation: 25% of voters last year (330-420 days before OPENS); of ticket and pledge holders
a further 37.5% when they registered (0-120 days before OPENS); everyone else at their first vote
minus Exp(3 min) (at least 2 min: see below).

Honest correlated groups (HONEST_KINDS; listed in `honest_groups`, their votes honest; their members
are never bloc members):
- featured_push: the organizers' push notification "Featured talks" at 10:00 UTC on days 1, 4, 8, 11,
  15, 18 features 2 / 3 / 4 talks (small / medium / large) of quality between the 30th and 85th
  percentiles, RECORDED as promotions (TalkFacts.promoted_at). 25% of voters are push-responsive; each
  opens the app with chance 0.12 within Exp(50 min) and rates each featured talk with chance 0.6
  (honest score, +0.3).
- trending_push: the app vendor's automatic "Trending now" push (day 6 and day 13, 18:00 UTC) of the
  talk with the highest appeal (then the second), NOT recorded; responsive voters with chance 0.12
  rate it within Exp(40 min) (+0.4).
- viral_mention: an external post (Hacker News style, not recorded) about a talk above the 70th
  quality percentile on day 3-16 at a random hour; 30 / 80 / 150 people (1 / 3 / 4 posts) within
  Exp(3 h): 60% are new app-only accounts whose whole ballot is that session (the talk 5/4/3 stars
  with chances 0.7/0.2/0.1, and with chance 0.4 one to three talks of its track), joined Exp(4 min)
  before their first vote; 40% existing voters.
- track_chair_followers: a track chair's social post (not recorded) on day 1-9 at 16:00 UTC; 25 / 60
  / 100 followers (70% with that primary track) within U(0, 36 h) rate 3-8 of the track's talks (+0.3).
  1 / 3 / 6 posts.
- workshop_cohort: 12-30 participants of an online workshop on day 5 rate the 2-3 instructors' talks
  and 0-3 of their track between 17:00 and 23:00 UTC (+0.8). 1 / 3 / 6 cohorts.
Honest votes by these replace the voter's ordinary vote on the same talk.

Planted campaigns (BLOC_KINDS; members 3-40; support targets are "contenders", quality between the
75th and 93rd percentiles, opposition targets above the 92nd; each target used once; members are not
speakers, not honest-group members and in one bloc only; a planted vote replaces the member's honest
vote on that talk; support votes are 4 or 5 stars on the target, opposition 1 or 2 with at least one
1). Times outside the vote are clamped to it.
- advocacy_programme: an employee-advocacy tool in a corporate group (with subsidiaries' domains)
  whose speaker gives the talk; 12-40 employees (colleagues) rate it 5 (4 with chance 0.1) in office
  hours 9-17 local on the weekday of the post (55%) or 1-3 weekdays later (0.2/0.15/0.1).
- vote_swap (two blocs): two speakers of different organisations agree to swap; each side's 6-20
  people (70% colleagues of its speaker, 30% friends outside) rate the OTHER talk 5, at a time next
  to one of their own votes (+Exp(90 s)) or, with no ballot, in a session of the week after the deal.
- crowd_workers: a paid micro-task in UTC+5:30, slots released evenly over two days 10:00-20:00
  local; each of 15-35 workers makes an account (free mail, a pledge: weight 0.5) 1-4 min before,
  rates the talk 5 and 3-6 random talks 2-5 stars in random order, 15-40 s apart.
- influencer_post: the speaker's own social post (not recorded) at 19:00 in a zone; 15-40 followers
  answer within Exp(4 h) (80%) or U(0, 72 h); 65% new accounts (app only 60%, pledge 40%; free mail
  80%, else a personal domain) who rate the talk 5 (4 with chance 0.1) and with chance 0.3 one or two
  talks of its track 3-5 stars; 35% existing voters rating only the talk.
- dormant_reactivation: one operator's 6-20 accounts from last year's app (joined 360-420 days before
  OPENS, weight 0.5; half an old work domain of an organisation and its name with chance 0.4, half
  free mail), used one night from 22:00 local, account after account 3-10 min apart; each rates the
  talk 5 first, then a shared list of 4-8 talks (each kept with chance 0.8, the list's scores), then
  0-2 talks of its own, 5-15 s apart.
- booth_qr: a sponsor's (company's speaker's) booth at a trade fair in UTC+1 on a weekday 10:00-18:00
  (40% around the lunch peak N(13 h, 1 h)); 20-40 visitors scan the QR code: a new account with a
  pledge (45% a visitor company's own domain, else free mail) and the talk 5 stars; 30% also one talk
  of its track 3-5 stars.
- alumni_network: a university's alumni list (not recorded) asks for a university speaker's talk;
  10-30 existing voters outside that university rate it 5 (4 with chance 0.15), 40% within a day,
  the rest over days 1-4, at hours of the app curve in their zone.
- review_bomb (oppose): after a public spat, 10-30 people rate a strong talk 1 star within Exp(40 min)
  of a moment on day 3-18; half existing voters, half new accounts (app only or pledge, free mail)
  made 0.5-5 min before.
- lab_push: a professor asks 5-15 people of their university (colleagues) to rate the talk 5 in the
  lab meeting, a weekday 11:00-12:00 in the university's zone.
- competitor_undercut (oppose): 5-20 staff of a company rate a strong talk by another organisation 1
  star (2 with chance 0.2), next to their own votes over a week (else in office hours).
The planted flag marks the campaign's votes (including a new account's every vote); `colleague`
marks votes by a voter of the same organisation (all units: a group's subsidiaries are colleagues) as
one of the talk's speakers; `honest` is neither planted nor cast by a campaign-only account. Every
account exists at least two minutes before its first vote (an existing voter whose first vote is a
campaign's made the account then).
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.ballots.domain.blocs_input import TalkFacts, VoteScale, bloc_input_build
from bench.blocs_synthetic import SIZES, PlantedBloc, SyntheticConference, planted_over_honest, world_voter_facts

HOUR = 3600
DAY = 24 * HOUR
DAYS = 21
DAY0 = int(dt.datetime(2027, 1, 11, tzinfo=dt.UTC).timestamp())  # a Monday
OPENS = DAY0 + 9 * HOUR  # the app's vote opens at 09:00 UTC on day 0
CLOSES = DAY0 + DAYS * DAY  # and closes at midnight UTC after day 20
SCALE = VoteScale(minimum=1, maximum=5, wanted_min=4, labels=("1 star", "2 stars", "3 stars", "4 stars", "5 stars"))
FREE_MAIL = ("phonemail.example", "webpost.example", "letterbox.example", "relaymail.example")
TRACKS = 10
TRACK_SHARE = np.array([0.18, 0.14, 0.12, 0.11, 0.1, 0.09, 0.08, 0.07, 0.06, 0.05])
# Voter time zones (hours from UTC) and their shares: the Americas, Europe, India, East Asia.
ZONES = np.array([-6.0, 1.0, 5.5, 8.0])
ZONE_SHARE = np.array([0.40, 0.38, 0.05, 0.17])
# The app's use over a local day (opens per hour, relative): commute, lunch, evening, in bed.
HOUR_CURVE = np.array(
    [
        0.08,
        0.05,
        0.04,
        0.04,
        0.05,
        0.1,
        0.4,
        1.5,
        1.5,
        1.1,
        0.8,
        0.8,
        1.3,
        1.3,
        0.8,
        0.8,
        0.9,
        1.4,
        1.4,
        1.4,
        1.0,
        1.7,
        1.7,
        0.6,
    ]
)
FEATURED_DAYS = (1, 4, 8, 11, 15, 18)  # the organizers' push notifications "Featured talks" at 10:00 UTC
TRENDING = ((6, 18), (13, 18))  # the app vendor's automatic "Trending now" pushes (day, hour UTC): not recorded
FEATURED_PER_PUSH = {"small": 2, "medium": 3, "large": 4}
HONEST_SCALE = {"small": 1, "medium": 3, "large": 6}  # viral mentions, track-chair posts, workshop cohorts
BLOC_KINDS = (
    "advocacy_programme",
    "vote_swap",
    "crowd_workers",
    "influencer_post",
    "dormant_reactivation",
    "booth_qr",
    "alumni_network",
    "review_bomb",
    "lab_push",
    "competitor_undercut",
)
HONEST_KINDS = ("featured_push", "trending_push", "viral_mention", "track_chair_followers", "workshop_cohort")
ORG_KINDS = ("group", "consultancy", "university", "startup")
SYL_A = ("Vel", "Nor", "Ast", "Bri", "Cal", "Dar", "Eld", "Fen", "Gal", "Hal", "Ire", "Jor", "Kes", "Lum", "Mar")
SYL_B = ("tra", "vex", "ion", "ora", "mix", "dale", "nova", "tek", "lyn", "bridge", "port", "soft", "wave", "core")
SYL_C = ("", "a", "o", "is", "um", "en", "ar", "ix")
UNIT_SUFFIX = ("", " Cloud", " Labs", " Digital")


def org_name(i: int) -> str:
    a, b, c = SYL_A[i % 15], SYL_B[(i // 15) % 14], SYL_C[(i // 210) % 8]
    extra = i // 1680
    return f"{a}{b}{c}" + (f" {extra + 1}" if extra else "")


def _slug(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


@dataclass
class World:
    """The honest conference (positions 0-based) and what planting adds to it."""

    size: str
    V: int
    T: int
    org_kind: list[str]  # per organisation
    org_units: list[list[tuple[str, str]]]  # per organisation: (unit name, email domain)
    org_zone: np.ndarray  # per organisation, its home zone index
    org_track: np.ndarray  # per organisation, the track its people lean to
    voter_org: np.ndarray  # per voter, -1 independent
    voter_unit: np.ndarray
    zone: np.ndarray  # per voter, zone index
    weight: np.ndarray
    order: list[str | None]
    domain: list[str]
    company_field: list[str | None]
    primary: np.ndarray
    secondary: np.ndarray
    track: np.ndarray  # per talk
    quality: np.ndarray  # per talk, z-score
    appeal: np.ndarray  # per talk
    speaker_org: np.ndarray  # (T, 2), -1 none
    speaker_unit: np.ndarray  # (T, 2)
    speaker_voter: np.ndarray  # (T, 2), -1 none
    votes: np.ndarray  # (n, 4) int64: voter, talk, score, at
    joined: np.ndarray  # per voter
    featured: dict[int, list[int]]  # talk -> the times of its recorded featured pushes
    honest_groups: list[PlantedBloc] = field(default_factory=list)
    honest_members: set[int] = field(default_factory=set)
    planted: list[np.ndarray] = field(default_factory=list)
    accounts: list[tuple] = field(default_factory=list)  # (weight, order, domain, company, true org, joined)


def _company_spelling(rng, kind: str, unit: str) -> str | None:
    """What a voter types into the app's company field."""
    r = rng.random()
    if r < 0.45:
        return None
    if kind == "university":
        base = unit.split(",")[0]
        return (base, base.replace("University of ", "Uni "), base + ", Dept. of CS", base.upper())[int(r * 40) % 4]
    return (unit, unit + " GmbH", unit.lower(), unit + ", Inc.", unit.split(" ")[0])[int(r * 50) % 5]


def _free(rng) -> str:
    return FREE_MAIL[int(rng.integers(len(FREE_MAIL)))]


def _organisations(rng, V: int):
    n_orgs = max(12, V // 25)
    kinds = rng.choice(4, size=n_orgs, p=[0.35, 0.15, 0.2, 0.3])
    sizes = np.minimum(rng.pareto(1.3, size=n_orgs) + 1.0, 40.0)  # the largest about 2% of the voters
    org_kind, org_units = [], []
    for i in range(n_orgs):
        kind = ORG_KINDS[kinds[i]]
        name = org_name(i)
        slug = _slug(name)
        if kind == "group":  # a parent and up to three subsidiaries, each with its own domain
            n_units = 1 + int(rng.integers(0, 4))
            units = [(name + UNIT_SUFFIX[u], f"{slug}{_slug(UNIT_SUFFIX[u])}.example") for u in range(n_units)]
        elif kind == "university":  # departments on subdomains
            uni = f"University of {name}"
            units = [
                (uni, f"cs.{slug}-uni.example"),
                (uni, f"student.{slug}-uni.example"),
                (uni, f"{slug}-uni.example"),
            ]
        elif kind == "consultancy":
            units = [(f"{name} Consulting", f"{slug}consulting.example")]
        else:
            units = [(name, f"{slug}.example")]
        org_kind.append(kind)
        org_units.append(units)
    return org_kind, org_units, sizes


def _honest(rng: np.random.Generator, size: str) -> World:
    spec = SIZES[size]
    V, T = spec.voters, spec.talks
    org_kind, org_units, org_size = _organisations(rng, V)
    n_orgs = len(org_kind)
    org_zone = rng.choice(4, size=n_orgs, p=ZONE_SHARE)
    org_track = rng.choice(TRACKS, size=n_orgs, p=TRACK_SHARE)
    # Voters: 22% independent, the rest in organisations by their (heavy-tailed) size.
    voter_org = np.where(rng.random(V) < 0.22, -1, rng.choice(n_orgs, size=V, p=org_size / org_size.sum()))
    voter_unit = np.zeros(V, dtype=np.int64)
    for v in np.flatnonzero(voter_org >= 0):
        voter_unit[v] = rng.integers(len(org_units[voter_org[v]]))
    in_org = voter_org >= 0
    zone = np.where(
        in_org & (rng.random(V) < 0.85), org_zone[np.maximum(voter_org, 0)], rng.choice(4, size=V, p=ZONE_SHARE)
    )
    # Tracks: half of an organisation's people lean to its track; everyone has a second interest.
    primary = rng.choice(TRACKS, size=V, p=TRACK_SHARE)
    lean = in_org & (rng.random(V) < 0.5)
    primary[lean] = org_track[voter_org[lean]]
    secondary = (primary + rng.integers(1, TRACKS, size=V)) % TRACKS

    # Class weights: tickets (1.0), pledges (0.5), the app alone (0.0).
    u = rng.random(V)
    student = np.array(
        [voter_org[v] >= 0 and org_kind[voter_org[v]] == "university" and voter_unit[v] == 1 for v in range(V)]
    )
    weight = np.where(
        in_org, np.select([u < 0.75, u < 0.87], [1.0, 0.5], 0.0), np.select([u < 0.55, u < 0.75], [1.0, 0.5], 0.0)
    )
    weight[student] = np.select([u[student] < 0.6, u[student] < 0.85], [1.0, 0.5], 0.0)

    # Ticket orders: companies book in batches of 2-15 per unit; a department books its students at once.
    order: list[str | None] = [None] * V
    n_order = 0
    ticket = weight == 1.0
    groups: dict[tuple[int, int], list[int]] = {}
    for v in np.flatnonzero(ticket & in_org):
        groups.setdefault((int(voter_org[v]), int(voter_unit[v])), []).append(int(v))
    for (o, unit), members in sorted(groups.items()):
        members = list(rng.permutation(members))
        while members:
            if org_kind[o] == "university" and unit == 1:
                k = min(len(members), 25)
            elif rng.random() < 0.35:
                k = 1
            else:
                k = min(len(members), int(rng.integers(2, 16)))
            for v in members[:k]:
                order[v] = f"DS{n_order:06d}"
            n_order += 1
            members = members[k:]
    for v in np.flatnonzero(ticket & ~in_org):
        order[v] = f"DS{n_order:06d}"
        n_order += 1

    domain: list[str] = []
    company_field: list[str | None] = []
    for v in range(V):
        o = int(voter_org[v])
        if o < 0:
            domain.append(_free(rng) if rng.random() < 0.85 else f"p{v}-home.example")
            company_field.append(None if rng.random() < 0.7 else ("Freelance", "Self-employed", "independent")[v % 3])
            continue
        kind = org_kind[o]
        unit_name, unit_domain = org_units[o][voter_unit[v]]
        work = rng.random() < (0.75 if kind == "university" else 0.6)
        domain.append(unit_domain if work else _free(rng))
        if kind == "consultancy" and rng.random() < 0.35:  # the client they are placed at
            company_field.append(org_units[int(rng.integers(n_orgs))][0][0])
        else:
            company_field.append(_company_spelling(rng, kind, unit_name))

    # Talks: tracks, quality, title appeal, speakers.
    track = rng.choice(TRACKS, size=T, p=TRACK_SHARE)
    quality = rng.normal(size=T)
    appeal = np.exp(rng.normal(0, 0.8, size=T) + 0.35 * quality)
    org_voters = np.bincount(voter_org[in_org], minlength=n_orgs)
    speaker_org = np.full((T, 2), -1, dtype=np.int64)
    speaker_unit = np.zeros((T, 2), dtype=np.int64)
    speaker_voter = np.full((T, 2), -1, dtype=np.int64)
    pick = org_voters**0.7
    uni = np.array([k == "university" for k in org_kind])
    for t in range(T):
        for k in range(2):
            if k == 1 and rng.random() > 0.35:
                break
            r = rng.random()
            if k == 1 and r < 0.6:
                o = speaker_org[t, 0]
            elif r < 0.55 and (pick * ~uni).sum() > 0:
                o = rng.choice(n_orgs, p=pick * ~uni / (pick * ~uni).sum())
            elif r < 0.85 and (pick * uni).sum() > 0:
                o = rng.choice(n_orgs, p=pick * uni / (pick * uni).sum())
            else:
                o = -1
            speaker_org[t, k] = o
            if o >= 0:
                speaker_unit[t, k] = rng.integers(len(org_units[o]))
                staff = np.flatnonzero(voter_org == o)
            else:
                staff = np.flatnonzero(~in_org)
            if rng.random() < 0.6 and len(staff):
                s = int(rng.choice(staff))
                if s not in speaker_voter:
                    speaker_voter[t, k] = s

    # Ballot lengths: browsers (geometric, mean 3.3), regulars (5 + negative binomial), completionists
    # (15-50% of the talks, at most 400); regulars' and completionists' lengths scaled to the target.
    kind = rng.choice(3, size=V, p=[0.45, 0.40, 0.15])
    length = np.where(
        kind == 0,
        rng.geometric(0.3, size=V),
        np.where(kind == 1, 5 + rng.negative_binomial(2, 2 / 17, size=V), rng.uniform(0.15, 0.5, size=V) * T),
    ).astype(float)
    length[kind == 2] = np.minimum(length[kind == 2], 400)
    target = spec.votes * 0.86  # the rest comes from colleagues, pushes, posts and cohorts
    rest = target - length[kind == 0].sum()
    length[kind > 0] *= rest / length[kind > 0].sum()
    length = np.clip(np.round(length), 1, int(0.6 * T)).astype(np.int64)
    viral_new = np.zeros(V, dtype=bool)  # filled below: their whole ballot is the viral talk's session

    # Talks drawn by appeal times interest (x4 primary track, x2 secondary), without replacement.
    mult = np.ones((TRACKS * TRACKS, T))
    for c in range(TRACKS * TRACKS):
        mult[c, track == c // TRACKS] = 4.0
        mult[c, track == c % TRACKS] = np.maximum(mult[c, track == c % TRACKS], 2.0)
    w = mult * appeal
    cdf = np.cumsum(w, axis=1)
    cdf /= cdf[:, -1:]
    flat = (cdf + np.arange(TRACKS * TRACKS)[:, None]).ravel()
    combo = primary * TRACKS + secondary
    keys = np.empty(0, dtype=np.int64)
    need = length.copy()
    for _round in range(4):
        draws = 2 * need + 4 * (need > 0)
        who = np.repeat(np.arange(V), draws)
        pos = np.searchsorted(flat, rng.random(len(who)) + combo[who], side="right")
        talk = np.minimum(pos - combo[who] * T, T - 1)
        new = who * T + talk
        allk = np.r_[keys, new]
        _, first = np.unique(allk, return_index=True)
        first.sort()
        allk = allk[first]
        owner = allk // T
        start = np.searchsorted(owner, np.arange(V))
        rank = np.arange(len(allk)) - start[owner]
        keys = allk[rank < length[owner]]
        need = np.maximum(length - np.bincount(keys // T, minlength=V), 0)
        if need.sum() == 0:
            break
    # Colleagues: a voter rates each talk by their organisation's speakers with a further chance
    # (at most three such talks' worth on average: the chance is min(0.3, 3 / the organisation's talks)).
    extra = []
    org_talks = np.bincount(speaker_org[:, 0][speaker_org[:, 0] >= 0], minlength=n_orgs)
    for t in range(T):
        for o in set(speaker_org[t][speaker_org[t] >= 0].tolist()):
            staff = np.flatnonzero(voter_org == o)
            chosen = staff[rng.random(len(staff)) < min(0.3, 3.0 / max(1, org_talks[o]))]
            extra.append(chosen * T + t)
    keys = np.unique(np.r_[keys, *extra]) if extra else keys
    votes_v, votes_t = keys // T, keys % T

    leniency = rng.normal(0.0, 0.5, size=V)
    extremist = rng.random(V) < 0.3

    def score(v: np.ndarray, t: np.ndarray, boost: np.ndarray | float = 0.0) -> np.ndarray:
        match = np.where(track[t] == primary[v], 0.6, np.where(track[t] == secondary[v], 0.3, 0.0))
        latent = 0.9 * quality[t] + match + leniency[v] + rng.normal(0, 0.8, size=len(v)) + boost
        graded = 1 + np.searchsorted(np.array([-1.3, -0.5, 0.3, 1.2]), latent)
        return np.where(extremist[v], np.where(latent > 0.3, 5, 1), graded)

    vo = voter_org[votes_v]
    colleague = (vo >= 0) & ((vo == speaker_org[votes_t, 0]) | (vo == speaker_org[votes_t, 1]))
    scores = score(votes_v, votes_t, np.where(colleague, 0.8, 0.0))

    # Sessions: 1 + Poisson(length / 15) app opens (at most 6); each on a day drawn from the vote's
    # rhythm and a local hour from HOUR_CURVE; votes 25 s apart on average within a session.
    day_w = np.ones(DAYS)
    day_w[[d for d in range(DAYS) if (d % 7) in (5, 6)]] = 0.45
    day_w[0], day_w[1], day_w[DAYS - 2], day_w[DAYS - 1] = 3.0, 1.8, 2.0, 3.0
    for d in FEATURED_DAYS:
        day_w[d] += 0.4
    day_w /= day_w.sum()
    hour_w = HOUR_CURVE / HOUR_CURVE.sum()

    def session_times(n: int, zones: np.ndarray, days: np.ndarray | None = None) -> np.ndarray:
        d = rng.choice(DAYS, size=n, p=day_w) if days is None else days
        h = rng.choice(24, size=n, p=hour_w) + rng.random(n)
        at = DAY0 + d * DAY + ((h - ZONES[zones]) * HOUR).astype(np.int64)
        at = np.where(at < OPENS, at + DAY, at)
        return np.where(at >= CLOSES - HOUR, at - DAY, at)

    n_sessions = np.minimum(1 + rng.poisson(length / 15), 6)
    s_start = np.cumsum(n_sessions) - n_sessions
    starts = session_times(int(n_sessions.sum()), np.repeat(zone, n_sessions))
    which = s_start[votes_v] + np.minimum(
        (rng.random(len(votes_v)) ** 1.5 * n_sessions[votes_v]).astype(np.int64), n_sessions[votes_v] - 1
    )
    order_in = np.lexsort((rng.random(len(which)), which))
    gaps = rng.exponential(25.0, size=len(which)) + 3
    cum = np.cumsum(gaps[order_in])
    first_of = np.r_[0, np.flatnonzero(np.diff(which[order_in])) + 1]
    base = np.repeat(cum[first_of] - gaps[order_in][first_of], np.diff(np.r_[first_of, len(which)]))
    at = np.empty(len(which), dtype=np.int64)
    at[order_in] = starts[which[order_in]] + (cum - base).astype(np.int64)
    at = np.minimum(at, CLOSES - 1)
    votes = np.stack([votes_v, votes_t, scores, at], axis=1).astype(np.int64)

    world = World(
        size=size,
        V=V,
        T=T,
        org_kind=org_kind,
        org_units=org_units,
        org_zone=org_zone,
        org_track=org_track,
        voter_org=voter_org,
        voter_unit=voter_unit,
        zone=zone,
        weight=weight,
        order=order,
        domain=domain,
        company_field=company_field,
        primary=primary,
        secondary=secondary,
        track=track,
        quality=quality,
        appeal=appeal,
        speaker_org=speaker_org,
        speaker_unit=speaker_unit,
        speaker_voter=speaker_voter,
        votes=votes,
        joined=np.zeros(V, dtype=np.int64),
        featured={},
    )
    added: list[np.ndarray] = []
    speakers = set(speaker_voter[speaker_voter >= 0].tolist())

    def respond(members: np.ndarray, talks_each: list[np.ndarray], times: np.ndarray, boost: float) -> np.ndarray:
        rows = []
        for v, ts, t0 in zip(members, talks_each, times, strict=True):
            if len(ts) == 0:
                continue
            vv = np.full(len(ts), v)
            at = t0 + np.cumsum(rng.exponential(25.0, size=len(ts)) + 3).astype(np.int64)
            rows.append(np.stack([vv, ts, score(vv, ts, boost), np.minimum(at, CLOSES - 1)], axis=1))
        return np.concatenate(rows) if rows else np.empty((0, 4), dtype=np.int64)

    def group(kind: str, members: np.ndarray, talks: np.ndarray) -> None:
        members = np.array(sorted(set(members.tolist())), dtype=np.int64)
        if len(members) == 0:
            return
        world.honest_groups.append(
            PlantedBloc(
                kind,
                "honest",
                tuple(int(t) + 1 for t in sorted(set(talks.tolist()))),
                tuple(int(v) + 1 for v in members),
                None,
            )
        )
        world.honest_members.update(members.tolist())

    responsive = rng.random(V) < 0.25
    mid = np.flatnonzero((quality > np.quantile(quality, 0.3)) & (quality < np.quantile(quality, 0.85)))
    per_push = FEATURED_PER_PUSH[size]
    # Featured pushes (recorded as promotions): a responsive voter opens the app with chance 0.12 within
    # Exp(50 min) and rates each featured talk with chance 0.6 (honest score, +0.3).
    for d in FEATURED_DAYS:
        t_push = DAY0 + d * DAY + 10 * HOUR
        talks = rng.choice(mid, size=per_push, replace=False)
        for t in talks:
            world.featured.setdefault(int(t), []).append(t_push)
        who = np.flatnonzero(responsive & (rng.random(V) < 0.12))
        each = [talks[rng.random(per_push) < 0.6] for _ in who]
        added.append(respond(who, each, t_push + rng.exponential(50 * 60, size=len(who)).astype(np.int64), 0.3))
        group("featured_push", who[[len(e) > 0 for e in each]] if len(who) else who, talks)
    # Trending pushes (the app vendor's, not recorded): the talk of highest appeal not yet trending.
    trending = np.argsort(-appeal)
    for i, (d, h) in enumerate(TRENDING):
        t_push = DAY0 + d * DAY + h * HOUR
        t = trending[i]
        who = np.flatnonzero(responsive & (rng.random(V) < 0.12))
        added.append(
            respond(
                who, [np.array([t])] * len(who), t_push + rng.exponential(40 * 60, size=len(who)).astype(np.int64), 0.4
            )
        )
        group("trending_push", who, np.array([t]))
    n_honest = HONEST_SCALE[size]
    app_only = np.flatnonzero((weight == 0.0) & ~np.isin(np.arange(V), list(speakers)))
    rng.shuffle(app_only)
    taken = 0
    # Viral mentions (an external post, not recorded): 30/80/150 people within Exp(3 h) of the post; 60%
    # new app accounts whose whole ballot is the talk (and, with chance 0.4, 1-3 more of its track).
    strong = np.flatnonzero(quality > np.quantile(quality, 0.7))
    viral_size = {"small": 30, "medium": 80, "large": 150}[size]
    for _ in range(n_honest if size != "large" else 4):
        t = int(rng.choice(strong))
        t_post = DAY0 + int(rng.integers(3, 17)) * DAY + int(rng.integers(0, 24)) * HOUR
        n_new = int(0.6 * viral_size)
        newcomers = app_only[taken : taken + n_new]
        taken += n_new
        viral_new[newcomers] = True
        old = rng.choice(
            np.flatnonzero(~viral_new & ~np.isin(np.arange(V), list(speakers))), size=viral_size - n_new, replace=False
        )
        who = np.r_[newcomers, old]
        same = np.flatnonzero((track == track[t]) & (np.arange(T) != t))
        each = []
        for _v in who:
            more = (
                rng.choice(same, size=int(rng.integers(1, 4)), replace=False)
                if (rng.random() < 0.4 and len(same) >= 3)
                else []
            )
            each.append(np.r_[t, more].astype(np.int64))
        rows = respond(who, each, t_post + rng.exponential(3 * HOUR, size=len(who)).astype(np.int64), 0.0)
        rows[rows[:, 1] == t, 2] = rng.choice([5, 4, 3], size=int((rows[:, 1] == t).sum()), p=[0.7, 0.2, 0.1])
        added.append(rows)
        group("viral_mention", who, np.array([t]))
    # Track chairs' posts (not recorded): 25/60/100 followers, 70% with that primary track, within
    # U(0, 36 h) rate 3-8 of the track's talks (honest, +0.3).
    follow = {"small": 25, "medium": 60, "large": 100}[size]
    for _ in range(n_honest):
        tr = int(rng.choice(TRACKS, p=TRACK_SHARE))
        t_post = DAY0 + int(rng.integers(1, 10)) * DAY + 16 * HOUR
        fans = np.flatnonzero((primary == tr) & ~viral_new)
        others = np.flatnonzero((primary != tr) & ~viral_new)
        n_fans = min(len(fans), int(0.7 * follow))
        who = np.r_[
            rng.choice(fans, size=n_fans, replace=False), rng.choice(others, size=follow - n_fans, replace=False)
        ]
        mine = np.flatnonzero(track == tr)
        each = [rng.choice(mine, size=min(len(mine), int(rng.integers(3, 9))), replace=False) for _ in who]
        added.append(respond(who, each, t_post + rng.uniform(0, 36 * HOUR, size=len(who)).astype(np.int64), 0.3))
        group("track_chair_followers", who, np.concatenate(each))
    # Workshop cohorts: 12-30 participants of an online workshop on day 5 (14-17 UTC) rate the
    # instructors' 2-3 talks and 0-3 of their track between 17 and 23 UTC (honest, +0.8 on the talks).
    for _ in range(n_honest):
        instructors = rng.choice(mid, size=int(rng.integers(2, 4)), replace=False)
        pool = np.flatnonzero(~viral_new)
        who = rng.choice(pool, size=int(rng.integers(12, 31)), replace=False)
        same = np.flatnonzero(track == track[instructors[0]])
        each = [np.unique(np.r_[instructors, rng.choice(same, size=int(rng.integers(0, 4)))]) for _ in who]
        t0 = DAY0 + 5 * DAY + 17 * HOUR + rng.uniform(0, 6 * HOUR, size=len(who)).astype(np.int64)
        added.append(respond(who, each, t0, 0.8))
        group("workshop_cohort", who, instructors)

    # The viral newcomers' ordinary ballots are dropped; added votes replace ordinary ones on one talk.
    keep = ~viral_new[votes[:, 0]]
    extra_rows = np.concatenate(added)
    ekeys = extra_rows[:, 0] * T + extra_rows[:, 1]
    _, last = np.unique(ekeys[::-1], return_index=True)
    extra_rows = extra_rows[::-1][last]
    keep &= ~np.isin(votes[:, 0] * T + votes[:, 1], extra_rows[:, 0] * T + extra_rows[:, 1])
    votes = np.concatenate([votes[keep], extra_rows])
    votes = votes[np.lexsort((votes[:, 1], votes[:, 0]))]
    world.votes = votes
    world.weight = weight

    # Account creation: last year's attendees (25%) 330-420 days before the vote opens; half of the
    # rest of ticket and pledge holders when they registered (0-120 days before); the others at their
    # first vote minus Exp(3 min), viral newcomers minus Exp(4 min).
    first = np.full(V, CLOSES, dtype=np.int64)
    np.minimum.at(first, votes[:, 0], votes[:, 3])
    r = rng.random(V)
    joined = np.where(
        r < 0.25,
        OPENS - rng.uniform(330, 420, size=V) * DAY,
        np.where(
            r < 0.25 + 0.375 * (weight > 0),
            OPENS - rng.uniform(0, 120, size=V) * DAY,
            first - rng.exponential(180, size=V),
        ),
    ).astype(np.int64)
    joined[viral_new] = first[viral_new] - rng.exponential(240, size=int(viral_new.sum())).astype(np.int64)
    world.joined = np.minimum(joined, first)
    return world


# ---------------------------------------------------------------------------------------------- planting


def plant_fresh4(rng: np.random.Generator, world: World, n: int):
    """Plants campaigns of BLOC_KINDS in turn until `n` blocs (a vote swap is two); see the docstring."""
    V, T = world.V, world.T
    q = world.quality
    votes = world.votes
    blocs: list[PlantedBloc] = []
    used: set[int] = set(world.honest_members)
    used.update(world.speaker_voter[world.speaker_voter >= 0].tolist())
    used_talks: set[int] = set()
    lo, hi = np.quantile(q, 0.75), np.quantile(q, 0.93)
    contenders = [int(t) for t in rng.permutation(np.flatnonzero((q >= lo) & (q <= hi)))]
    strong = [int(t) for t in rng.permutation(np.flatnonzero(q > np.quantile(q, 0.92)))]
    ballot_start = np.searchsorted(votes[:, 0], np.arange(V + 1))

    def free_voters(pool: np.ndarray) -> np.ndarray:
        return np.array([v for v in pool.tolist() if v not in used], dtype=np.int64)

    def take_talk(pool: list[int], want=None) -> int:
        for t in pool:
            if t not in used_talks and (want is None or want(t)):
                used_talks.add(t)
                return t
        for t in pool:
            if t not in used_talks:
                used_talks.add(t)
                return t
        raise ValueError("no target talk left")

    def local(zone: np.ndarray | int, day: np.ndarray | int, hour: np.ndarray | float) -> np.ndarray:
        return (DAY0 + np.asarray(day) * DAY + (np.asarray(hour) - ZONES[zone]) * HOUR).astype(np.int64)

    def clamp(at: np.ndarray) -> np.ndarray:
        return np.clip(at, OPENS + 60, CLOSES - 60)

    def near_own(v: int, fallback: int) -> int:
        """A time in one of the voter's own sessions (beside a vote they cast), else the fallback."""
        a, b = ballot_start[v], ballot_start[v + 1]
        if b > a:
            return int(votes[rng.integers(a, b), 3] + rng.exponential(90))
        return fallback

    def weekday_after(d: int) -> int:
        while d % 7 in (5, 6):
            d += 1
        return d

    def account(weight: float, domain: str, company: str | None, joined: int) -> int:
        world.accounts.append((weight, None, domain, company, -1, int(joined)))
        return V + len(world.accounts) - 1

    def emit(kind, direction, rows, members, boosted):
        rows = np.asarray(rows, dtype=np.int64).reshape(-1, 4)
        rows[:, 3] = clamp(rows[:, 3])
        world.planted.append(rows)
        blocs.append(
            PlantedBloc(
                kind,
                direction,
                tuple(sorted({int(t) + 1 for t in rows[:, 1]})),
                tuple(sorted(int(v) + 1 for v in set(members))),
                None if boosted is None else int(boosted) + 1,
            )
        )
        used.update(int(v) for v in members)

    fallback_pool = [int(t) for t in rng.permutation(np.flatnonzero(q > np.quantile(q, 0.5)))]

    def target_by_org(kinds: tuple[str, ...], least: int, exclude=()) -> tuple[int, int, np.ndarray]:
        """A target talk whose first speaker's organisation is of `kinds` with at least `least` free
        staff: among the contenders first, then among the talks above the median quality; failing
        that, the one with the most free staff."""
        best = (-1, -1, np.empty(0, dtype=np.int64))
        for pool in (contenders, fallback_pool):
            for t in pool:
                o = int(world.speaker_org[t, 0])
                if t in used_talks or o < 0 or world.org_kind[o] not in kinds or o in exclude:
                    continue
                staff = free_voters(np.flatnonzero(world.voter_org == o))
                if len(staff) >= least:
                    used_talks.add(t)
                    return o, t, staff
                if best[0] < 0 or len(staff) > len(best[2]):
                    best = (o, t, staff)
        if best[0] < 0:
            raise ValueError(f"no talk by an organisation of {kinds}")
        used_talks.add(best[1])
        return best

    def size_of(lo_: int, hi_: int) -> int:
        return int(rng.integers(lo_, hi_ + 1))

    k = 0
    while len(blocs) < n:
        kind = BLOC_KINDS[k % len(BLOC_KINDS)]
        k += 1
        if kind == "advocacy_programme":
            # Marketing posts in the group's advocacy tool on a weekday at 10:00 local, a reminder two
            # days later; employees rate the talk 5 stars (4 with chance 0.1) in office hours over 4 days.
            o, t, staff = target_by_org(("group",), 15)
            members = rng.choice(staff, size=min(len(staff), size_of(12, 40)), replace=False)
            d0 = weekday_after(int(rng.integers(1, 12)))
            lag = rng.choice([0, 1, 2, 3], size=len(members), p=[0.55, 0.2, 0.15, 0.1])
            days = np.array([weekday_after(d0 + int(x)) for x in lag])
            at = local(world.zone[members], days, rng.uniform(9, 17, size=len(members)))
            sc = np.where(rng.random(len(members)) < 0.1, 4, 5)
            emit(kind, "support", np.stack([members, np.full(len(members), t), sc, at], 1), members, t)
        elif kind == "vote_swap":
            # Two speakers' networks (colleagues, and 30% friends outside) rate the other's talk 5 stars,
            # in their own sessions over the week after the deal.
            pair = []
            for _ in range(2):
                o, t, staff = target_by_org(("group", "startup", "consultancy"), 6, exclude=[p[0] for p in pair])
                m = size_of(6, 20)
                n_col = min(len(staff), round(0.7 * m))
                col = rng.choice(staff, size=n_col, replace=False)
                used.update(col.tolist())
                friends = rng.choice(free_voters(np.flatnonzero(world.voter_org != o)), size=m - n_col, replace=False)
                used.update(friends.tolist())
                pair.append((o, t, np.r_[col, friends]))
            d0 = int(rng.integers(2, 12))
            for side, (_o, _t, members) in enumerate(pair):
                other = pair[1 - side][1]
                fallback = local(
                    world.zone[members],
                    d0 + rng.integers(0, 7, size=len(members)),
                    rng.uniform(8, 23, size=len(members)),
                )
                at = np.array([near_own(int(v), int(f)) for v, f in zip(members, fallback, strict=True)])
                at = np.maximum(at, DAY0 + d0 * DAY)
                emit(
                    kind,
                    "support",
                    np.stack([members, np.full(len(members), other), np.full(len(members), 5), at], 1),
                    members,
                    other,
                )
        elif kind == "crowd_workers":
            # A paid micro-task in India (UTC+5:30), released one slot at a time, evenly, over two
            # days from 10:00 to 20:00 local: each worker makes an account (free mail, a pledge), rates
            # the talk 5 stars and 3-6 random talks with 2-5 stars, 15-40 s apart, in one sitting.
            t = take_talk(contenders)
            m = size_of(15, 35)
            d0 = int(rng.integers(2, 17))
            slots = np.linspace(0, 20 * HOUR, m, endpoint=False)
            rows, members = [], []
            for s in slots:
                day = d0 + (1 if s >= 10 * HOUR else 0)
                start = int(local(2, day, 10.0)) + int(s % (10 * HOUR)) + int(rng.uniform(-60, 60))
                v = account(0.5, _free(rng), None, start - int(rng.uniform(60, 240)))
                members.append(v)
                cover = rng.choice(np.setdiff1d(np.arange(T), [t]), size=size_of(3, 6), replace=False)
                talks = np.r_[cover, t]
                rng.shuffle(talks)
                sc = np.where(talks == t, 5, rng.integers(2, 6, size=len(talks)))
                at = start + np.cumsum(rng.uniform(15, 40, size=len(talks))).astype(np.int64)
                rows.append(np.stack([np.full(len(talks), v), talks, sc, at], 1))
            emit(kind, "support", np.concatenate(rows), members, t)
        elif kind == "influencer_post":
            # The speaker's own post (not recorded) at 19:00 their time: followers answer within Exp(4 h)
            # (80%) or U(0, 72 h); 65% new accounts (60% app only, 40% a pledge; 80% free mail) whose
            # ballot is the talk and, with chance 0.3, 1-2 of its track; the others existing voters.
            t = take_talk(contenders)
            m = size_of(15, 40)
            z = int(rng.choice(4, p=ZONE_SHARE))
            t_post = int(local(z, int(rng.integers(2, 17)), 19.0))
            delay = np.where(rng.random(m) < 0.8, rng.exponential(4 * HOUR, size=m), rng.uniform(0, 72 * HOUR, size=m))
            same = np.flatnonzero((world.track == world.track[t]) & (np.arange(T) != t))
            n_new = round(0.65 * m)
            existing = rng.choice(free_voters(np.arange(V)), size=m - n_new, replace=False)
            rows, members = [], list(existing)
            for i in range(m):
                at0 = t_post + int(delay[i])
                if i < n_new:
                    dom = _free(rng) if rng.random() < 0.8 else f"f{len(world.accounts)}-home.example"
                    v = account(0.0 if rng.random() < 0.6 else 0.5, dom, None, at0 - int(rng.exponential(180)) - 5)
                    members.append(v)
                    talks = [t]
                    if rng.random() < 0.3 and len(same) >= 2:
                        talks += list(rng.choice(same, size=size_of(1, 2), replace=False))
                else:
                    v, talks = int(existing[i - n_new]), [t]
                sc = [5 if x == t else int(rng.integers(3, 6)) for x in talks]
                sc[0] = 5 if rng.random() < 0.9 else 4
                for j, (x, s) in enumerate(zip(talks, sc, strict=True)):
                    rows.append([v, x, s, at0 + 30 * j])
            emit(kind, "support", rows, members, t)
        elif kind == "dormant_reactivation":
            # One operator's 6-20 accounts from last year's app (joined 360-420 days before, pledged this
            # year; old work domains or free mail): one night from 22:00 their time, account after
            # account 3-10 min apart, each copying a ballot (the talk 5 stars and 4-8 others, each item
            # kept with chance 0.8) and 0-2 talks of its own, 5-15 s apart.
            t = take_talk(contenders)
            m = size_of(6, 20)
            template = rng.choice(np.setdiff1d(np.arange(T), [t]), size=size_of(4, 8), replace=False)
            tsc = rng.integers(2, 6, size=len(template))
            z = int(rng.choice(4, p=ZONE_SHARE))
            at0 = int(local(z, int(rng.integers(3, 18)), 22.0))
            rows, members = [], []
            for _ in range(m):
                o = int(rng.integers(len(world.org_kind)))
                if rng.random() < 0.5:
                    dom, company = world.org_units[o][0][1], (world.org_units[o][0][0] if rng.random() < 0.4 else None)
                else:
                    dom, company = _free(rng), None
                v = account(0.5, dom, company, OPENS - int(rng.uniform(360, 420) * DAY))
                members.append(v)
                keep = rng.random(len(template)) < 0.8
                own = rng.choice(np.setdiff1d(np.arange(T), np.r_[template, t]), size=size_of(0, 2), replace=False)
                talks = np.r_[t, template[keep], own]
                sc = np.r_[5, tsc[keep], rng.integers(1, 6, size=len(own))]
                at = at0 + np.cumsum(rng.uniform(5, 15, size=len(talks))).astype(np.int64)
                rows.append(np.stack([np.full(len(talks), v), talks, sc, at], 1))
                at0 += int(rng.uniform(180, 600))
            emit(kind, "support", np.concatenate(rows), members, t)
        elif kind == "booth_qr":
            # A sponsor's booth at a trade fair in Europe on a weekday, 10:00-18:00 (a lunch peak): the
            # QR code makes an account and a pledge; 45% give their own company's domain (a visitor
            # company outside the conference); the talk 5 stars, 30% also one talk of its track.
            o, t, _staff = target_by_org(("group", "startup"), 0)
            m = size_of(20, 40)
            day = weekday_after(int(rng.integers(1, 15)))
            hours = np.clip(
                np.where(rng.random(m) < 0.4, rng.normal(13, 1, size=m), rng.uniform(10, 18, size=m)), 10, 17.99
            )
            same = np.flatnonzero((world.track == world.track[t]) & (np.arange(T) != t))
            rows, members = [], []
            for h in np.sort(hours):
                at0 = int(local(1, day, h))
                dom = (
                    f"visitor{int(rng.integers(0, 60))}-{int(rng.integers(0, 99))}.example"
                    if rng.random() < 0.45
                    else _free(rng)
                )
                v = account(0.5, dom, None, at0 - int(rng.uniform(30, 120)))
                members.append(v)
                rows.append([v, t, 5, at0])
                if rng.random() < 0.3 and len(same):
                    rows.append([v, int(rng.choice(same)), int(rng.integers(3, 6)), at0 + int(rng.uniform(20, 90))])
            emit(kind, "support", rows, members, t)
        elif kind == "alumni_network":
            # A university's alumni list (not recorded) asks for a professor's talk: 10-30 alumni now
            # elsewhere (existing voters outside the university) rate it 5 stars (4 with chance 0.15),
            # 40% within a day of the mail, the rest over the next four days, in their own sessions.
            o, t, _staff = target_by_org(("university",), 0)
            m = size_of(10, 30)
            members = rng.choice(free_voters(np.flatnonzero(world.voter_org != o)), size=m, replace=False)
            d0 = int(rng.integers(1, 15))
            delay = np.where(rng.random(m) < 0.4, rng.uniform(0, 1, size=m), rng.uniform(1, 5, size=m))
            at = local(
                world.zone[members],
                d0 + delay.astype(np.int64),
                rng.choice(24, size=m, p=HOUR_CURVE / HOUR_CURVE.sum()) + rng.random(m),
            )
            sc = np.where(rng.random(m) < 0.15, 4, 5)
            emit(kind, "support", np.stack([members, np.full(m, t), sc, at], 1), members, t)
        elif kind == "review_bomb":
            # After a public spat, 10-30 people rate a strong talk 1 star within Exp(40 min) of a post;
            # half existing voters, half new accounts (app only or a pledge, free mail).
            t = take_talk(strong)
            m = size_of(10, 30)
            t0 = DAY0 + int(rng.integers(3, 19)) * DAY + int(rng.integers(0, 24)) * HOUR
            n_new = m // 2
            existing = rng.choice(free_voters(np.arange(V)), size=m - n_new, replace=False)
            at = t0 + rng.exponential(40 * 60, size=m).astype(np.int64)
            members = list(existing)
            for i in range(n_new):
                members.append(
                    account(
                        0.0 if rng.random() < 0.5 else 0.5,
                        _free(rng),
                        None,
                        int(at[m - n_new + i]) - int(rng.uniform(30, 300)),
                    )
                )
            members_arr = np.array(members)
            emit(
                kind, "oppose", np.stack([members_arr, np.full(m, t), np.ones(m, dtype=np.int64), at], 1), members, None
            )
        elif kind == "lab_push":
            # A professor asks the lab (5-15 people of the university) to rate the talk 5 stars in the
            # weekly lab meeting: a weekday, 11:00-12:00 local.
            o, t, staff = target_by_org(("university",), 5)
            members = rng.choice(staff, size=min(len(staff), size_of(5, 15)), replace=False)
            day = weekday_after(int(rng.integers(1, 19)))
            at = local(int(world.org_zone[o]), day, 11.0) + rng.uniform(0, HOUR, size=len(members)).astype(np.int64)
            emit(
                kind,
                "support",
                np.stack([members, np.full(len(members), t), np.full(len(members), 5), at], 1),
                members,
                t,
            )
        elif kind == "competitor_undercut":
            # Staff of a company (5-20) rate a competitor's strong talk 1 star (2 with chance 0.2) in
            # their own sessions over a week.
            o, staff = -1, np.empty(0, dtype=np.int64)
            for cand in rng.permutation(len(world.org_kind)):
                if world.org_kind[cand] in ("group", "startup", "consultancy"):
                    cstaff = free_voters(np.flatnonzero(world.voter_org == cand))
                    if len(cstaff) > len(staff):
                        o, staff = int(cand), cstaff
                    if len(staff) >= 5:
                        break
            t = take_talk(strong, lambda x, o=o: o not in world.speaker_org[x])
            members = rng.choice(staff, size=min(len(staff), size_of(5, 20)), replace=False)
            d0 = int(rng.integers(1, 13))
            fallback = local(
                world.zone[members], d0 + rng.integers(0, 7, size=len(members)), rng.uniform(9, 18, size=len(members))
            )
            at = np.array([near_own(int(v), int(f)) for v, f in zip(members, fallback, strict=True)])
            sc = np.where(rng.random(len(members)) < 0.2, 2, 1)
            sc[0] = 1
            emit(kind, "oppose", np.stack([members, np.full(len(members), t), sc, at], 1), members, None)
    return blocs, world.accounts


def fresh4_conference(size: str = "small", seed: int = 1, plant=None) -> SyntheticConference:
    """The fresh4 conference of `size` for `seed` (module docstring). `plant(rng, world, n)` returns
    (blocs, accounts); bench.blocs_calibration.plant_nothing gives the honest conference alone."""
    spec = SIZES[size]
    index = list(SIZES).index(size)
    world = _honest(np.random.default_rng([seed, index, 40]), size)
    plant = plant or plant_fresh4
    blocs, _ = plant(np.random.default_rng([seed, index, 41]), world, max(spec.blocs, len(BLOC_KINDS) + 1))
    V, T = world.V, world.T
    arr, is_planted = planted_over_honest(world.votes, world.planted, T)

    voters, true_org = world_voter_facts(world, arr, CLOSES)
    srng = np.random.default_rng([seed, index, 42])
    talks = []
    for t in range(T):
        domains, companies = [], []
        for k in range(2):
            o = int(world.speaker_org[t, k])
            if o >= 0:
                unit_name, unit_domain = world.org_units[o][int(world.speaker_unit[t, k])]
                if srng.random() < 0.85:
                    companies.append(unit_name + (" GmbH" if world.org_kind[o] == "group" and k == 0 else ""))
                domains.append(unit_domain if srng.random() < 0.55 else FREE_MAIL[(t + k) % 4])
            elif k == 0:
                domains.append(FREE_MAIL[t % 4])
        talks.append(
            TalkFacts(
                talk_id=t + 1,
                speaker_email_domains=tuple(domains),
                speaker_companies=tuple(companies),
                speaker_voter_ids=tuple(int(s) + 1 for s in world.speaker_voter[t] if s >= 0),
                promoted_at=tuple(world.featured.get(t, ())),
            )
        )
    data = bloc_input_build(
        voter_ids=arr[:, 0] + 1,
        talk_ids=arr[:, 1] + 1,
        scores=arr[:, 2],
        at_seconds=arr[:, 3],
        voters=voters,
        talks=talks,
        scale=SCALE,
        free_mail_domains=FREE_MAIL,
    )
    vo = true_org[arr[:, 0]]
    colleague = (vo >= 0) & ((vo == world.speaker_org[arr[:, 1], 0]) | (vo == world.speaker_org[arr[:, 1], 1]))
    honest = ~is_planted & (arr[:, 0] < V)
    return SyntheticConference(
        data, tuple(blocs), is_planted, colleague, honest, world.quality.copy(), tuple(world.honest_groups)
    )
