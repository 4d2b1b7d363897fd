"""A sixth synthetic world for bloc detection: a volunteer-run open-source community conference.

Written apart from the detector and from the other generators (it reads only blocs_synthetic's
dataclasses and `planted_over_honest`, and BlocInput's format), and committed before anything measured
it: an out-of-sample test. Deterministic per (size, seed); pure numpy. The model, pre-registered:

Event. A FOSDEM/PyCon-like weekend run by volunteers. The programme vote opens Monday 2027-01-11 12:00
UTC and runs four weeks (28 days) on the default "want to see" scale (0 not interested, 1 maybe, 2 want
to see, 3 must see; wanted from 2). Sizes as SIZES: small 1,000 voters / 200 talks / ~20k votes, medium
20,000 / 1,000 / ~200k, large 100,000 / 5,000 / ~1M; campaign-only accounts come on top of the voters.

Structure. D devrooms (small 10, medium 28, large 60; weights Dirichlet(1.2)), P community projects
(40 / 150 / 450; size Pareto(1.1) + 1, each in one devroom drawn by devroom weight), C companies that
sponsor and send staff (15 / 50 / 140; size ∝ rank^-1.1; names "<Word> <Labs|Cloud|…>", domains
"<word><suffix>.com" or "<word>.io"), 6 universities ("cs.uni-<city>.edu"). Talks: devroom by weight;
75% are about a project of their devroom (drawn ∝ size^0.6; none if the devroom has no project), 20%
are company talks (company ∝ size), 1.5% keynotes. Quality q ~ N(0, 1). Popularity (the honest draw
weight) = exp(0.7 q + N(0, 0.5)) × (3 for a keynote) × ((project size / mean)^0.3 for a project talk).
Speakers: 1 (75%), 2 (20%) or 3 (5%); each slot is a voter 80% of the time (a maintainer of the talk's
project when there is one, else a contributor; staff of the company for a company talk; else anyone;
never a voter signed in through the code host's no-reply relay), else an outside speaker (staff of the
talk's company, else employed with probability 0.25). A speaker's facts: the canonical company name
when employed (85%), the account's email domain (an outside speaker: work mail 50% when employed, else
the project's domain 30% for a project talk, else free mail).

Voters. Region (Europe 44%, North America 24%, South Asia 9%, South America 7%, East Asia 7%, Africa 5%,
Oceania 4%) gives a UTC offset (one of the region's) and free-mail providers (gmail/outlook/
proton/hotmail/fastmail everywhere; gmx/web.de/posteo/mail.ru/yandex in Europe, qq/163 in East Asia). 24%
work for a sponsoring company (∝ size); 1–3 projects each (1 + Binomial(2, 0.35), drawn ∝ size); 6%
maintain their first project. Favourite devrooms: their projects' devrooms plus one drawn by weight (the
third slot, for voters with fewer than three projects). Email domain: staff 45% their work domain; the
others (and the other 55% of staff): 12% the code host's no-reply relay "users.noreply.github.com"
(sign-in with a code-hosting account; NOT in confvote's free-mail list, so detection sees it as one large
domain), maintainers 40% their project's domain, non-staff 6% a personal domain of their own
("<handle>.dev"), non-staff 5% a university, the rest free mail (a regional provider 35% where the region
has some, else the common ones 55/12/10/8/5). Company field: staff 55% (spelled "Kestrel Cloud", "Kestrel
Cloud Inc.", "kestrel cloud", "KESTREL CLOUD GmbH" or "Kestrel"), non-staff 5%
"Freelance"/"Self-employed"/"Independent"/"Student"/"None"/"n/a", else empty. Tickets: 50% a ticket
(weight 1.0), 20% a supporter pledge (0.5, its own order "PLG-…"), 30% none (0.0, no order). Ticket
holders: staff 60% on their company's sponsor order (chunks of up to 25, "SPN-…"); the other ticket
holders, shuffled, fill orders ("TIX-…") of 2–4 friends with probability 0.15, else of one. Account
creation: 50% in the previous four years (before the CfP), 30% during the CfP (the 70 days before the
vote), 20% during the vote (1–60 minutes before their first vote, 60%, else 1 hour–3 days).

Honest ballots. Ballot length: 2% completionists U(0.15, 0.5)·min(T, 300); 14% light voters 1–3 (1 +
Binomial(2, 0.4)); the rest lognormal (σ 0.85) with the mean that brings the base votes to 95% of the
size's votes; rounded, 1 to 0.6 T. Talks: each draw comes from the whole programme ∝ popularity (50%), one
of the voter's favourite devrooms (30%), one of their projects' talks (12%) or their company's talks (8%;
a channel without talks falls back to the whole programme), with replacement, keeping the first n distinct
(voters with n > 0.15 T draw exactly without replacement from the mixture, by Gumbel keys; a voter left
short by k gets 4k + 4 more draws from the whole programme, first distinct kept). Score: latent = 0.9 q +
0.9·(a favourite devroom) + 1.1·(one of their projects) + 1.2·(a colleague speaks) + bias + N(0, 0.8),
bias ~ N(0, 0.5) (+1.0 for 8% enthusiasts, −1.0 for 6% harsh voters); cut at 0.0 / 0.9 / 1.9 into 0–3; 3%
of voters only use 0 and 3 (3 above 0.9). Timing: 1 + Poisson(n/15) sessions (at most 6), the votes shared
among them at random; a session's day ∝ 1 (×4 days 0–1 and ×2 day 2, the launch; ×2.5 day 14 and ×1.5 day
15, the reminder; ×2 day 26 and ×3.5 day 27, last call; ×1.3 weekends); its local hour evening 19–24
(50%), office 9–17 (30%), lunch 12–14 (15%), night 0–3 (5%); a session that would start before the vote
opens starts U(0, 6 h) after; votes 3 s + Exp(25 s) apart; a session moved earlier to end before the vote
closes.

Honest correlated groups (honest votes; detection should leave them alone; per size small/medium/large
1/3/8 of each, featured posts 3/6/12; group members are disjoint and never campaign members; a group's
vote replaces the member's base vote on the same talk): `project_community` a project's contributors
(8–40) keen on its 2+ talks (each 75%, at least one; latent +1.2; a local evening on a random day);
`sponsor_track` a big sponsor's staff (8–40) who like one devroom (3–6 of its 10 most popular talks
without a colleague, +0.9, office hours on weekdays); `newsletter_readers` the day-14 newsletter's 6–10
editors' picks, 3% of voters (12–400) reading it Exp(20 h) after 08:00 UTC and voting 2–5 picks a
minute apart (+0.4); `user_group_night` a city user group (10–35 voters of one UTC offset) choosing 5–12
talks together at its monthly meetup (one evening, 19:00–21:30 local), each member 60% of them (+0.3);
`workshop_cohort` an online beginners' workshop (12–30, moved onto one bundle order "WS-…", weight 1.0)
on day 7, voting 60% of 4–8 talks of its devroom within 3 days (+0.7); `featured_post` the organizers'
social post featuring a good talk (q > 0.5; recorded as a promotion) at 15:00 UTC on day U(1, 25),
1–2.5% of voters (10–600, ∝ ballot length, in no other group) voting it Exp(2.5 h) later (+0.5). A time
outside the vote moves by a day into it.

Campaigns (3–40 members each, a voter in one campaign at most; max(size's blocs, 13) campaigns: each
kind once, then kinds drawn uniformly; a campaign starts at day U(1, 22) unless said). Support
campaigns rate their boosted talk 3 (2 for 5%) and their other talks 2–3; a real member's planted vote
replaces their honest one, and is never before their account exists (+5 minutes); times outside the
vote move by a day into it.
- coworkers: 3–25 staff of a company with a talk rate it and up to two more company talks (70% each)
  after an internal chat message (10–11 local), Exp(6 h) later, 30 s apart.
- order: 4–15 ticket holders, moved onto one new shared order, rate a popular talk and 0–2 more
  (1–2 draws), each on one of 6 days, 19–23 local, 40 s apart.
- friends_burst: 4–12 free-mail friends of one region, different orders, rate a friend's talk (one
  with a speaker who votes) and 1–3 more Exp(12 min) after a group-chat message (20–22 local).
- friends_spread: 5–15 friends anywhere rate a talk and 0–2 more (70% each) on one of 19 days from
  day U(1, 9), 18–24 local.
- sockpuppets (operated): 3–15 new accounts (made 1–4 minutes apart, 1 h–2 days before), free mail,
  60% a pledge each (0.5) else none (0.0); a template ballot (boosted 3, a rival talk in its devroom 0,
  6–14 popular fillers at U{0..3}) copied with each filler kept 90% and every vote but the boosted one
  moved ±1 10%; one account after another from 18–22 UTC, 4–12 minutes apart, votes 5–15 s apart.
- mailing_list_call: 12–40 contributors of a project rate its (up to 3 most popular) talks after a
  mailing-list post, Exp(20 h) later, 25 s apart.
- maintainer_ask: a maintainer-speaker and 4–14 of the project's contributors (others when short) rate
  the maintainer's talk, 30% also a co-maintainer's talk at 2, over 11 days, 8–23 local.
- devrel_push: 2–5 staff and 8–30 of the company's community "ambassadors" (non-staff, preferably
  pledge or no-ticket accounts) rate 2–4 company talks (85% each) Exp(30 h) after the ambassador
  newsletter at 16:00 UTC.
- hackathon_team: 3–6 voters of one region, with the speaker of the talk when they vote, rate it and
  1–2 talks of its devroom at 2–3 in one sitting (20 minutes, 14–21 local).
- vote_swap: 2–4 projects each give 2–8 contributors (a speaker-voter first); everyone rates every
  swap talk at 3, each vote 18–24 local on one of 15 days; the boosted talk is the first project's.
- competitor_downvote (oppose): 5–25 contributors of a project rate a rival project's (same devroom)
  most popular talk 0 (85%) or 1, Exp(36 h) after a forum thread.
- bought_accounts (operated): 10–40 aged accounts (made 3–24 months before) from one seller (mail.ru
  50%, yandex 20%, outlook 30%), 80% a pledge (0.5) else none; boosted 3 and 4–10 fillers of a 15-talk
  pool at 1–3; scripted in two batches on two days (2–25), accounts 2–6 minutes apart, votes 3–8 s apart.
- meetup_group: a meetup organiser (a speaker who votes) and 7–24 voters of their UTC offset: at the
  meetup everyone rates the organiser's talk, half also a second talk at 3, 19:00–22:00 local.
Ground truth as SyntheticConference: `planted` the campaigns' votes, `honest` votes of real voters not
planted, `colleague` the voter's employer is a speaker's employer, `honest_groups` as above.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.ballots.domain.blocs_input import TalkFacts, VoterFacts, VoteScale, bloc_input_build
from bench.blocs_synthetic import SIZES, PlantedBloc, SyntheticConference, planted_over_honest
from confvote.free_mail import FREE_MAIL_DOMAINS

SCALE = VoteScale()  # 0 not interested, 1 maybe, 2 want to see, 3 must see
DAY = 86_400
HOUR = 3_600
DAYS = 28
OPENS = int(dt.datetime(2027, 1, 11, 12, tzinfo=dt.UTC).timestamp())
CLOSES = OPENS + DAYS * DAY
MIDNIGHT = OPENS - 12 * HOUR  # 2027-01-11 00:00 UTC, a Monday
NOREPLY = "users.noreply.github.com"
BLOC_KINDS = (
    "coworkers",
    "order",
    "friends_burst",
    "friends_spread",
    "sockpuppets",
    "mailing_list_call",
    "maintainer_ask",
    "devrel_push",
    "hackathon_team",
    "vote_swap",
    "competitor_downvote",
    "bought_accounts",
    "meetup_group",
)
OPERATED = frozenset({"sockpuppets", "bought_accounts"})
HONEST_KINDS = (
    "project_community",
    "sponsor_track",
    "newsletter_readers",
    "user_group_night",
    "workshop_cohort",
    "featured_post",
)
# name: (UTC offsets in hours, share, extra free-mail providers)
REGIONS = (
    ("europe", (0, 1, 1, 1, 2, 2, 3), 0.44, ("gmx.de", "web.de", "posteo.de", "mail.ru", "yandex.ru")),
    ("north_america", (-8, -7, -6, -5, -5, -5), 0.24, ()),
    ("south_asia", (5.5,), 0.09, ()),
    ("south_america", (-3, -3, -5), 0.07, ()),
    ("east_asia", (8, 8, 9), 0.07, ("qq.com", "163.com")),
    ("africa", (0, 1, 2, 3), 0.05, ()),
    ("oceania", (10, 12), 0.04, ()),
)
COMMON_MAIL = ("gmail.com", "outlook.com", "proton.me", "hotmail.com", "fastmail.com")
COMMON_SHARE = (0.55, 0.12, 0.10, 0.08, 0.05)
FREE_MAIL = tuple(sorted(set(COMMON_MAIL) | {d for r in REGIONS for d in r[3]}))
SELF = ("Freelance", "Self-employed", "Independent", "Student", "None", "n/a")
SHAPE = {  # devrooms, projects, companies, honest groups of each kind, featured posts
    "small": (10, 40, 15, 1, 3),
    "medium": (28, 150, 50, 3, 6),
    "large": (60, 450, 140, 8, 12),
}
WORDS = (
    "Kestrel",
    "Bluefin",
    "Orchard",
    "Quarry",
    "Lumen",
    "Tessel",
    "Nimbus",
    "Harbor",
    "Vantage",
    "Copper",
    "Juniper",
    "Mosaic",
    "Atlas",
    "Borealis",
    "Cinder",
    "Driftwood",
    "Ember",
    "Fjord",
    "Granite",
    "Helix",
    "Indigo",
    "Jasper",
    "Kiln",
    "Lattice",
    "Meridian",
    "Nettle",
    "Onyx",
    "Pylon",
    "Quill",
    "Rook",
    "Saffron",
    "Tundra",
    "Umber",
    "Vellum",
    "Wren",
    "Yarrow",
    "Zephyr",
    "Alder",
    "Basalt",
    "Cobalt",
)
SUFFIXES = ("Labs", "Cloud", "Systems", "Data", "Software", "Networks", "Analytics", "Works", "Security", "AI")
SYLLABLES = (
    "ka",
    "lo",
    "mi",
    "ru",
    "ze",
    "ta",
    "vo",
    "ni",
    "pe",
    "su",
    "ro",
    "fa",
    "gi",
    "xo",
    "qui",
    "bel",
    "dor",
    "lin",
    "mar",
    "tok",
    "zen",
    "pix",
    "rav",
    "sol",
)
assert set(FREE_MAIL) <= FREE_MAIL_DOMAINS


@dataclass
class World:
    """The honest conference (positions, 0-based) and what a planting function adds: `parts` (rows of
    voter, talk, score, at), `accounts` (facts of campaign-only accounts, voters V, V + 1, …) and
    changes to `order` (per voter order code)."""

    V: int
    T: int
    D: int
    region: np.ndarray
    free_mail: np.ndarray  # per voter: a free-mail address
    tz: np.ndarray  # seconds east of UTC
    employer: np.ndarray  # company position or -1
    projects: np.ndarray  # (V, 3) project positions, -1 padded
    maintainer: np.ndarray
    fav: np.ndarray  # (V, 3) devrooms, -1 padded
    bias: np.ndarray
    binary: np.ndarray
    weight: np.ndarray
    order: list
    domain: list
    company: list
    joined: np.ndarray
    n: np.ndarray  # ballot length drawn
    devroom: np.ndarray  # per talk
    project: np.ndarray  # per talk, -1 none
    quality: np.ndarray
    pop: np.ndarray
    talk_voters: list  # per talk, speaker voter positions
    talk_employers: list  # per talk, speaker employers (positions)
    talk_companies: list  # per talk, speaker company names
    talk_domains: list  # per talk, speaker email domains
    promoted: dict  # talk -> [at]
    project_devroom: np.ndarray
    company_names: list
    company_domains: list
    project_domains: list
    honest: np.ndarray = field(default_factory=lambda: np.empty((0, 4), np.int64))
    in_group: np.ndarray = field(default_factory=lambda: np.empty(0, bool))
    honest_groups: list = field(default_factory=list)
    parts: list = field(default_factory=list)
    accounts: list = field(default_factory=list)  # (weight, order, domain, joined)
    used: np.ndarray = field(default_factory=lambda: np.empty(0, bool))


def _names(rng, n: int, words: int = 2) -> list[str]:
    out, seen = [], set()
    while len(out) < n:
        name = "".join(rng.choice(SYLLABLES, size=words + int(rng.random() < 0.4)))
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def _grouped(groups: np.ndarray, items: np.ndarray, weights: np.ndarray, n_groups: int):
    """Keys for drawing an item of a group ∝ weight: group + cumulative share within the group."""
    order = np.lexsort((items, groups))
    g, it, w = groups[order], items[order], weights[order].astype(float)
    starts = np.searchsorted(g, np.arange(n_groups + 1))
    has = np.diff(starts) > 0
    totals = np.where(has, np.bincount(g, weights=w, minlength=n_groups), 1.0)
    cum = np.cumsum(w)
    before = np.r_[0.0, cum][starts[:-1]]
    share = (cum - before[g]) / totals[g]
    share[starts[1:][has] - 1] = 1.0
    return g + share, it, has


def _draw(rng, keys, items, groups: np.ndarray) -> np.ndarray:
    pos = np.searchsorted(keys, groups + rng.random(len(groups)), side="right")
    return items[np.minimum(pos, len(items) - 1)]


def _latent_scores(rng, w: World, vv: np.ndarray, tt: np.ndarray, bonus=0.0) -> np.ndarray:
    fav = (w.fav[vv] == w.devroom[tt][:, None]).any(axis=1)
    own = (w.projects[vv] == w.project[tt][:, None]).any(axis=1) & (w.project[tt] >= 0)
    colleague = _colleague(w, vv, tt)
    latent = 0.9 * w.quality[tt] + 0.9 * fav + 1.1 * own + 1.2 * colleague + w.bias[vv] + bonus
    latent = latent + rng.normal(0, 0.8, len(vv))
    score = np.digitize(latent, [0.0, 0.9, 1.9])
    return np.where(w.binary[vv], np.where(latent > 0.9, 3, 0), score).astype(np.int64)


def _colleague(w: World, vv: np.ndarray, tt: np.ndarray) -> np.ndarray:
    C = len(w.company_names) + 1
    keys = np.array(sorted({t * C + e for t, es in enumerate(w.talk_employers) for e in es}), dtype=np.int64)
    emp = np.r_[w.employer, np.full(len(w.accounts), -1)][vv]
    return (emp >= 0) & np.isin(tt * C + emp, keys)


def _local(rng, tz, day, lo, hi):
    """UTC seconds of a local time of day U(lo, hi) hours on vote day `day` at UTC offset tz (seconds)."""
    return (MIDNIGHT + np.asarray(day) * DAY + rng.uniform(lo, hi, np.shape(tz)) * HOUR - tz).astype(np.int64)


def _inside(at):
    """Times moved inside the vote: a day later before it opens, a day earlier after it closes."""
    at = np.asarray(at, dtype=np.int64)
    at = np.where(at < OPENS, at + DAY, at)
    at = np.where(at >= CLOSES, at - DAY, at)
    return np.clip(at, OPENS, CLOSES - 1)


def _honest(rng, size: str) -> World:
    spec = SIZES[size]
    V, T = spec.voters, spec.talks
    D, P, C, _, _ = SHAPE[size]

    dev_w = rng.dirichlet(np.full(D, 1.2))
    proj_size = rng.pareto(1.1, P) + 1
    proj_dev = rng.choice(D, P, p=dev_w)
    comp_size = np.arange(1, C + 1) ** -1.1
    comp_size = comp_size / comp_size.sum()
    combos = [(a, b) for a in WORDS for b in SUFFIXES]
    picks = rng.choice(len(combos), C, replace=False)
    used_words = set()
    company_names, company_domains = [], []
    for k in picks:
        word, suffix = combos[k]
        company_names.append(f"{word} {suffix}")
        alone = word not in used_words and rng.random() < 0.3
        used_words.add(word)
        company_domains.append(f"{word.lower()}.io" if alone else f"{word.lower()}{suffix.lower()}.com")
    project_names = _names(rng, P)
    project_domains = [f"{p}.org" for p in project_names]
    universities = [f"cs.uni-{c}.edu" for c in _names(rng, 6)]

    # talks
    devroom = rng.choice(D, T, p=dev_w)
    kind = rng.random(T)
    project = np.full(T, -1)
    talk_company = np.full(T, -1)
    for d in range(D):
        ps = np.flatnonzero(proj_dev == d)
        ts = np.flatnonzero((devroom == d) & (kind < 0.75))
        if len(ps) and len(ts):
            p = proj_size[ps] ** 0.6
            project[ts] = rng.choice(ps, len(ts), p=p / p.sum())
    company_talk = (kind >= 0.75) & (kind < 0.95)
    talk_company[company_talk] = rng.choice(C, company_talk.sum(), p=comp_size)
    keynote = rng.random(T) < 0.015
    quality = rng.normal(0, 1, T)
    pop = np.exp(0.7 * quality + rng.normal(0, 0.5, T)) * np.where(keynote, 3.0, 1.0)
    has_p = project >= 0
    pop[has_p] *= (proj_size[project[has_p]] / proj_size.mean()) ** 0.3

    # voters
    shares = np.array([r[2] for r in REGIONS])
    region = rng.choice(len(REGIONS), V, p=shares / shares.sum())
    tz = np.zeros(V)
    for r, (_, offsets, _, _) in enumerate(REGIONS):
        mine = region == r
        tz[mine] = rng.choice(offsets, mine.sum())
    tz = (tz * HOUR).astype(np.int64)
    employer = np.where(rng.random(V) < 0.24, rng.choice(C, V, p=comp_size), -1)
    n_proj = 1 + rng.binomial(2, 0.35, V)
    projects = rng.choice(P, (V, 3), p=proj_size / proj_size.sum())
    projects[np.arange(3)[None, :] >= n_proj[:, None]] = -1
    maintainer = rng.random(V) < 0.06
    fav = np.where(projects >= 0, proj_dev[np.maximum(projects, 0)], -1)
    fav[:, 2] = np.where(n_proj == 3, fav[:, 2], rng.choice(D, V, p=dev_w))
    bias = rng.normal(0, 0.5, V)
    style = rng.random(V)
    bias += np.where(style < 0.08, 1.0, 0.0) - np.where((style >= 0.08) & (style < 0.14), 1.0, 0.0)
    binary = rng.random(V) < 0.03

    staff = employer >= 0
    u = rng.random((V, 6))
    domain, company = [], []
    for v in range(V):
        if staff[v] and u[v, 0] < 0.45:
            d = company_domains[employer[v]]
        elif u[v, 1] < 0.12:
            d = NOREPLY
        elif maintainer[v] and u[v, 2] < 0.40:
            d = project_domains[projects[v, 0]]
        elif not staff[v] and u[v, 2] < 0.06:
            d = f"{_names(rng, 1)[0]}{v}.dev"
        elif not staff[v] and u[v, 2] < 0.11:
            d = universities[int(u[v, 3] * 6)]
        else:
            extra = REGIONS[region[v]][3]
            if extra and u[v, 3] < 0.35:
                d = extra[int(u[v, 4] * len(extra))]
            else:
                d = COMMON_MAIL[int(np.searchsorted(np.cumsum(COMMON_SHARE) / sum(COMMON_SHARE), u[v, 4]))]
        domain.append(d)
        if staff[v] and u[v, 5] < 0.55:
            name = company_names[employer[v]]
            word = name.split()[0]
            company.append((name, f"{name} Inc.", name.lower(), f"{name.upper()} GmbH", word)[int(u[v, 3] * 5) % 5])
        elif not staff[v] and u[v, 5] > 0.95:
            company.append(SELF[int(u[v, 4] * len(SELF)) % len(SELF)])
        else:
            company.append(None)

    ticket = rng.random(V)
    weight = np.where(ticket < 0.5, 1.0, np.where(ticket < 0.7, 0.5, 0.0))
    order: list = [None] * V
    codes = iter(rng.permutation(10 * V + 100).tolist())
    for c in range(C):
        team = np.flatnonzero((employer == c) & (weight == 1.0))
        team = team[rng.random(len(team)) < 0.6]
        for k in range(0, len(team), 25):
            code = f"SPN-{next(codes):06d}"
            for v in team[k : k + 25]:
                order[v] = code
    singles = [v for v in range(V) if weight[v] == 1.0 and order[v] is None]
    rng.shuffle(singles)
    i = 0
    while i < len(singles):
        k = int(rng.integers(2, 5)) if rng.random() < 0.15 else 1
        code = f"TIX-{next(codes):06d}"
        for v in singles[i : i + k]:
            order[v] = code
        i += k
    for v in np.flatnonzero(weight == 0.5):
        order[v] = f"PLG-{next(codes):06d}"

    # speakers
    speakable = np.array([d != NOREPLY for d in domain])
    by_project: dict[int, list[int]] = {}
    maint_of: dict[int, list[int]] = {}
    for v in np.flatnonzero(speakable):
        for p in projects[v]:
            if p >= 0:
                by_project.setdefault(int(p), []).append(int(v))
        if maintainer[v]:
            maint_of.setdefault(int(projects[v, 0]), []).append(int(v))
    by_company: dict[int, list[int]] = {}
    for v in np.flatnonzero(speakable & staff):
        by_company.setdefault(int(employer[v]), []).append(int(v))
    pool = np.flatnonzero(speakable)
    n_speakers = 1 + (rng.random(T) > 0.75) + (rng.random(T) > 0.95)
    talk_voters, talk_employers, talk_companies, talk_domains = [], [], [], []
    for t in range(T):
        vs, emps, comps, doms = [], set(), [], []
        for _ in range(n_speakers[t]):
            if rng.random() < 0.8:
                if project[t] >= 0:
                    cands = maint_of.get(int(project[t])) or by_project.get(int(project[t])) or pool
                elif talk_company[t] >= 0:
                    cands = by_company.get(int(talk_company[t])) or pool
                else:
                    cands = pool
                v = int(cands[int(rng.integers(len(cands)))])
                if v in vs:
                    continue
                vs.append(v)
                e, d = int(employer[v]), domain[v]
            else:
                e = (
                    int(talk_company[t])
                    if talk_company[t] >= 0
                    else (int(rng.choice(C, p=comp_size)) if rng.random() < 0.25 else -1)
                )
                if e >= 0 and rng.random() < 0.5:
                    d = company_domains[e]
                elif project[t] >= 0 and rng.random() < 0.3:
                    d = project_domains[project[t]]
                else:
                    d = COMMON_MAIL[int(rng.integers(len(COMMON_MAIL)))]
            if e >= 0:
                emps.add(e)
                if rng.random() < 0.85:
                    comps.append(company_names[e])
            doms.append(d)
        talk_voters.append(vs)
        talk_employers.append(sorted(emps))
        talk_companies.append(comps)
        talk_domains.append(doms)

    # ballot lengths
    m = 0.95 * spec.votes / V
    kind_v = rng.random(V)
    heavy = kind_v < 0.02
    light = (kind_v >= 0.02) & (kind_v < 0.16)
    n = np.zeros(V)
    n[heavy] = rng.uniform(0.15, 0.5, heavy.sum()) * min(T, 300)
    n[light] = 1 + rng.binomial(2, 0.4, light.sum())
    rest = ~heavy & ~light
    need = (m * V - n[heavy].sum() - 1.8 * light.sum()) / rest.sum()
    sigma = 0.85
    n[rest] = rng.lognormal(np.log(max(need - 0.5, 1.0)) - sigma**2 / 2, sigma, rest.sum()) + 0.5
    n = np.clip(np.rint(n), 1, int(0.6 * T)).astype(np.int64)

    world = World(
        V=V,
        T=T,
        D=D,
        region=region,
        free_mail=np.array([d in FREE_MAIL for d in domain]),
        tz=tz,
        employer=employer,
        projects=projects,
        maintainer=maintainer,
        fav=fav,
        bias=bias,
        binary=binary,
        weight=weight,
        order=order,
        domain=domain,
        company=company,
        joined=np.zeros(V, np.int64),
        n=n,
        devroom=devroom,
        project=project,
        quality=quality,
        pop=pop,
        talk_voters=talk_voters,
        talk_employers=talk_employers,
        talk_companies=talk_companies,
        talk_domains=talk_domains,
        promoted={},
        project_devroom=proj_dev,
        company_names=company_names,
        company_domains=company_domains,
        project_domains=project_domains,
    )
    base = _base_votes(rng, world)
    world.in_group = np.zeros(V, bool)
    parts = _honest_groups(rng, world, size)
    votes, _ = planted_over_honest(base, parts, T)
    world.honest = votes
    world.joined = _joined(rng, world, votes)
    world.used = world.in_group.copy()
    return world


def _base_votes(rng, w: World) -> np.ndarray:
    V, T = w.V, w.T
    D = w.D
    P = len(w.project_domains)
    C = len(w.company_names)
    g_cdf = np.cumsum(w.pop) / w.pop.sum()
    d_keys, d_items, _ = _grouped(w.devroom, np.arange(T), w.pop, D)
    has_p = w.project >= 0
    p_keys, p_items, p_has = _grouped(w.project[has_p], np.flatnonzero(has_p), w.pop[has_p], P)
    pairs = np.array([(e, t) for t, es in enumerate(w.talk_employers) for e in es], dtype=np.int64).reshape(-1, 2)
    talks_of_company = [pairs[pairs[:, 0] == c, 1] for c in range(C)]
    c_keys, c_items, c_has = _grouped(pairs[:, 0], pairs[:, 1], w.pop[pairs[:, 1]], C)
    d_has = np.bincount(w.devroom, minlength=D) > 0

    heavy = w.n > 0.15 * T
    rows = []
    # light voters: mixture draws with replacement, first n distinct kept
    lv = np.flatnonzero(~heavy)
    m = np.ceil(1.8 * w.n[lv]).astype(np.int64) + 2
    vv = np.repeat(lv, m)
    tt = _mixture(rng, w, vv, g_cdf, (d_keys, d_items, d_has), (p_keys, p_items, p_has), (c_keys, c_items, c_has))
    kept = _first_distinct(vv, tt, w.n, T)
    short = w.n[lv] - np.bincount(vv[kept], minlength=V)[lv]
    top = lv[short > 0]
    vv2 = np.repeat(top, 4 * short[short > 0] + 4)
    tt2 = np.minimum(np.searchsorted(g_cdf, rng.random(len(vv2)), side="right"), T - 1)
    allv = np.r_[vv[kept], vv2]
    allt = np.r_[tt[kept], tt2]
    o = np.argsort(allv, kind="stable")
    allv, allt = allv[o], allt[o]
    kept = _first_distinct(allv, allt, w.n, T)
    rows.append((allv[kept], allt[kept]))
    # heavy voters: exact draws without replacement from the same mixture (Gumbel keys)
    hv = np.flatnonzero(heavy)
    gp = w.pop / w.pop.sum()
    dev_tot = np.bincount(w.devroom, weights=w.pop, minlength=D)
    dp = w.pop / dev_tot[w.devroom]
    for k in range(0, len(hv), 500):
        chunk = hv[k : k + 500]
        favs = w.fav[chunk]
        nfav = np.maximum((favs >= 0).sum(axis=1), 1)
        prob = 0.5 * gp[None, :] + 0.3 * (
            (favs[:, :, None] == w.devroom[None, None, :]).sum(axis=1) * dp[None, :] / nfav[:, None]
        )
        projs = w.projects[chunk]
        own = ((projs[:, :, None] == w.project[None, None, :]) & (w.project >= 0)[None, None, :]).any(axis=1)
        ct = np.zeros((len(chunk), T), bool)
        for i, e in enumerate(w.employer[chunk]):
            if e >= 0:
                ct[i, talks_of_company[e]] = True
        for share, mask in ((0.12, own), (0.08, ct)):
            part = mask * gp[None, :]
            total = part.sum(axis=1, keepdims=True)
            prob += share * np.where(total > 0, part / np.maximum(total, 1e-300), gp[None, :])
        key = np.log(prob) + rng.gumbel(size=prob.shape)
        top = np.argsort(-key, axis=1)
        for i, v in enumerate(chunk):
            rows.append((np.full(w.n[v], v), top[i, : w.n[v]]))
    vv = np.concatenate([r[0] for r in rows])
    tt = np.concatenate([r[1] for r in rows])
    o = np.lexsort((tt, vv))
    vv, tt = vv[o], tt[o]
    scores = _latent_scores(rng, w, vv, tt)
    at = _session_times(rng, w, vv)
    return np.stack([vv, tt, scores, at], axis=1).astype(np.int64)


def _mixture(rng, w, vv, g_cdf, dev, proj, comp):
    T = w.T
    u = rng.random(len(vv))
    tt = np.minimum(np.searchsorted(g_cdf, rng.random(len(vv)), side="right"), T - 1)
    # a favourite devroom
    favs = w.fav[vv]
    nfav = (favs >= 0).sum(axis=1)
    pick = favs[np.arange(len(vv)), np.minimum((rng.random(len(vv)) * nfav).astype(np.int64), 2)]
    ok = (u >= 0.5) & (u < 0.8) & (pick >= 0)
    ok[ok] = dev[2][pick[ok]]
    tt[ok] = _draw(rng, dev[0], dev[1], pick[ok])
    # one of their projects
    projs = w.projects[vv]
    npj = (projs >= 0).sum(axis=1)
    pick = projs[np.arange(len(vv)), (rng.random(len(vv)) * npj).astype(np.int64)]
    ok = (u >= 0.8) & (u < 0.92) & (pick >= 0)
    ok[ok] = proj[2][pick[ok]]
    tt[ok] = _draw(rng, proj[0], proj[1], pick[ok])
    # their company's talks
    emp = w.employer[vv]
    ok = (u >= 0.92) & (emp >= 0)
    ok[ok] = comp[2][emp[ok]]
    tt[ok] = _draw(rng, comp[0], comp[1], emp[ok])
    return tt


def _first_distinct(vv, tt, n, T):
    """Which draws (grouped by voter, in draw order) are among the voter's first n[v] distinct talks."""
    keys = vv.astype(np.int64) * T + tt
    _, first = np.unique(keys, return_index=True)
    is_first = np.zeros(len(keys), bool)
    is_first[first] = True
    rank = np.cumsum(is_first)
    start = np.searchsorted(vv, vv)  # grouped by voter: index of the voter's first draw
    before = np.r_[0, rank][start]
    return is_first & ((rank - before) <= n[vv])


