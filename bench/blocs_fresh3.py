"""fresh3: a third independently built world of conference votes with planted blocs.

Written without reading how bloc detection works (only apps/ballots/domain/blocs_input.py, the input
classes), nor docs/blocs.md, nor the other generators' planting code, nor the bloc tests; the whole
model below was written down and committed before detection was first run on it, and is not tuned to
detection's results. Its purpose is to judge whether detection generalises to patterns it was not
built for.

The conference
--------------
A regional, multi-day community conference (DevOps / JavaScript / data) whose public CFP vote is open
for 10 days (240 h from Monday 07:00 UTC). Talks belong to 9 themes of uneven size (Dirichlet shares).
Each talk has a latent quality (standard normal) and a visibility (lognormal: title, speaker fame,
social reach) that together set how often it is opened: popularity = exp(0.5 quality + N(0, 0.9)).
Scores are 0–3 ("not interested" … "must see").

Voters live in three regions with their own clocks: Europe (UTC+2, 60%), the Americas (UTC−5, 25%),
Asia-Pacific (UTC+8, 15%). Each region votes on a local day curve (night trough, lunch bump, evening
peak), multiplied by site-wide events: 1 + the opening announcement (2 × exp(−hours / 18)) + a
keynote announcement on day 5 (1.5 × exp(−hours after / 8)) + the last-day rush (rising to 1.5 at
the close). Two
mailings make people start a session at once: the newsletter on day 3 (35% of voters subscribe, 30%
of subscribers react within hours; it features 5 talks, which the organizers record as promoted) and
the "two days left" reminder on day 8 (a quarter of voters start a session within hours of it).

Honest voters
-------------
- Ballot length is heavy-tailed: 12% of voters are drive-by (1–2 ratings), the rest lognormal
  (σ = 1), scaled so the conference has about the target number of votes, capped at half the talks
  (a few reviewers rate a large share of the program).
- Which talks: each voter has a home theme (themes drawn by their size) and an interest strength
  (uniform 0.3–1); a talk is drawn with weight popularity × 3.6 in the home theme, popularity
  elsewhere; 15% of voters are generalists with no home theme (popularity alone). Without
  replacement.
- Scores: 1.35 + 0.75 quality + 0.9 × interest (home theme) + the voter's own bias (N(0, 0.45)) +
  N(0, 0.75) noise, +0.9 for a talk by a speaker from the voter's own company (genuine loyalty),
  +0.3 for a featured talk rated from the newsletter, rounded and clipped to 0–3. 4% of voters are
  critics who only use 0 and 1 (they vote to keep talks out).
- Time: 1–3 sessions per voter (more for longer ballots) whose starts follow their region's curve,
  ratings 25 s apart (lognormal) within a session; newsletter readers start their first session after
  the mailing, reminder readers their last after the reminder. 8% of voters change some votes later
  (15% of their votes get a later time and a score ±1; the vote's time is its last change).
- Weight: ticket 1.0 (55%), pledge 0.5 (25%), none 0 (20%).
- Employment: about half the voters work at a company (Zipf-sized; ~V/30 companies); 55% of them use
  their work mail (the company's domain; a quarter of companies use an abbreviation domain that does
  not spell the name), 35% fill in the company field, spelled variously ("Acme Labs GmbH", "acme
  labs", "ACME LABS"). 5% of the others write "Independent", "Freelance" or "Student" in the company
  field; 3% have a personal domain of their own. The rest use one of five free-mail providers.
- Orders: ticket holders of companies with 5+ voters are on a company group booking (1–2 orders per
  company) with probability 0.5; households (2–4 people, 3% of ticket holders head one) share an
  order; everyone else buys alone.
- Accounts: ticket holders mostly made their account weeks before the vote; pledgers and non-holders
  mostly sign up minutes before their first vote.
- Speakers: each talk has one speaker (20%: two). 55% of talks have a speaker from a company (drawn by
  company size^0.8); 60% of speakers are voter accounts (a voter of their company where possible);
  8% of speakers without a company write "Independent" as their company. Speakers that vote rate
  their own talk 3 half the time (one honest vote).
- Colleagues who vote add their colleague's talk to their ballot with probability 0.25 (honest
  loyalty; less in big companies: 0.25 × min(1, 10 / voters of the company)^0.5). `colleague` marks
  every vote whose voter truly works where a speaker of the talk works.

Honest correlated groups (`honest_groups`, detection should leave them alone)
- study_group: a teacher assigns a class (8–35 students, university domain, half on one class order
  bought by the teacher) to rate 6–12 talks of one theme in one 90-minute lab session (09–16 CEST);
  each student scores by their own taste. 1 / 4 / 10 classes (small / medium / large).
- meetup_night: a local meetup (10–30) goes through the program together one evening: each member
  rates 8–20 talks (the popular ones and their own theme) within 3 hours from 19:00 local, own scores;
  members live in one region. 1 / 4 / 10.
- company_taste: one team of a company with 12+ voters (12–40 of its engineers) genuinely shares a
  taste: all have the same home theme with strong interest; votes spread over the 10 days. 1 / 3 / 6.
- newsletter_readers: subscribers who react to the newsletter and rate its 5 featured talks (each
  with probability 0.6) within hours of it; the featured talks carry `promoted_at`.
- household: households of 3–4 on one order, voting together one evening (18:00 local, within two
  hours; pairs are as common but below the issue's bloc size and not listed): the others copy 60–90% of
  the head's talks, scoring them the same with probability 0.7, else ±1.

Planted blocs (`spec.blocs` campaigns; every kind once per small conference, then cycled)
----------------------------------------------------------------------------------------
Members are never taken from honest groups and never reused across campaigns. A member's planted
vote on a talk replaces their honest vote on it. Accounts made for a bloc ("bloc-only") are not
honest, and all their votes (target and cover) are planted. Boosted talks are drawn among talks below
the 75th quality percentile; opposed talks above the 60th.
- discord_call (8–40): a speaker asks their Discord/Slack community in a channel. 35% existing
  voters, 65% new accounts (joined 2–20 min before voting, free mail or a personal domain; weight 0
  60% / 0.5 30% / 1.0 10%). Arrivals lognormal after the post (median 3 h, σ 1, capped at 3 days).
  Target 3 (75%) or 2. Half of the new accounts also rate 1–5 popular talks (cover).
- sponsor_push (6–35): a sponsor's manager emails the engineers to vote for their colleague's talk.
  Existing employees first, then new employee accounts (company domain 60% else free mail, company
  field 40%, on the sponsor's order with a ticket). Arrivals over two work days (08–17 UTC). Target 3
  (85%) or 2. New accounts rate 2–6 popular talks as cover. All are true colleagues.
- trade_ring (4–7 speakers): speakers that vote agree to rate each other's talks 3; one bloc per
  talk (its members: the other speakers, 3–6; pairs and triads would make blocs under the issue's 3),
  votes at random times over the 10 days, their other votes honest.
- click_farm (12–40): a paid farm; accounts made over 2–5 days before delivery, free mail (half of
  the farms put 20% of accounts on one throwaway non-free domain), weight 0.5 (70%) or 0. Delivered
  one account after another (2–25 min apart, each a 1–3 minute session): target 3 and 4–12 cover
  talks, chosen uniformly (half the farms) or by popularity, scored uniformly 0–3 (half) or 1–3.
- slot_campaign (6–20): a speaker's friends rate the talk 3 and rate 2–3 stronger rival talks in the
  same theme 0 (80%) or 1: two blocs, a support bloc on the talk and an oppose bloc on the rivals,
  same members. Half existing voters, half new accounts; spread over 3 days (median 10 h).
- brigade (10–35): a forum thread against one strong talk: 70% existing voters, 30% new accounts
  (weight 0, free mail, 0–3 random cover talks); 0 (85%) or 1 on the target; arrivals median 5 h
  (σ 1.3, capped at 2 days) after the thread.
- drip_feed (8–30): a speaker asks friends one by one over 7 days: arrivals uniform over the week,
  half existing voters, half new accounts with a normal-looking ballot (target 3 plus 3–10 cover
  talks by popularity, scored like an honest voter), weight 0.5 or 1.0 (solo order).
- mixed_mail (6–20): a startup's employees and friends: employees (existing first) with half on the
  company domain and half on free mail (true colleagues either way), friends on free mail (not
  colleagues); new employee accounts (up to 5) on one company order bought for them, the others
  pledging; within 1–2 days; target 3 (80%) or 2.
- sockpuppets (3–10): one person's accounts, each a perturbed copy of one base ballot (target 3 plus
  6–15 talks by popularity): each other talk dropped with probability 0.15, 0–2 random talks added,
  each score moved ±1 with probability 0.15. Half made in one evening and cast back to back; half
  made over the two weeks before the vote and cast over days. Free mail, 30% personal domains;
  weight 0.5 (80%) or 0.
- gift_order (3–9): a speaker buys tickets for friends in one order weeks before; the friends (new
  accounts, weight 1.0) rate the talk 3 plus 2–8 cover talks, spread over the 10 days.

Ground truth: `planted` marks bloc votes (on targets and cover); `honest` is neither planted nor cast
by a bloc-only account; `colleague` marks votes whose voter (truly, whether or not the facts show it)
works at a company of one of the talk's speakers. The honest world uses its own random stream
(seed, size, 0), planting another (seed, size, 1), so `plant=plant_nothing` gives exactly the honest
conference.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.ballots.domain.blocs_input import TalkFacts, VoterFacts, VoteScale, bloc_input_build
from bench.blocs_synthetic import SIZES, PlantedBloc, SyntheticConference, planted_over_honest

KINDS = (
    "discord_call",
    "sponsor_push",
    "trade_ring",
    "click_farm",
    "slot_campaign",
    "brigade",
    "drip_feed",
    "mixed_mail",
    "sockpuppets",
    "gift_order",
)
BLOC_KINDS = (*KINDS, "slot_campaign_down")  # the kinds PlantedBloc.kind takes
HONEST_KINDS = ("study_group", "meetup_night", "company_taste", "newsletter_readers", "household")
FREE_MAIL = ("mailbox.example", "fastpost.example", "webpost.example", "inboxly.example", "postbox.example")
HOUR = 3600
DAY = 24 * HOUR
OPENS = int(dt.datetime(2026, 5, 11, 7, tzinfo=dt.UTC).timestamp())
CLOSES = OPENS + 10 * DAY
MIDNIGHT = OPENS - 7 * HOUR  # 00:00 UTC of the first day
NEWSLETTER = OPENS + 3 * DAY  # day 3, 07:00 UTC
KEYNOTE = OPENS + 5 * DAY + 9 * HOUR  # day 5, 16:00 UTC
REMINDER = OPENS + 8 * DAY + HOUR  # day 8, 08:00 UTC
THEMES = 9
REGION_OFFSET = (2, -5, 8)
REGION_SHARE = (0.6, 0.25, 0.15)
# Relative activity by local hour: night trough, lunch bump, evening peak.
# fmt: off
LOCAL_DAY = np.array([
    0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.7, 1.0, 1.1, 1.0, 1.1,
    1.5, 1.3, 1.0, 1.0, 1.0, 1.1, 1.4, 1.8, 2.0, 1.8, 1.2, 0.6,
])
# fmt: on
BIN = 600  # seconds per activity bin
# fmt: off
SYLLABLES = (
    "kor", "val", "nex", "tri", "mo", "zan", "fel", "qui", "bra", "dor", "lum", "sen", "ar", "ix",
    "pol", "ven", "tas", "gor", "hal", "mir", "cus", "ob", "rel", "stan", "fy", "lo", "ber", "ka",
    "ton", "wex", "ul", "dre", "pim", "sa", "rov", "lek", "fa", "nor", "bi", "chu",
)
# fmt: on
SUFFIXES = ("Labs", "Systems", "Software", "Cloud", "Works", "Data", "Digital")
INDEPENDENT = ("Independent", "Freelance", "Student")
HONEST_COUNTS = {"small": (1, 1, 1), "medium": (4, 4, 3), "large": (10, 10, 6)}  # study, meetup, taste


def company_name(c: int) -> str:
    a, b = SYLLABLES[c % 40], SYLLABLES[(c // 40) % 40]
    return f"{(a + b).capitalize()} {SUFFIXES[(c // 1600) % len(SUFFIXES)]}"


def company_domain(c: int, abbreviated: bool) -> str:
    name = company_name(c)
    if abbreviated:
        return f"{''.join(w[0] for w in name.split()).lower()}{c}x.example"
    return name.lower().replace(" ", "") + ".example"


def _spelled(rng: np.random.Generator, name: str) -> str:
    """How a person fills in their company: the name as the company spells it, or not."""
    return (name, f"{name} GmbH", name.lower(), f"{name}, Inc.", name.upper())[int(rng.integers(0, 5))]


@dataclass
class World3:
    """The honest conference, as arrays (positions 0-based), and what planting adds to it."""

    V: int
    T: int
    theme: np.ndarray
    quality: np.ndarray
    popularity: np.ndarray
    speaker_company: np.ndarray  # (T, 2): company of each speaker, -1 none
    speaker_voter: np.ndarray  # (T, 2): voter position of each speaker account, -1 none
    company: np.ndarray  # per voter, true employer, -1 none
    weight: np.ndarray
    order: list  # per voter, order code or None
    domain: list  # per voter, email domain
    company_field: list  # per voter, company field or None
    joined: np.ndarray
    region: np.ndarray
    votes: np.ndarray  # (n, 4) int64: voter, talk, score, at
    company_orders: dict  # company -> its order codes
    company_domains: dict  # company -> its domain
    honest_groups: list = field(default_factory=list)
    grouped: set = field(default_factory=set)  # voters in an honest group
    planted: list = field(default_factory=list)  # chunks of (voter, talk, score, at) arrays
    accounts: list = field(default_factory=list)  # bloc-only accounts, voters V, V + 1, ...
    featured: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))  # newsletter talks

    def account(self, weight, order=None, domain=None, company_field=None, company=-1, joined=OPENS) -> int:
        joined = min(int(joined), CLOSES - HOUR)  # votes past the close are clipped to it
        self.accounts.append((float(weight), order, domain or FREE_MAIL[0], company_field, int(company), joined))
        return self.V + len(self.accounts) - 1

    def plant(self, voters, talks, scores, ats) -> None:
        n = len(voters)
        arr = np.empty((n, 4), dtype=np.int64)
        arr[:, 0], arr[:, 1], arr[:, 2] = voters, talks, scores
        arr[:, 3] = np.clip(ats, OPENS, CLOSES - 1)
        self.planted.append(arr)


# --------------------------------------------------------------------------------------------- time


def _activity(region: int) -> np.ndarray:
    """Session-start density per 10-minute bin for one region: its local day times site-wide events."""
    t = OPENS + np.arange(0, CLOSES - OPENS, BIN) + BIN // 2
    local = ((t // HOUR) + REGION_OFFSET[region]) % 24
    h = (t - OPENS) / HOUR
    event = 1 + 2 * np.exp(-h / 18)
    after = t >= KEYNOTE
    event += np.where(after, 1.5 * np.exp(-np.maximum(t - KEYNOTE, 0) / (8 * HOUR)), 0)
    event += 1.5 * np.clip((h - 216) / 24, 0, 1)
    return LOCAL_DAY[local] * event


def _sample_starts(rng, region: np.ndarray) -> np.ndarray:
    out = np.empty(len(region), dtype=np.int64)
    for r in range(3):
        sel = np.flatnonzero(region == r)
        w = _activity(r)
        cdf = np.cumsum(w) / w.sum()
        b = np.searchsorted(cdf, rng.random(len(sel)))
        out[sel] = OPENS + b * BIN + rng.integers(0, BIN, len(sel))
    return out


# -------------------------------------------------------------------------------------- honest world


def _ballot_lengths(rng, V: int, T: int, target: int) -> np.ndarray:
    raw = rng.lognormal(0.0, 1.0, V)
    drive_by = rng.random(V) < 0.12
    small = rng.integers(1, 3, V)
    cap = max(3, T // 2)
    lo, hi = 0.01, 200.0
    for _ in range(50):  # scale so the total is near the target (dedup losses are made up below)
        s = (lo + hi) / 2
        n = np.where(drive_by, small, np.clip(np.round(raw * s), 1, cap))
        lo, hi = (s, hi) if n.sum() < target else (lo, s)
    return n.astype(np.int64)


def _draw_ballots(rng, n: np.ndarray, weights_by_group: np.ndarray, group: np.ndarray, T: int):
    """Per voter, n[v] distinct talks, drawn by their group's weights (voter, talk) pairs, draw order."""
    V = len(n)
    m = np.ceil(n * 1.8).astype(np.int64) + 6
    cand_v = np.repeat(np.arange(V), m)
    cand_t = np.empty(len(cand_v), dtype=np.int64)
    cdfs = np.cumsum(weights_by_group, axis=1)
    cdfs /= cdfs[:, -1:]
    u = rng.random(len(cand_v))
    g = group[cand_v]
    for k in range(len(weights_by_group)):
        sel = g == k
        cand_t[sel] = np.minimum(np.searchsorted(cdfs[k], u[sel]), T - 1)
    key = cand_v * T + cand_t
    _, first = np.unique(key, return_index=True)
    first.sort()  # draw order, per voter (candidates are grouped by voter)
    cv, ct = cand_v[first], cand_t[first]
    starts = np.searchsorted(cv, np.arange(V))
    rank = np.arange(len(cv)) - starts[cv]
    keep = rank < n[cv]
    return cv[keep], ct[keep]