def _session_times(rng, w: World, vv: np.ndarray) -> np.ndarray:
    V = w.V
    k = np.minimum(1 + rng.poisson(w.n / 15), 6)
    day_w = np.ones(DAYS)
    day_w[[0, 1]] *= 4
    day_w[2] *= 2
    day_w[14] *= 2.5
    day_w[15] *= 1.5
    day_w[26] *= 2
    day_w[27] *= 3.5
    day_w[[d for d in range(DAYS) if d % 7 in (5, 6)]] *= 1.3
    day = rng.choice(DAYS, (V, 6), p=day_w / day_w.sum())
    u = rng.random((V, 6))
    lo = np.select([u < 0.5, u < 0.8, u < 0.95], [19.0, 9.0, 12.0], 0.0)
    hi = np.select([u < 0.5, u < 0.8, u < 0.95], [24.0, 17.0, 14.0], 3.0)
    start = MIDNIGHT + day * DAY + (lo + rng.random((V, 6)) * (hi - lo)) * HOUR - w.tz[:, None]
    start = np.where(start < OPENS, OPENS + rng.uniform(0, 6 * HOUR, (V, 6)), start).astype(np.int64)
    s = (rng.random(len(vv)) * k[vv]).astype(np.int64)
    group = vv * 6 + s
    o = np.lexsort((rng.random(len(vv)), group))
    g = group[o]
    gaps = 3 + rng.exponential(25, len(vv))
    cs = np.cumsum(gaps)
    first = np.searchsorted(g, g)
    within = cs - cs[first]
    last = np.searchsorted(g, g, side="right") - 1
    dur = within[last]
    begin = np.minimum(start.ravel()[g], CLOSES - 1 - dur.astype(np.int64) - 1)
    at = np.empty(len(vv), np.int64)
    at[o] = (begin + within).astype(np.int64)
    return at


def _joined(rng, w: World, votes: np.ndarray) -> np.ndarray:
    first = np.full(w.V, CLOSES, np.int64)
    np.minimum.at(first, votes[:, 0], votes[:, 3])
    u = rng.random(w.V)
    long_ago = rng.uniform(OPENS - 4 * 365 * DAY, OPENS - 70 * DAY, w.V)
    cfp = rng.uniform(OPENS - 70 * DAY, OPENS - DAY, w.V)
    now = first - np.where(rng.random(w.V) < 0.6, rng.uniform(60, HOUR, w.V), rng.uniform(HOUR, 3 * DAY, w.V))
    joined = np.where(u < 0.5, long_ago, np.where(u < 0.8, cfp, now))
    return np.minimum(joined, first).astype(np.int64)


def _members(rng, w: World, cands, lo: int, hi: int, *, taken=None) -> np.ndarray:
    """Up to U(lo, hi) distinct candidates not yet in a group or campaign."""
    taken = w.in_group if taken is None else taken
    cands = np.unique(np.asarray(cands, dtype=np.int64))
    cands = cands[~taken[cands]]
    k = min(int(rng.integers(lo, hi + 1)), len(cands))
    return np.sort(rng.choice(cands, k, replace=False)) if k else np.empty(0, np.int64)