def _session_times(rng, voters: np.ndarray, session: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Ratings 25 s apart (lognormal) within each (voter, session), in random order; sessions that
    would run past the close start earlier."""
    n = len(voters)
    order = np.lexsort((rng.random(n), session, voters))
    gkey = voters[order] * 4 + session[order]
    gaps = rng.lognormal(np.log(25), 0.8, n).astype(np.int64) + 3
    cs = np.cumsum(gaps)
    boundary = np.r_[True, gkey[1:] != gkey[:-1]]
    first = np.flatnonzero(boundary)
    gid = np.cumsum(boundary) - 1
    base = cs[first] - gaps[first]
    offset = cs - base[gid]
    last = np.r_[first[1:], n] - 1
    duration = offset[last]
    start = starts[voters[order][first], session[order][first]]
    start = np.minimum(start, CLOSES - 1 - duration)
    at = np.empty(n, dtype=np.int64)
    at[order] = start[gid] + offset
    return at


def _honest(rng, size: str) -> World3:
    spec = SIZES[size]
    V, T = spec.voters, spec.talks
    # talks
    theme_share = rng.dirichlet(np.full(THEMES, 1.5))
    theme = rng.choice(THEMES, size=T, p=theme_share)
    quality = rng.normal(0, 1, T)
    popularity = np.exp(0.5 * quality + rng.normal(0, 0.9, T))
    # voters: region, employment, weight
    region = rng.choice(3, size=V, p=REGION_SHARE)
    C = max(8, V // 30)
    csize = 1.0 / (np.arange(C) + 3) ** 1.1
    employed = rng.random(V) < 0.5
    company = np.where(employed, rng.choice(C, size=V, p=csize / csize.sum()), -1)
    abbreviated = rng.random(C) < 0.25
    company_domains = {c: company_domain(c, bool(abbreviated[c])) for c in range(C)}
    weight = rng.choice([1.0, 0.5, 0.0], size=V, p=[0.55, 0.25, 0.2])
    work_mail = employed & (rng.random(V) < 0.55)
    field_known = employed & (rng.random(V) < 0.35)
    personal = ~work_mail & (rng.random(V) < 0.03)
    independent = ~employed & (rng.random(V) < 0.05)
    free = rng.integers(0, len(FREE_MAIL), V)
    domain = [
        company_domains[int(company[v])]
        if work_mail[v]
        else (f"p{v}-home.example" if personal[v] else FREE_MAIL[free[v]])
        for v in range(V)
    ]
    company_field: list = [None] * V
    for v in np.flatnonzero(field_known).tolist():
        company_field[v] = _spelled(rng, company_name(int(company[v])))
    for v in np.flatnonzero(independent).tolist():
        company_field[v] = INDEPENDENT[v % 3]
    # orders: company bookings, households, solo
    order: list = [None] * V
    counts = np.bincount(company[company >= 0], minlength=C)
    company_orders: dict[int, list[str]] = {}
    ticket = weight == 1.0
    booked = ticket & (company >= 0) & (rng.random(V) < 0.5)
    booked &= counts[np.maximum(company, 0)] >= 5
    for v in np.flatnonzero(booked).tolist():
        c = int(company[v])
        codes = company_orders.setdefault(c, [f"C{c}-1"] + ([f"C{c}-2"] if counts[c] >= 20 else []))
        order[v] = codes[v % len(codes)]
    for v in np.flatnonzero(ticket & ~booked).tolist():
        order[v] = f"S{v}"
    # speakers
    n_speakers = 1 + (rng.random(T) < 0.2)
    speaker_company = np.full((T, 2), -1, dtype=np.int64)
    speaker_voter = np.full((T, 2), -1, dtype=np.int64)
    sp_w = csize**0.8
    by_company: dict[int, np.ndarray] = {}
    emp_idx = np.flatnonzero(company >= 0)
    emp_sorted = emp_idx[np.argsort(company[emp_idx], kind="stable")]
    bounds = np.searchsorted(company[emp_sorted], np.arange(C + 1))
    for c in range(C):
        by_company[c] = emp_sorted[bounds[c] : bounds[c + 1]]
    nonemployed = np.flatnonzero(company < 0)
    for t in range(T):
        for k in range(int(n_speakers[t])):
            c = int(rng.choice(C, p=sp_w / sp_w.sum())) if rng.random() < 0.55 else -1
            speaker_company[t, k] = c
            if rng.random() < 0.6:
                pool = by_company[c] if c >= 0 and len(by_company[c]) else nonemployed
                speaker_voter[t, k] = int(pool[rng.integers(0, len(pool))])
    # honest groups decided before ballots: company taste, study groups, meetups
    n_study, n_meetup, n_taste = HONEST_COUNTS[size]
    home = rng.choice(THEMES, size=V, p=theme_share)
    generalist = rng.random(V) < 0.15
    interest = rng.uniform(0.3, 1.0, V)
    grouped: set[int] = set()
    groups: list[PlantedBloc] = []
    speakers = set(speaker_voter[speaker_voter >= 0].tolist())
    big = [c for c in np.argsort(-counts).tolist() if counts[c] >= 12][: n_taste * 2]
    taste_companies = [big[i] for i in rng.permutation(len(big))[:n_taste]] if big else []
    for c in taste_companies:
        members = [v for v in rng.permutation(by_company[c]).tolist() if v not in speakers]
        members = sorted(members[: int(rng.integers(12, 41))])  # one team of the company
        th = int(rng.integers(0, THEMES))
        home[members] = th
        generalist[members] = False
        interest[members] = rng.uniform(0.85, 1.0, len(members))
        grouped.update(members)
        talks = tuple(int(t) + 1 for t in np.flatnonzero(theme == th))
        groups.append(PlantedBloc("company_taste", "honest", talks, tuple(v + 1 for v in members), None))
    # ballots
    n = _ballot_lengths(rng, V, T, spec.votes)
    group = np.where(generalist, THEMES, home)
    wg = np.tile(popularity, (THEMES + 1, 1))
    for th in range(THEMES):
        wg[th] = popularity * (1 + 4 * 0.65 * (theme == th))
    bv, bt = _draw_ballots(rng, n, wg, group, T)
    # honest colleagues add their colleague's talk (loyalty)
    extra_v, extra_t = [], []
    for t in range(T):
        for c in set(speaker_company[t].tolist()) - {-1}:
            staff = by_company[c]
            pick = staff[rng.random(len(staff)) < 0.25 * min(1.0, 10 / max(1, len(staff))) ** 0.5]
            extra_v.append(pick)
            extra_t.append(np.full(len(pick), t))
    # speakers rate their own talk half the time
    for t, k in zip(*np.nonzero(speaker_voter >= 0), strict=True):
        if rng.random() < 0.5:
            extra_v.append(np.array([speaker_voter[t, k]]))
            extra_t.append(np.array([t]))
    ev = np.concatenate(extra_v) if extra_v else np.empty(0, np.int64)
    et = np.concatenate(extra_t) if extra_t else np.empty(0, np.int64)
    vv = np.r_[bv, ev].astype(np.int64)
    vt = np.r_[bt, et].astype(np.int64)
    # newsletter: subscribers who react rate the featured talks
    featured = np.argsort(-(popularity * rng.lognormal(0, 0.5, T)))[:5]
    reacts = (rng.random(V) < 0.35) & (rng.random(V) < 0.30)
    for v in list(grouped):
        reacts[v] = False
    readers = np.flatnonzero(reacts)
    nv, nt = np.meshgrid(readers, featured, indexing="ij")
    take = rng.random(nv.shape) < 0.6
    vv = np.r_[vv, nv[take]]
    vt = np.r_[vt, nt[take]]
    news_vote = np.r_[np.zeros(len(vv) - int(take.sum()), bool), np.ones(int(take.sum()), bool)]
    key = vv * T + vt
    _, first = np.unique(key, return_index=True)
    vv, vt, news_vote = vv[first], vt[first], news_vote[first]
    # scores
    bias = rng.normal(0, 0.45, V)
    critic = rng.random(V) < 0.04
    in_home = (theme[vt] == home[vv]) & ~generalist[vv]
    loyal = (company[vv] >= 0) & ((company[vv] == speaker_company[vt, 0]) | (company[vv] == speaker_company[vt, 1]))
    raw = 1.35 + 0.75 * quality[vt] + 0.9 * interest[vv] * in_home + bias[vv] + rng.normal(0, 0.75, len(vv))
    raw += 0.9 * loyal + 0.3 * news_vote
    score = np.clip(np.round(raw), 0, 3)
    score = np.where(critic[vv], np.clip(np.round(raw - 1.8), 0, 1), score)
    own = (speaker_voter[vt, 0] == vv) | (speaker_voter[vt, 1] == vv)
    score = np.where(own, 3, score).astype(np.int64)
    # sessions
    per_voter = np.bincount(vv, minlength=V)
    k = 1 + (per_voter >= 6) + (per_voter >= 25)
    starts = np.stack([_sample_starts(rng, region) for _ in range(3)], axis=1)
    starts.sort(axis=1)
    news_start = NEWSLETTER + rng.exponential(2 * HOUR, V).astype(np.int64)
    starts[readers, 0] = news_start[readers]
    remind = np.flatnonzero(rng.random(V) < 0.25)
    starts[remind, k[remind] - 1] = np.maximum(
        starts[remind, 0], REMINDER + rng.exponential(3 * HOUR, len(remind)).astype(np.int64)
    )
    session = (rng.random(len(vv)) * k[vv]).astype(np.int64)
    session[news_vote] = 0
    at = _session_times(rng, vv, session, starts)
    # changed votes: a later time, a score one step away
    changer = rng.random(V) < 0.08
    moved = changer[vv] & (rng.random(len(vv)) < 0.15)
    at[moved] = at[moved] + (rng.random(int(moved.sum())) * (CLOSES - 1 - at[moved])).astype(np.int64)
    step = rng.choice([-1, 1], size=int(moved.sum()))
    score[moved] = np.clip(score[moved] + step, 0, 3)
    votes = np.stack([vv, vt, score, at], axis=1).astype(np.int64)
    world = World3(
        V=V,
        T=T,
        theme=theme,
        quality=quality,
        popularity=popularity,
        speaker_company=speaker_company,
        speaker_voter=speaker_voter,
        company=company,
        weight=weight,
        order=order,
        domain=domain,
        company_field=company_field,
        joined=np.zeros(V, dtype=np.int64),
        region=region,
        votes=votes,
        company_orders=company_orders,
        company_domains=company_domains,
        honest_groups=groups,
        grouped=grouped,
    )
    _honest_groups(rng, world, n_study, n_meetup, speakers, readers, featured, home)
    _households(rng, world, speakers)
    _joined(rng, world)
    return world


def _replace_votes(world: World3, new: np.ndarray) -> None:
    """Adds (voter, talk, score, at) rows; a row replaces the voter's earlier vote on the talk."""
    T = world.T
    keys_new = new[:, 0] * T + new[:, 1]
    keep = ~np.isin(world.votes[:, 0] * T + world.votes[:, 1], keys_new)
    world.votes = np.concatenate([world.votes[keep], new])


def _taste(rng, world: World3, talks: np.ndarray) -> np.ndarray:
    raw = 1.35 + 0.75 * world.quality[talks] + rng.normal(0, 0.85, len(talks))
    return np.clip(np.round(raw), 0, 3).astype(np.int64)


def _free_pool(world: World3, speakers: set[int]) -> np.ndarray:
    taken = world.grouped | speakers
    return np.array([v for v in range(world.V) if v not in taken], dtype=np.int64)


def _honest_groups(rng, world: World3, n_study, n_meetup, speakers, readers, featured, home) -> None:
    rows = []
    for k in range(n_study):
        pool = _free_pool(world, speakers)
        size = int(rng.integers(8, 36))
        members = rng.choice(pool, size=size, replace=False)
        th = int(rng.integers(0, THEMES))
        talks = np.flatnonzero(world.theme == th)
        talks = rng.permutation(talks)[: int(rng.integers(6, 13))] if len(talks) else talks
        lab = MIDNIGHT + int(rng.integers(1, 8)) * DAY + int(rng.integers(7, 15)) * HOUR  # 09–16 in Europe
        uni = f"uni-{k}.example"
        for j, v in enumerate(members.tolist()):
            world.domain[v] = uni
            world.company_field[v] = None
            if j % 2 == 0:
                world.weight[v] = 1.0
                world.order[v] = f"E{k}"
            if len(talks):
                at = lab + np.sort(rng.integers(0, 90 * 60, len(talks)))
                rows.append(np.stack([np.full(len(talks), v), talks, _taste(rng, world, talks), at], axis=1))
        world.grouped.update(members.tolist())
        world.honest_groups.append(
            PlantedBloc(
                "study_group", "honest", tuple(int(t) + 1 for t in talks), tuple(int(v) + 1 for v in members), None
            )
        )
    share = world.popularity / world.popularity.sum()
    for _ in range(n_meetup):
        r = int(rng.choice(3, p=REGION_SHARE))  # a local meetup: its members live in one region
        pool = _free_pool(world, speakers)
        pool = pool[world.region[pool] == r]
        size = int(rng.integers(10, 31))
        members = rng.choice(pool, size=size, replace=False)
        night = MIDNIGHT + int(rng.integers(0, 9)) * DAY + (19 - REGION_OFFSET[r]) * HOUR  # 19:00 local
        seen: set[int] = set()
        for v in members.tolist():
            m = int(rng.integers(8, 21))
            w = share * (1 + 3 * (world.theme == home[v]))
            talks = rng.choice(world.T, size=min(m, world.T), replace=False, p=w / w.sum())
            seen.update(talks.tolist())
            at = night + np.sort(rng.integers(0, 3 * HOUR, len(talks)))
            rows.append(np.stack([np.full(len(talks), v), talks, _taste(rng, world, talks), at], axis=1))
        world.grouped.update(members.tolist())
        world.honest_groups.append(
            PlantedBloc(
                "meetup_night", "honest", tuple(sorted(t + 1 for t in seen)), tuple(int(v) + 1 for v in members), None
            )
        )
    if rows:
        _replace_votes(world, np.concatenate(rows).astype(np.int64))
    T = world.T
    keys = world.votes[:, 0] * T + world.votes[:, 1]
    news_keys = (readers[:, None] * T + featured[None, :]).ravel()
    voted = np.isin(news_keys, keys).reshape(len(readers), len(featured)).any(axis=1)
    members = [int(v) for v in readers[voted] if int(v) not in world.grouped]
    if members:
        world.honest_groups.append(
            PlantedBloc(
                "newsletter_readers",
                "honest",
                tuple(sorted(int(t) + 1 for t in featured)),
                tuple(v + 1 for v in members),
                None,
            )
        )
        world.grouped.update(members)
    world.featured = featured  # promoted talks (recorded by the organizers)


def _households(rng, world: World3, speakers: set[int]) -> None:
    """Households on one order: 3% of solo ticket holders head one of 2–4 people voting one evening."""
    heads = [
        v
        for v in range(world.V)
        if world.order[v] == f"S{v}" and v not in world.grouped and v not in speakers and rng.random() < 0.03
    ]
    taken = set(heads) | world.grouped | speakers
    rest = rng.permutation([v for v in range(world.V) if v not in taken]).tolist()
    votes = world.votes
    by_voter = np.argsort(votes[:, 0], kind="stable")
    starts = np.searchsorted(votes[by_voter, 0], np.arange(world.V + 1))
    rows, dropped = [], []
    for h in heads:
        size = int(rng.choice([2, 3, 4], p=[0.75, 0.17, 0.08]))
        if len(rest) < size - 1:
            break
        others = [rest.pop() for _ in range(size - 1)]
        mine = votes[by_voter[starts[h] : starts[h + 1]]]
        evening = MIDNIGHT + int(rng.integers(0, 10)) * DAY + (18 - REGION_OFFSET[world.region[h]]) * HOUR
        for o in others:
            dropped.append(o)
            world.order[o] = f"H{h}"
            world.weight[o] = 1.0
            world.region[o] = world.region[h]
            keep = mine[rng.random(len(mine)) < rng.uniform(0.6, 0.9)]
            if not len(keep):
                keep = mine[:1]
            same = rng.random(len(keep)) < 0.7
            score = np.where(same, keep[:, 2], np.clip(keep[:, 2] + rng.choice([-1, 1], len(keep)), 0, 3))
            at = evening + np.sort(rng.integers(0, 2 * HOUR, len(keep)))
            rows.append(np.stack([np.full(len(keep), o), keep[:, 1], score, at], axis=1))
        world.order[h] = f"H{h}"
        if size >= 3:
            members = (h, *others)
            world.grouped.update(members)
            talks = tuple(sorted(int(t) + 1 for t in mine[:, 1]))
            world.honest_groups.append(PlantedBloc("household", "honest", talks, tuple(v + 1 for v in members), None))
    if rows:
        keep = ~np.isin(world.votes[:, 0], dropped)  # a member's ballot is the household's
        world.votes = np.concatenate([world.votes[keep], np.concatenate(rows).astype(np.int64)])


def _joined(rng, world: World3) -> None:
    """Ticket holders made their account weeks before; others mostly just before their first vote."""
    V = world.V
    first = np.full(V, CLOSES, dtype=np.int64)
    np.minimum.at(first, world.votes[:, 0], world.votes[:, 3])
    p_late = np.where(world.weight == 1.0, 0.1, np.where(world.weight == 0.5, 0.6, 0.7))
    late = rng.random(V) < p_late
    before = OPENS - rng.integers(DAY, 150 * DAY, V)
    world.joined = np.where(late, first - rng.integers(30, 1800, V), before).astype(np.int64)


# ----------------------------------------------------------------------------------------- planting


def _log_size(rng, lo: int, hi: int) -> int:
    return round(float(np.exp(rng.uniform(np.log(lo), np.log(hi)))))


@dataclass
class _Planter:
    rng: np.random.Generator
    world: World3
    used: set  # voters already in a campaign, in an honest group, or speakers
    targeted: set  # talks already targeted
    blocs: list = field(default_factory=list)
    gifts: int = 0

    def recruit(self, n: int, pool: np.ndarray | None = None) -> list[int]:
        w = self.world
        pool = np.arange(w.V) if pool is None else pool
        free = [int(v) for v in self.rng.permutation(pool) if int(v) not in self.used][:n]
        self.used.update(free)
        return free

    def target(self, strong: bool, candidates: np.ndarray | None = None) -> int | None:
        q = self.world.quality
        if candidates is None:
            cut = np.quantile(q, 0.6 if strong else 0.75)
            candidates = np.flatnonzero(q > cut if strong else q < cut)
        candidates = [int(t) for t in candidates if int(t) not in self.targeted]
        if not candidates:
            return None
        t = candidates[int(self.rng.integers(0, len(candidates)))]
        self.targeted.add(t)
        return t

    def at_after(self, voter: int, at: int) -> int:
        """A recruited voter's vote is no earlier than a minute after their account exists."""
        if voter < self.world.V:
            return max(int(at), int(self.world.joined[voter]) + 60)
        return int(at)

    def cover(self, n: int, exclude: set[int], by_popularity: bool = True) -> np.ndarray:
        w = self.world
        p = w.popularity / w.popularity.sum() if by_popularity else None
        talks = self.rng.choice(w.T, size=min(w.T, n + len(exclude) + 2), replace=False, p=p)
        return np.array([t for t in talks.tolist() if t not in exclude][:n], dtype=np.int64)

    def new_free(self, weight: float, joined: int, personal: float = 0.0) -> int:
        w = self.world
        j = len(w.accounts)
        domain = f"u{w.V + j}-site.example" if self.rng.random() < personal else FREE_MAIL[int(self.rng.integers(0, 5))]
        order = f"B{w.V + j}" if weight == 1.0 else None
        return w.account(weight, order, domain, None, -1, joined)

    def add(self, kind, direction, members, rows, boosted):
        """Plants rows (voter, talk, score, at) of `members` and records the bloc."""
        arr = np.array(rows, dtype=np.int64).reshape(-1, 4)
        self.world.plant(arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3])
        talks = tuple(sorted({int(t) + 1 for t in arr[:, 1]}))
        self.blocs.append(PlantedBloc(kind, direction, talks, tuple(sorted(int(v) + 1 for v in members)), boosted))

    def with_cover(self, rows, v, target, n, when, by_popularity=True, scores=None):
        talks = self.cover(n, {target}, by_popularity)
        sc = _taste(self.rng, self.world, talks) if scores is None else scores(len(talks))
        for t, s in zip(talks.tolist(), sc.tolist(), strict=True):
            rows.append((v, t, s, when + int(self.rng.integers(20, 600))))