def _contributors(w: World, p: int) -> np.ndarray:
    return np.flatnonzero((w.projects == p).any(axis=1))


def _honest_groups(rng, w: World, size: str) -> list[np.ndarray]:
    per, posts = SHAPE[size][3], SHAPE[size][4]
    parts = []

    def add(kind, members, talks, vv, tt, at, bonus):
        w.in_group[members] = True
        vv, tt = np.asarray(vv, np.int64), np.asarray(tt, np.int64)
        scores = _latent_scores(rng, w, vv, tt, bonus)
        parts.append(np.stack([vv, tt, scores, _inside(at)], axis=1).astype(np.int64))
        ids = tuple(int(v) + 1 for v in members)
        shared = tuple(sorted({int(t) + 1 for t in talks}))
        w.honest_groups.append(PlantedBloc(kind, "honest", shared, ids, None))

    def each(members, talks, share, least):
        vv, tt = [], []
        for v in members:
            pick = rng.random(len(talks)) < share
            if pick.sum() < least:
                pick[rng.choice(len(talks), min(least, len(talks)), replace=False)] = True
            vv += [v] * int(pick.sum())
            tt += list(np.asarray(talks)[pick])
        return np.array(vv, np.int64), np.array(tt, np.int64)

    P = len(w.project_domains)
    talks_of_p = [np.flatnonzero(w.project == p) for p in range(P)]
    # project communities
    made = 0
    for p in [p for p in rng.permutation(P) if len(talks_of_p[p]) >= 2]:
        if made == per:
            break
        members = _members(rng, w, _contributors(w, p), 8, 40)
        if len(members) < 3:
            continue
        made += 1
        vv, tt = each(members, talks_of_p[p], 0.75, 1)
        at = _local(rng, w.tz[vv], rng.integers(0, DAYS, len(vv)), 19, 24)
        add("project_community", members, talks_of_p[p], vv, tt, at, 1.2)
    # a sponsor's staff who like one devroom
    C = len(w.company_names)
    staff_n = np.bincount(w.employer[w.employer >= 0], minlength=C)
    D = w.D
    made = 0
    while made < per:
        c = int(rng.choice(np.argsort(-staff_n)[: max(5, per)]))
        d = int(rng.choice(D, p=np.bincount(w.devroom, minlength=D) / w.T))
        talks = [t for t in np.flatnonzero(w.devroom == d) if c not in w.talk_employers[t]]
        talks = sorted(talks, key=lambda t: -w.pop[t])[:10]
        members = _members(rng, w, np.flatnonzero(w.employer == c), 8, 40)
        if len(talks) < 3 or len(members) < 3:
            continue
        made += 1
        vv, tt = [], []
        for v in members:
            k = int(rng.integers(3, min(6, len(talks)) + 1))
            vv += [v] * k
            tt += list(rng.choice(talks, k, replace=False))
        vv, tt = np.array(vv), np.array(tt)
        day = rng.choice([d for d in range(DAYS) if d % 7 < 5], len(vv))
        add("sponsor_track", members, talks, vv, tt, _local(rng, w.tz[vv], day, 9, 17), 0.9)
    # newsletter readers
    good = np.flatnonzero(w.quality > 0.3)
    for _ in range(per):
        picks = rng.choice(good, int(rng.integers(6, 11)), replace=False)
        k = int(np.clip(0.03 * w.V, 12, 400))
        members = _members(rng, w, np.arange(w.V), k, k)
        vv, tt, at = [], [], []
        for v in members:
            k = int(rng.integers(2, 6))
            when = OPENS + 14 * DAY - 4 * HOUR + rng.exponential(20 * HOUR)
            vv += [v] * k
            tt += list(rng.choice(picks, k, replace=False))
            at += list(when + 60 * np.arange(k))
        add("newsletter_readers", members, picks, np.array(vv), np.array(tt), np.array(at), 0.4)
    # a city user group's meetup night
    made = 0
    while made < per:
        tz = int(rng.choice(w.tz))
        members = _members(rng, w, np.flatnonzero(w.tz == tz), 10, 35)
        if len(members) < 3:
            continue
        made += 1
        talks = rng.choice(w.T, int(rng.integers(5, 13)), replace=False, p=w.pop / w.pop.sum())
        vv, tt = each(members, talks, 0.6, 2)
        day = int(rng.integers(3, 25))
        add("user_group_night", members, talks, vv, tt, _local(rng, np.full(len(vv), tz), day, 19, 21.5), 0.3)
    # an online beginners' workshop cohort on one bundle order
    k = 0
    while k < per:
        d = int(rng.choice(D, p=np.bincount(w.devroom, minlength=D) / w.T))
        talks = np.flatnonzero(w.devroom == d)
        if len(talks) < 2:
            continue
        talks = rng.choice(talks, min(len(talks), int(rng.integers(4, 9))), replace=False)
        members = _members(rng, w, np.arange(w.V), 12, 30)
        k += 1
        code = f"WS-{k:03d}-{int(rng.integers(1e6)):06d}"
        for v in members:
            w.order[v] = code
        w.weight[members] = 1.0
        vv, tt = each(members, talks, 0.6, 2)
        at = OPENS + 7 * DAY + 5 * HOUR + rng.uniform(0, 3 * DAY, len(vv))
        add("workshop_cohort", members, talks, vv, tt, at, 0.7)
    # the organizers' featured-talk posts
    featured = rng.choice(np.flatnonzero(w.quality > 0.5), posts, replace=False)
    for t in featured:
        at0 = MIDNIGHT + int(rng.integers(1, 26)) * DAY + 15 * HOUR
        w.promoted[int(t)] = [int(at0)]
        k = int(np.clip(rng.uniform(0.01, 0.025) * w.V, 10, 600))
        free = np.flatnonzero(~w.in_group)
        p = w.n[free] / w.n[free].sum()
        members = np.sort(rng.choice(free, min(k, len(free)), replace=False, p=p))
        vv = members
        tt = np.full(len(vv), t)
        add("featured_post", members, [t], vv, tt, at0 + rng.exponential(2.5 * HOUR, len(vv)), 0.5)
    return parts


# ---------------------------------------------------------------------------------------------- campaigns


def plant_fresh6(rng, w: World, n: int):
    """Plants `n` campaigns (module docstring) into `w`; returns (blocs, accounts)."""
    kinds = list(BLOC_KINDS) + list(rng.choice(BLOC_KINDS, max(0, n - len(BLOC_KINDS))))
    rng.shuffle(kinds)
    blocs = []
    boosted_used: set[int] = set()
    for kind in kinds:
        for _attempt in range(20):
            bloc = CAMPAIGNS[kind](rng, w, boosted_used)
            if bloc is not None:
                break
        else:  # pragma: no cover - every kind finds room at every size
            raise RuntimeError(f"no room for {kind}")
        blocs.append(bloc)
        if bloc.boosted_talk is not None:
            boosted_used.add(bloc.boosted_talk - 1)
    return blocs, w.accounts


def _support(rng, n: int) -> np.ndarray:
    return np.where(rng.random(n) < 0.95, 3, 2)


def _emit(w: World, kind, direction, members, talks, rows, boosted) -> PlantedBloc:
    """Records a campaign's votes (voter, talk, score, at) — real members never vote before their
    account exists — and marks its members used."""
    rows = np.asarray(rows, dtype=np.int64).reshape(-1, 4)
    real = rows[:, 0] < w.V
    rows[real, 3] = np.maximum(rows[real, 3], w.joined[rows[real, 0]] + 300)
    rows[:, 3] = _inside(rows[:, 3])
    w.parts.append(rows)
    members = np.asarray(members, dtype=np.int64)
    w.used[members[members < w.V]] = True
    return PlantedBloc(
        kind,
        direction,
        tuple(int(t) + 1 for t in talks),
        tuple(sorted(int(v) + 1 for v in members)),
        None if boosted is None else int(boosted) + 1,
    )