def _speaker_talks(world: World3) -> np.ndarray:
    return np.flatnonzero((world.speaker_voter >= 0).any(axis=1))


def _discord_call(p: _Planter) -> None:
    rng = p.rng
    t = p.target(False)
    if t is None:
        return
    size = _log_size(rng, 8, 40)
    post = OPENS + int(rng.integers(DAY, 7 * DAY))
    old = p.recruit(round(0.35 * size))
    rows, members = [], []
    for j in range(size):
        delay = min(rng.lognormal(np.log(3 * HOUR), 1.0), 3 * DAY)
        when = post + int(delay)
        score = 3 if rng.random() < 0.75 else 2
        if j < len(old):
            v = old[j]
            rows.append((v, t, score, p.at_after(v, when)))
        else:
            wgt = float(rng.choice([0.0, 0.5, 1.0], p=[0.6, 0.3, 0.1]))
            v = p.new_free(wgt, when - int(rng.integers(120, 1200)), personal=0.15)
            rows.append((v, t, score, when))
            if rng.random() < 0.5:
                p.with_cover(rows, v, t, int(rng.integers(1, 6)), when)
        members.append(v)
    p.add("discord_call", "support", members, rows, t + 1)


def _sponsor_push(p: _Planter) -> None:
    rng, w = p.rng, p.world
    talks = np.flatnonzero((w.speaker_company >= 0).any(axis=1))
    t = p.target(False, talks[w.quality[talks] < np.quantile(w.quality, 0.75)])
    if t is None:
        return
    c = int(w.speaker_company[t][w.speaker_company[t] >= 0][0])
    size = _log_size(rng, 6, 35)
    staff = p.recruit(size, np.flatnonzero(w.company == c))
    monday = OPENS + int(rng.integers(0, 7)) * DAY + HOUR  # 08:00 UTC
    rows, members = [], []
    for j in range(size):
        day = int(rng.integers(0, 2))
        when = monday + day * DAY + int(rng.integers(0, 9 * HOUR))
        score = 3 if rng.random() < 0.85 else 2
        if j < len(staff):
            v = staff[j]
            rows.append((v, t, score, p.at_after(v, when)))
        else:
            domain = w.company_domains[c] if rng.random() < 0.6 else FREE_MAIL[int(rng.integers(0, 5))]
            name = _spelled(rng, company_name(c)) if rng.random() < 0.4 else None
            codes = w.company_orders.get(c)
            v = w.account(
                1.0, codes[0] if codes else f"C{c}-s", domain, name, c, when - int(rng.integers(300, 3 * DAY))
            )
            rows.append((v, t, score, when))
            p.with_cover(rows, v, t, int(rng.integers(2, 7)), when)
        members.append(v)
    p.add("sponsor_push", "support", members, rows, t + 1)