def _free_talk(rng, w: World, cands, boosted_used) -> int | None:
    cands = [int(t) for t in cands if int(t) not in boosted_used]
    return int(rng.choice(cands)) if cands else None


def _start_day(rng) -> int:
    return int(rng.integers(1, 23))


def _account(w: World, weight: float, order, domain: str, joined: float) -> int:
    w.accounts.append((weight, order, domain, int(joined)))
    return w.V + len(w.accounts) - 1


def _coworkers(rng, w, boosted_used):
    C = len(w.company_names)
    c = int(rng.integers(C))
    talks = [t for t in range(w.T) if c in w.talk_employers[t]]
    t0 = _free_talk(rng, w, talks, boosted_used)
    members = _members(rng, w, np.flatnonzero(w.employer == c), 3, 25, taken=w.used)
    if t0 is None or len(members) < 3:
        return None
    others = [t for t in talks if t != t0][:2]
    start = _local(rng, w.tz[members[0]], _start_day(rng), 10, 11)
    rows = []
    for v in members:
        at = start + rng.exponential(6 * HOUR)
        mine = [t0] + [t for t in others if rng.random() < 0.7]
        sc = np.r_[_support(rng, 1), rng.integers(2, 4, len(mine) - 1)]
        rows += [(v, t, s, at + 30 * i) for i, (t, s) in enumerate(zip(mine, sc, strict=True))]
    return _emit(w, "coworkers", "support", members, [t0, *others], rows, t0)


def _order(rng, w, boosted_used):
    t0 = _free_talk(rng, w, rng.choice(w.T, 30, p=w.pop / w.pop.sum()), boosted_used)
    tickets = np.flatnonzero(w.weight == 1.0)
    members = _members(rng, w, tickets, 4, 15, taken=w.used)
    if t0 is None or len(members) < 3:
        return None
    others = [int(t) for t in rng.choice(w.T, int(rng.integers(1, 3)), replace=False) if t != t0]
    code = f"TIX-R{int(rng.integers(1e7)):07d}"
    for v in members:
        w.order[v] = code
    day0 = _start_day(rng)
    rows = []
    for v in members:
        at = _local(rng, w.tz[v], day0 + int(rng.integers(0, 6)), 19, 23)
        rows.append((v, t0, _support(rng, 1)[0], at))
        rows += [(v, t, int(rng.integers(2, 4)), at + 40 * (i + 1)) for i, t in enumerate(others)]
    return _emit(w, "order", "support", members, [t0, *others], rows, t0)


def _free_mail_voters(w: World) -> np.ndarray:
    return np.flatnonzero(w.free_mail)


def _friends_burst(rng, w, boosted_used):
    r = int(rng.integers(len(REGIONS)))
    cands = np.intersect1d(_free_mail_voters(w), np.flatnonzero(w.region == r))
    orders = {}
    for v in rng.permutation(cands):  # different orders
        key = w.order[v] or f"none-{v}"
        orders.setdefault(key, int(v))
    members = _members(rng, w, list(orders.values()), 4, 12, taken=w.used)
    t0 = _free_talk(rng, w, [t for t in range(w.T) if w.talk_voters[t]], boosted_used)
    if t0 is None or len(members) < 3:
        return None
    others = [int(t) for t in rng.choice(w.T, int(rng.integers(1, 4)), replace=False) if t != t0]
    msg = _local(rng, w.tz[members[0]], _start_day(rng), 20, 22)
    rows = []
    for v in members:
        at = msg + rng.exponential(12 * 60)
        rows.append((v, t0, _support(rng, 1)[0], at))
        rows += [(v, t, int(rng.integers(2, 4)), at + 20 * (i + 1)) for i, t in enumerate(others)]
    return _emit(w, "friends_burst", "support", members, [t0, *others], rows, t0)


def _friends_spread(rng, w, boosted_used):
    members = _members(rng, w, np.arange(w.V), 5, 15, taken=w.used)
    t0 = _free_talk(rng, w, range(w.T), boosted_used)
    if t0 is None or len(members) < 3:
        return None
    others = [int(t) for t in rng.choice(w.T, int(rng.integers(0, 3)), replace=False) if t != t0]
    day0 = int(rng.integers(1, 10))
    rows = []
    for v in members:
        at = _local(rng, w.tz[v], day0 + int(rng.integers(0, 19)), 18, 24)
        rows.append((v, t0, _support(rng, 1)[0], at))
        rows += [(v, t, int(rng.integers(2, 4)), at + 45 * (i + 1)) for i, t in enumerate(others) if rng.random() < 0.7]
    return _emit(w, "friends_spread", "support", members, [t0, *others], rows, t0)


def _rival(rng, w, t0) -> int | None:
    rivals = np.flatnonzero((w.devroom == w.devroom[t0]) & (np.arange(w.T) != t0))
    return int(rng.choice(rivals)) if len(rivals) else None


def _sockpuppets(rng, w, boosted_used):
    t0 = _free_talk(rng, w, range(w.T), boosted_used)
    rival = _rival(rng, w, t0) if t0 is not None else None
    if t0 is None or rival is None:
        return None
    fillers = [int(t) for t in rng.choice(w.T, int(rng.integers(6, 15)), replace=False, p=w.pop / w.pop.sum())]
    fillers = [t for t in fillers if t not in (t0, rival)]
    template = {t0: 3, rival: 0, **{t: int(rng.integers(0, 4)) for t in fillers}}
    k = int(rng.integers(3, 16))
    start = _local(rng, 0, _start_day(rng), 18, 22)
    made = start - rng.uniform(HOUR, 2 * DAY)
    rows, members = [], []
    at = start
    for _i in range(k):
        pledge = rng.random() < 0.6
        mail = ("gmail.com", "outlook.com", "proton.me")[int(rng.integers(3))]
        v = _account(w, 0.5 if pledge else 0.0, f"PLG-S{int(rng.integers(1e7)):07d}" if pledge else None, mail, made)
        made += rng.uniform(60, 240)
        members.append(v)
        t_at = at
        for t, s in template.items():
            if t not in (t0, rival) and rng.random() > 0.9:
                continue
            if t != t0 and rng.random() < 0.1:
                s = int(np.clip(s + rng.choice([-1, 1]), 0, 3))
            rows.append((v, t, s, t_at))
            t_at += rng.uniform(5, 15)
        at += rng.uniform(4 * 60, 12 * 60)
    return _emit(w, "sockpuppets", "support", members, list(template), rows, t0)


def _project_with_talks(rng, w, boosted_used, least_contributors):
    P = len(w.project_domains)
    for p in rng.permutation(P):
        talks = [int(t) for t in np.flatnonzero(w.project == p)]
        if talks and not set(talks) & boosted_used:
            cands = _contributors(w, p)
            if (~w.used[cands]).sum() >= least_contributors:
                return int(p), talks
    return None, []


def _mailing_list_call(rng, w, boosted_used):
    p, talks = _project_with_talks(rng, w, boosted_used, 12)
    if p is None:
        return None
    talks = sorted(talks, key=lambda t: -w.pop[t])[:3]
    members = _members(rng, w, _contributors(w, p), 12, 40, taken=w.used)
    post = OPENS + _start_day(rng) * DAY + rng.uniform(0, DAY)
    rows = []
    for v in members:
        at = post + rng.exponential(20 * HOUR)
        sc = np.r_[_support(rng, 1), rng.integers(2, 4, len(talks) - 1)]
        rows += [(v, t, s, at + 25 * i) for i, (t, s) in enumerate(zip(talks, sc, strict=True))]
    return _emit(w, "mailing_list_call", "support", members, talks, rows, talks[0])


def _maintainer_ask(rng, w, boosted_used):
    cands = [t for t in range(w.T) if w.project[t] >= 0 and w.talk_voters[t] and t not in boosted_used]
    if not cands:
        return None
    t0 = int(rng.choice(cands))
    m = [v for v in w.talk_voters[t0] if not w.used[v]]
    if not m:
        return None
    p = int(w.project[t0])
    helpers = _members(rng, w, np.setdiff1d(_contributors(w, p), m), 4, 14, taken=w.used)
    if len(helpers) < 4:
        w.used[helpers] = True
        helpers = np.r_[helpers, _members(rng, w, np.arange(w.V), 4 - len(helpers), 4 - len(helpers), taken=w.used)]
        w.used[helpers] = False
    members = np.r_[m[:1], helpers].astype(np.int64)
    co = [t for t in np.flatnonzero(w.project == p) if t != t0][:1]
    day0 = _start_day(rng)
    rows = []
    for v in members:
        at = _local(rng, w.tz[v], min(day0 + int(rng.integers(0, 11)), DAYS - 1), 8, 23)
        rows.append((v, t0, _support(rng, 1)[0], at))
        if co and rng.random() < 0.3:
            rows.append((v, co[0], 2, at + 35))
    return _emit(w, "maintainer_ask", "support", members, [t0, *co], rows, t0)


def _devrel_push(rng, w, boosted_used):
    C = len(w.company_names)
    c = int(rng.integers(C))
    talks = [t for t in range(w.T) if c in w.talk_employers[t] and t not in boosted_used]
    if len(talks) < 2:
        return None
    talks = [int(t) for t in rng.permutation(talks)[: int(rng.integers(2, 5))]]
    staff = _members(rng, w, np.flatnonzero(w.employer == c), 2, 5, taken=w.used)
    outside = np.flatnonzero((w.employer != c) & (w.employer < 0))
    cheap = outside[w.weight[outside] < 1.0]
    w.used[staff] = True
    amb = _members(rng, w, cheap if len(cheap) >= 30 else outside, 8, 30, taken=w.used)
    w.used[staff] = False
    if len(staff) < 1 or len(amb) < 3:
        return None
    members = np.r_[staff, amb]
    letter = MIDNIGHT + _start_day(rng) * DAY + 16 * HOUR
    rows = []
    for v in members:
        at = letter + rng.exponential(30 * HOUR)
        mine = [talks[0]] + [t for t in talks[1:] if rng.random() < 0.85]
        rows += [(v, t, _support(rng, 1)[0] if i == 0 else 3, at + 30 * i) for i, t in enumerate(mine)]
    return _emit(w, "devrel_push", "support", members, talks, rows, talks[0])


def _hackathon_team(rng, w, boosted_used):
    cands = [t for t in range(w.T) if w.talk_voters[t] and t not in boosted_used]
    t0 = int(rng.choice(cands))
    speaker = [v for v in w.talk_voters[t0] if not w.used[v]][:1]
    r = int(w.region[speaker[0]]) if speaker else int(rng.integers(len(REGIONS)))
    local = np.setdiff1d(np.flatnonzero(w.region == r), speaker)
    mates = _members(rng, w, local, 3 - len(speaker), 6 - len(speaker), taken=w.used)
    members = np.r_[np.array(speaker, np.int64), mates]
    if len(members) < 3:
        return None
    same = np.flatnonzero((w.devroom == w.devroom[t0]) & (np.arange(w.T) != t0))
    others = [int(t) for t in rng.choice(same, min(len(same), int(rng.integers(1, 3))), replace=False)]
    tz = int(w.tz[members[0]])
    sitting = _local(rng, tz, _start_day(rng), 14, 21)
    rows = []
    for v in members:
        at = sitting + rng.uniform(0, 20 * 60)
        rows.append((v, t0, _support(rng, 1)[0], at))
        rows += [(v, t, int(rng.integers(2, 4)), at + 25 * (i + 1)) for i, t in enumerate(others)]
    return _emit(w, "hackathon_team", "support", members, [t0, *others], rows, t0)