def _trade_ring(p: _Planter) -> None:
    rng, w = p.rng, p.world
    cands = [int(t) for t in rng.permutation(_speaker_talks(w)) if int(t) not in p.targeted]
    want = int(rng.integers(4, 8))
    ring, speakers = [], []
    for t in cands:
        s = int(w.speaker_voter[t][w.speaker_voter[t] >= 0][0])
        if s in speakers or s in w.grouped:
            continue
        ring.append(t)
        speakers.append(s)
        if len(ring) == want:
            break
    if len(ring) < 4:
        return
    p.targeted.update(ring)
    p.used.update(speakers)
    for t, s in zip(ring, speakers, strict=True):
        rows = []
        others = [o for o in speakers if o != s]
        for o in others:
            rows.append((o, t, 3, p.at_after(o, OPENS + int(rng.integers(0, 10 * DAY - HOUR)))))
        p.add("trade_ring", "support", others, rows, t + 1)


def _click_farm(p: _Planter) -> None:
    rng, w = p.rng, p.world
    t = p.target(False)
    if t is None:
        return
    size = _log_size(rng, 12, 40)
    start = OPENS + int(rng.integers(DAY, 8 * DAY))
    made_from = start - int(rng.integers(2, 6)) * DAY
    uniform_cover, uniform_score = rng.random() < 0.5, rng.random() < 0.5
    throwaway = rng.random() < 0.5
    rows, members = [], []
    when = start
    for _ in range(size):
        joined = made_from + int(rng.integers(0, start - made_from))
        domain = "mailnest-x.example" if throwaway and rng.random() < 0.2 else FREE_MAIL[int(rng.integers(0, 5))]
        v = w.account(0.5 if rng.random() < 0.7 else 0.0, None, domain, None, -1, joined)
        rows.append((v, t, 3, when))
        talks = p.cover(int(rng.integers(4, 13)), {t}, by_popularity=not uniform_cover)
        lo = 0 if uniform_score else 1
        for t2 in talks.tolist():
            rows.append((v, t2, int(rng.integers(lo, 4)), when + int(rng.integers(10, 180))))
        members.append(v)
        when += int(rng.integers(120, 1500))
    p.add("click_farm", "support", members, rows, t + 1)