def _vote_swap(rng, w, boosted_used):
    k = int(rng.integers(2, 5))
    P = len(w.project_domains)
    projects, talks = [], []
    for p in rng.permutation(P):
        ts = [int(t) for t in np.flatnonzero(w.project == p) if t not in boosted_used and w.talk_voters[t]]
        if ts:
            projects.append(int(p))
            talks.append(ts[0])
        if len(projects) == k:
            break
    if len(projects) < 2:
        return None
    members = []
    for p, t in zip(projects, talks, strict=True):
        first = [v for v in w.talk_voters[t] if not w.used[v]][:1]
        w.used[first] = True
        more = _members(rng, w, _contributors(w, p), 2 - len(first), 8 - len(first), taken=w.used)
        w.used[more] = True
        members += first + more.tolist()
    members = np.array(members, np.int64)
    w.used[members] = False
    if len(members) < 3:
        return None
    day0 = _start_day(rng)
    rows = []
    for v in members:
        for i, t in enumerate(talks):
            at = _local(rng, w.tz[v], min(day0 + int(rng.integers(0, 15)), DAYS - 1), 18, 24)
            rows.append((v, t, _support(rng, 1)[0] if i == 0 else 3, at))
    return _emit(w, "vote_swap", "support", members, talks, rows, talks[0])


def _competitor_downvote(rng, w, boosted_used):
    P = len(w.project_domains)
    for a in rng.permutation(P):
        rivals = [
            int(b)
            for b in np.flatnonzero(w.project_devroom == w.project_devroom[a])
            if b != a and (w.project == b).any()
        ]
        if not rivals:
            continue
        b = int(rng.choice(rivals))
        target = max(np.flatnonzero(w.project == b), key=lambda t: w.pop[t])
        members = _members(rng, w, _contributors(w, int(a)), 5, 25, taken=w.used)
        if len(members) < 3:
            continue
        thread = OPENS + _start_day(rng) * DAY + rng.uniform(0, DAY)
        rows = [(v, target, 0 if rng.random() < 0.85 else 1, thread + rng.exponential(36 * HOUR)) for v in members]
        rows[0] = (rows[0][0], target, 0, rows[0][3])
        return _emit(w, "competitor_downvote", "oppose", members, [int(target)], rows, None)
    return None


def _bought_accounts(rng, w, boosted_used):
    t0 = _free_talk(rng, w, range(w.T), boosted_used)
    if t0 is None:
        return None
    pool = [int(t) for t in rng.choice(w.T, 16, replace=False, p=w.pop / w.pop.sum()) if t != t0][:15]
    k = int(rng.integers(10, 41))
    days = sorted(rng.choice(np.arange(2, 26), 2, replace=False))
    rows, members, used_talks = [], [], {t0}
    for _i in range(k):
        seller = rng.random()
        mail = "mail.ru" if seller < 0.5 else ("yandex.ru" if seller < 0.7 else "outlook.com")
        pledge = rng.random() < 0.8
        joined = OPENS - rng.uniform(90 * DAY, 730 * DAY)
        v = _account(w, 0.5 if pledge else 0.0, f"PLG-B{int(rng.integers(1e7)):07d}" if pledge else None, mail, joined)
        members.append(v)
    batch = [members[: k // 2], members[k // 2 :]]
    for day, accounts in zip(days, batch, strict=True):
        at = MIDNIGHT + day * DAY + rng.uniform(0, 20) * HOUR
        for v in accounts:
            mine = [t0] + [int(t) for t in rng.choice(pool, int(rng.integers(4, 11)), replace=False)]
            t_at = at
            for j, t in enumerate(mine):
                rows.append((v, t, 3 if j == 0 else int(rng.integers(1, 4)), t_at))
                used_talks.add(t)
                t_at += rng.uniform(3, 8)
            at += rng.uniform(120, 360)
    talks = [t0, *sorted(used_talks - {t0})]
    return _emit(w, "bought_accounts", "support", members, talks, rows, t0)


def _meetup_group(rng, w, boosted_used):
    cands = [t for t in range(w.T) if t not in boosted_used and any(not w.used[v] for v in w.talk_voters[t])]
    if not cands:
        return None
    t0 = int(rng.choice(cands))
    organiser = next(v for v in w.talk_voters[t0] if not w.used[v])
    tz = int(w.tz[organiser])
    local = np.setdiff1d(np.flatnonzero(w.tz == tz), [organiser])
    rest = _members(rng, w, local, 7, 24, taken=w.used)
    if len(rest) < 2:
        return None
    members = np.r_[organiser, rest].astype(np.int64)
    second = _free_talk(rng, w, [t for t in range(w.T) if t != t0], boosted_used)
    day = _start_day(rng)
    rows = []
    for v in members:
        at = _local(rng, tz, day, 19, 22)
        rows.append((v, t0, _support(rng, 1)[0], at))
        if rng.random() < 0.5:
            rows.append((v, second, 3, at + 40))
    return _emit(w, "meetup_group", "support", members, [t0, second], rows, t0)


CAMPAIGNS = {
    "coworkers": _coworkers,
    "order": _order,
    "friends_burst": _friends_burst,
    "friends_spread": _friends_spread,
    "sockpuppets": _sockpuppets,
    "mailing_list_call": _mailing_list_call,
    "maintainer_ask": _maintainer_ask,
    "devrel_push": _devrel_push,
    "hackathon_team": _hackathon_team,
    "vote_swap": _vote_swap,
    "competitor_downvote": _competitor_downvote,
    "bought_accounts": _bought_accounts,
    "meetup_group": _meetup_group,
}


# ---------------------------------------------------------------------------------------------- assembly


def fresh6_conference(size: str = "small", seed: int = 1, plant=None) -> SyntheticConference:
    """The fresh6 conference of `size` for `seed` (module docstring). `plant(rng, world, n)` returns
    (blocs, accounts); bench.blocs_calibration.plant_nothing gives the honest conference alone."""
    spec = SIZES[size]
    index = list(SIZES).index(size)
    w = _honest(np.random.default_rng([seed, index, 60]), size)
    plant = plant or plant_fresh6
    blocs, _ = plant(np.random.default_rng([seed, index, 61]), w, max(spec.blocs, len(BLOC_KINDS)))
    V, T = w.V, w.T
    votes, is_planted = planted_over_honest(w.honest, w.parts, T)
    n_all = V + len(w.accounts)
    voters = [
        VoterFacts(
            voter_id=v + 1,
            weight=float(w.weight[v]),
            order_code=w.order[v],
            email_domain=w.domain[v],
            company=w.company[v],
            joined_at=float(w.joined[v]),
        )
        for v in range(V)
    ]
    voters += [
        VoterFacts(voter_id=V + i + 1, weight=float(wt), order_code=code, email_domain=dom, joined_at=float(j))
        for i, (wt, code, dom, j) in enumerate(w.accounts)
    ]
    talks = [
        TalkFacts(
            talk_id=t + 1,
            speaker_email_domains=tuple(w.talk_domains[t]),
            speaker_companies=tuple(w.talk_companies[t]),
            speaker_voter_ids=tuple(v + 1 for v in w.talk_voters[t]),
            promoted_at=tuple(float(a) for a in w.promoted.get(t, ())),
        )
        for t in range(T)
    ]
    data = bloc_input_build(
        voter_ids=votes[:, 0] + 1,
        talk_ids=votes[:, 1] + 1,
        scores=votes[:, 2],
        at_seconds=votes[:, 3],
        voters=voters,
        talks=talks,
        scale=SCALE,
        free_mail_domains=FREE_MAIL_DOMAINS,
    )
    assert data.n_voters == n_all
    return SyntheticConference(
        data=data,
        blocs=tuple(blocs),
        planted=is_planted,
        colleague=_colleague(w, votes[:, 0], votes[:, 1]),
        honest=~is_planted & (votes[:, 0] < V),
        quality=w.quality.copy(),
        honest_groups=tuple(w.honest_groups),
    )