def _slot_campaign(p: _Planter) -> None:
    rng, w = p.rng, p.world
    t = p.target(False)
    if t is None:
        return
    rivals = np.flatnonzero((w.theme == w.theme[t]) & (w.quality > w.quality[t]))
    rivals = [int(r) for r in rng.permutation(rivals) if int(r) not in p.targeted][: int(rng.integers(2, 4))]
    size = _log_size(rng, 6, 20)
    start = OPENS + int(rng.integers(0, 7 * DAY))
    old = p.recruit(size // 2)
    up, down, members = [], [], []
    for j in range(size):
        when = start + int(min(rng.lognormal(np.log(10 * HOUR), 1.0), 3 * DAY))
        if j < len(old):
            v = old[j]
            when = p.at_after(v, when)
        else:
            v = p.new_free(float(rng.choice([0.5, 1.0, 0.0])), when - int(rng.integers(120, 3600)))
        up.append((v, t, 3, when))
        for r in rivals:
            down.append((v, r, 0 if rng.random() < 0.8 else 1, when + int(rng.integers(20, 400))))
        members.append(v)
    p.add("slot_campaign", "support", members, up, t + 1)
    if rivals:
        p.targeted.update(rivals)
        p.add("slot_campaign_down", "oppose", members, down, None)


def _brigade(p: _Planter) -> None:
    rng = p.rng
    t = p.target(True)
    if t is None:
        return
    size = _log_size(rng, 10, 35)
    thread = OPENS + int(rng.integers(0, 8 * DAY))
    old = p.recruit(round(0.7 * size))
    rows, members = [], []
    for j in range(size):
        when = thread + int(min(rng.lognormal(np.log(5 * HOUR), 1.3), 2 * DAY))
        score = 0 if rng.random() < 0.85 else 1
        if j < len(old):
            v = old[j]
            rows.append((v, t, score, p.at_after(v, when)))
        else:
            v = p.new_free(0.0, when - int(rng.integers(60, 900)))
            rows.append((v, t, score, when))
            n = int(rng.integers(0, 4))
            if n:
                p.with_cover(rows, v, t, n, when, by_popularity=False)
        members.append(v)
    p.add("brigade", "oppose", members, rows, None)


def _drip_feed(p: _Planter) -> None:
    rng = p.rng
    t = p.target(False)
    if t is None:
        return
    size = _log_size(rng, 8, 30)
    start = OPENS + int(rng.integers(0, 3 * DAY))
    old = p.recruit(size // 2)
    rows, members = [], []
    for j in range(size):
        when = start + int(rng.integers(0, 7 * DAY))
        if j < len(old):
            v = old[j]
            rows.append((v, t, 3, p.at_after(v, when)))
        else:
            v = p.new_free(float(rng.choice([0.5, 1.0])), when - int(rng.integers(120, 1800)))
            rows.append((v, t, 3, when))
            p.with_cover(rows, v, t, int(rng.integers(3, 11)), when)
        members.append(v)
    p.add("drip_feed", "support", members, rows, t + 1)


def _mixed_mail(p: _Planter) -> None:
    rng, w = p.rng, p.world
    talks = np.flatnonzero((w.speaker_company >= 0).any(axis=1))
    talks = talks[w.quality[talks] < np.quantile(w.quality, 0.75)]
    # a startup: the speaker's company has few voters
    sizes = np.bincount(w.company[w.company >= 0], minlength=len(w.company_domains))
    small = [t for t in talks.tolist() if sizes[int(w.speaker_company[t][w.speaker_company[t] >= 0][0])] <= 6]
    t = p.target(False, np.array(small or talks.tolist(), dtype=np.int64))
    if t is None:
        return
    c = int(w.speaker_company[t][w.speaker_company[t] >= 0][0])
    size = _log_size(rng, 6, 20)
    n_staff = max(3, round(size * rng.uniform(0.4, 0.7)))
    staff = p.recruit(n_staff, np.flatnonzero(w.company == c))
    start = OPENS + int(rng.integers(0, 8 * DAY))
    rows, members = [], []
    on_order = 0
    for j in range(size):
        when = start + int(rng.integers(0, int(rng.choice([1, 2])) * DAY))
        score = 3 if rng.random() < 0.8 else 2
        if j < len(staff):
            v = staff[j]
            when = p.at_after(v, when)
        elif j < n_staff:
            work = j % 2 == 0
            domain = w.company_domains[c] if work else FREE_MAIL[int(rng.integers(0, 5))]
            order = f"C{c}-m" if on_order < 5 else None
            on_order += order is not None
            v = w.account(1.0 if order else 0.5, order, domain, None, c, when - int(rng.integers(300, 5 * DAY)))
        else:
            v = p.new_free(float(rng.choice([0.0, 0.5])), when - int(rng.integers(120, 1800)))
        rows.append((v, t, score, when))
        members.append(v)
    p.add("mixed_mail", "support", members, rows, t + 1)


def _sockpuppets(p: _Planter) -> None:
    rng, w = p.rng, p.world
    t = p.target(False)
    if t is None:
        return
    size = int(rng.integers(3, 11))
    base_talks = p.cover(int(rng.integers(6, 16)), {t})
    base = dict(zip(base_talks.tolist(), _taste(rng, w, base_talks).tolist(), strict=True))
    one_evening = rng.random() < 0.5
    evening = OPENS + int(rng.integers(0, 9)) * DAY + 11 * HOUR
    rows, members = [], []
    when = evening
    for _ in range(size):
        if one_evening:
            joined = evening - int(rng.integers(600, 3 * HOUR))
            when += int(rng.integers(120, 600))
            at0 = when
        else:
            joined = OPENS - int(rng.integers(HOUR, 14 * DAY))
            at0 = OPENS + int(rng.integers(0, 10 * DAY - 2 * HOUR))
        v = p.new_free(0.5 if rng.random() < 0.8 else 0.0, joined, personal=0.3)
        ballot = {tt: s for tt, s in base.items() if rng.random() >= 0.15}
        for tt in p.cover(int(rng.integers(0, 3)), set(base) | {t}, by_popularity=False).tolist():
            ballot[tt] = int(rng.integers(0, 4))
        ballot = {
            tt: int(np.clip(s + (rng.choice([-1, 1]) if rng.random() < 0.15 else 0), 0, 3)) for tt, s in ballot.items()
        }
        ballot[t] = 3
        for k, (tt, s) in enumerate(rng.permutation(list(ballot.items())).tolist()):
            rows.append((v, int(tt), int(s), at0 + 20 * k + int(rng.integers(0, 20))))
        members.append(v)
    p.add("sockpuppets", "support", members, rows, t + 1)


def _gift_order(p: _Planter) -> None:
    rng, w = p.rng, p.world
    t = p.target(False)
    if t is None:
        return
    size = int(rng.integers(3, 10))
    p.gifts += 1
    code = f"G{p.gifts}-{t}"
    bought = OPENS - int(rng.integers(5 * DAY, 40 * DAY))
    rows, members = [], []
    for _ in range(size):
        v = w.account(1.0, code, FREE_MAIL[int(rng.integers(0, 5))], None, -1, bought + int(rng.integers(0, 3 * DAY)))
        when = OPENS + int(rng.integers(0, 10 * DAY - HOUR))
        rows.append((v, t, 3, when))
        p.with_cover(rows, v, t, int(rng.integers(2, 9)), when)
        members.append(v)
    p.add("gift_order", "support", members, rows, t + 1)


CAMPAIGNS: dict[str, Callable[[_Planter], None]] = {
    "discord_call": _discord_call,
    "sponsor_push": _sponsor_push,
    "trade_ring": _trade_ring,
    "click_farm": _click_farm,
    "slot_campaign": _slot_campaign,
    "brigade": _brigade,
    "drip_feed": _drip_feed,
    "mixed_mail": _mixed_mail,
    "sockpuppets": _sockpuppets,
    "gift_order": _gift_order,
}


def plant_fresh3(rng: np.random.Generator, world: World3, n_campaigns: int):
    """Plants `n_campaigns` campaigns: every kind once (in a random order), then kinds at random.
    Returns the planted blocs and the bloc-only accounts (the votes are in world.planted)."""
    speakers = set(world.speaker_voter[world.speaker_voter >= 0].tolist())
    p = _Planter(rng, world, used=set(world.grouped) | speakers, targeted=set(world.featured.tolist()))
    kinds = list(rng.permutation(KINDS))
    while len(kinds) < n_campaigns:
        kinds.append(KINDS[int(rng.integers(0, len(KINDS)))])
    for kind in kinds[:n_campaigns]:
        CAMPAIGNS[str(kind)](p)
    return p.blocs, list(world.accounts)


# ----------------------------------------------------------------------------------------- assembly


def fresh3_conference(size: str = "small", seed: int = 1, plant=None) -> SyntheticConference:
    """The fresh3 conference of `size` for `seed` (module docstring). `plant(rng, world, n)` returns
    (blocs, accounts); bench.blocs_calibration.plant_nothing gives the honest conference alone."""
    spec = SIZES[size]
    index = list(SIZES).index(size)
    world = _honest(np.random.default_rng([seed, index, 0]), size)
    plant = plant or plant_fresh3
    blocs, _ = plant(np.random.default_rng([seed, index, 1]), world, spec.blocs)
    V, T = world.V, world.T
    arr, is_planted = planted_over_honest(world.votes, world.planted, T)

    accounts = world.accounts
    true_company = np.r_[world.company, np.array([a[4] for a in accounts], dtype=np.int64)]
    voters = [
        VoterFacts(
            voter_id=v + 1,
            weight=float(world.weight[v]),
            order_code=world.order[v],
            email_domain=world.domain[v],
            company=world.company_field[v],
            joined_at=int(world.joined[v]),
        )
        for v in range(V)
    ]
    for j, (weight, code, domain, name, _c, joined) in enumerate(accounts):
        voters.append(
            VoterFacts(
                voter_id=V + j + 1, weight=weight, order_code=code, email_domain=domain, company=name, joined_at=joined
            )
        )
    promoted = {int(t): (NEWSLETTER,) for t in world.featured}
    speaker_domain_rng = np.random.default_rng([seed, index, 2])
    talks = []
    for t in range(T):
        domains, companies = [], []
        for k in range(2):
            c = int(world.speaker_company[t, k])
            if c >= 0:
                companies.append(company_name(c))
                work = speaker_domain_rng.random() < 0.6
                domains.append(world.company_domains[c] if work else FREE_MAIL[(t + k) % 5])
            elif k == 0 or world.speaker_voter[t, k] >= 0:
                domains.append(FREE_MAIL[(t + k) % 5])
                if speaker_domain_rng.random() < 0.08:
                    companies.append("Independent")
        ids = tuple(int(s) + 1 for s in world.speaker_voter[t] if s >= 0)
        talks.append(
            TalkFacts(
                talk_id=t + 1,
                speaker_email_domains=tuple(domains),
                speaker_companies=tuple(companies),
                speaker_voter_ids=ids,
                promoted_at=promoted.get(t, ()),
            )
        )
    data = bloc_input_build(
        voter_ids=arr[:, 0] + 1,
        talk_ids=arr[:, 1] + 1,
        scores=arr[:, 2],
        at_seconds=arr[:, 3],
        voters=voters,
        talks=talks,
        scale=VoteScale(),
        free_mail_domains=FREE_MAIL,
    )
    vc = true_company[arr[:, 0]]
    colleague = (vc >= 0) & ((vc == world.speaker_company[arr[:, 1], 0]) | (vc == world.speaker_company[arr[:, 1], 1]))
    honest = ~is_planted & (arr[:, 0] < V)
    return SyntheticConference(
        data, tuple(blocs), is_planted, colleague, honest, world.quality.copy(), tuple(world.honest_groups)
    )
