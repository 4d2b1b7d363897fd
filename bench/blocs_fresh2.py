"""fresh2: a second independently built world of conference votes with planted blocs.

Built without knowledge of how bloc detection works (none of apps/ballots/domain/blocs*.py beyond
the input classes, docs/blocs.md, the other generators' planted kinds or the bloc tests were read), to
judge whether detection generalises. Everything below was written down before detection was first
run on this world. Deterministic per (size, seed); the honest world draws from its own random stream,
so `plant=plant_nothing` (bench/blocs_calibration.py) gives exactly the honest conference of a seed.

    fresh2_conference(size="small", seed=1, plant=None) -> SyntheticConference

Sizes are bench/blocs_synthetic.py's SIZES (1k voters / 200 talks / ~20k votes / 10 blocs; 20k / 1k /
~200k / 40; 100k / 5k / ~1M / 120). Accounts that exist only because of a bloc come on top of the
voters (voter ids above SIZES[size].voters).

The honest conference
---------------------
A European Python conference with public talk voting (pretalx/sessionize style: the voting page lists
talks in a random order per visitor, scores 0 "not interested" .. 3 "must see"). Voting runs 21 days,
Mon 2027-01-18 09:00 UTC to Mon 2027-02-08 09:00 UTC.

Talks. 9 tracks of unequal size (Dirichlet(2.0) shares, every track at least 3 talks): web, data &
ML, core Python, infrastructure, security, education & community, science, embedded & hardware,
beginners. Each talk has a latent quality q ~ N(0, 1) and a visibility (how often it is clicked on
when shared or searched) exp(0.9 q + 0.8 hook + track hype), hook ~ N(0, 1), track hype ~ N(0, 0.35)
per track; 2% of talks have a well-known speaker (visibility × 4). Speakers per talk: 1 (82%),
2 (15%), 3 (3%); a speaker is employed (68%, the company drawn with weight size^1.2, so big employers
send more speakers), academic (10%) or independent (22%); 5% of speaker slots reuse an earlier
speaker (people with two talks). 45% of speakers have a voter account (an honest voter of the same
company / university / independents, when one is left) and vote, never on their own talk, with at least an engaged
ballot. A talk's speaker email domains are the speakers' own (work domain 55% of the employed,
university domain 75% of academics, a personal domain 40% of independents, free mail otherwise);
its company field names the employer in 75% of cases, in the speaker's own spelling.

Voters. Class weights: ticket holder 1.0 (40%), pledged 0.5 (22%), neither 0 (38%). Time zones:
UTC+1 38%, UTC 12%, UTC-5 12%, UTC-8 7%, UTC+5.5 8%, UTC-3 5%, UTC+8 6%, UTC+9 3%, UTC+2 5%,
UTC+11 4%. Occupation: employed 60%, student or academic 9% (universities with skewed sizes,
3 / 10 / 30 of them), independent or unknown 31%. Companies: V // 5 of them, a voter's employer drawn
with weight (rank + 1)^-0.75 (a few large employers, a long tail of one-person ones); each company has
a work-mail habit p ~ Beta(2, 3) (share of its people who register with the company domain, the
rest use free mail); students use the university domain 65% of the time. 4% of the others use a
personal domain; the rest free mail (gmail.com 45%, gmx.de 7%, outlook.com 10%, web.de 6%,
proton.me 6%, hotmail.com 5%, yahoo.com 5%, icloud.com 5%, posteo.de 3%, mailbox.org 3%,
fastmail.com 2%, qq.com 2%, yandex.ru 1%). The optional company field is filled in by 35% of the
employed, in one of five spellings (as is 60%, "Name GmbH"/"Name Inc." 15%, lower case 10%,
"Name Labs" 10%, upper case 5%).

Tickets and orders. Sales opened 2026-10-01: 35% of orders in the two early-bird weeks, 50% spread
until voting closes, 15% during the voting window. A company with at least 3 ticket-holding voters
booked 50–100% of them with probability 0.45, team by team (one order per team of 3–25); households
and some user groups (below) share one order;
everyone else has their own order code (5 characters, pretix style). Pledgers and non-holders have no
order code.

Accounts (joined_at). Ticket holders: 55% returning accounts from earlier years (1–7 years back,
around those years' autumn ticket sales), 45% created when the ticket was bought (team orders: when
the ticket was assigned, within about two days of the order). Pledgers: 40% returning, 30% signed up
during the CFP / newsletter months before voting, 30% on the spot when first voting (a few minutes
before the first vote). Neither: 35% / 15% / 50%. Anyone whose account would postdate their first vote
gets an on-the-spot account instead. Speakers with accounts: returning (60%) or created during the
CFP (40%).

Ballots. With a = the size's average ballot (20 small, 10 medium and large), ballot types: drive-by
22% (1 vote 60%, 2 25%, 3 15%), casual 40% (geometric, mean 0.35 a), engaged 28% (log-normal, median
1.1 a, sigma 0.6), heavy 10% (log-normal, median min(0.25 T^0.8, 6 a), sigma 0.6); speakers who vote
are at least engaged. The non-drive-by lengths are then scaled so that organic ballots average 0.95 a
(loyalty and group votes add the rest), at most T - 1. Which talks:
each pick comes from the random voting list (uniform over talks), from a shared link or search
(weighted by visibility) or from the voter's own tracks (a track from the voter's taste, Dirichlet(0.6)
over tracks, then a talk by visibility), in proportions 0.15 / 0.70 / 0.15 for drive-by, 0.30 / 0.40 /
0.30 casual, 0.35 / 0.20 / 0.45 engaged and 0.60 / 0.10 / 0.30 heavy; no talk twice (ballots up to
T / 8 keep the first n distinct of 2n + 4 picks, longer ones are weighted draws without replacement).
Employees also add each talk by a colleague with probability 0.35 × min(1, sqrt(15 / the company's
voters)) (loyalty, +0.9 on the score below: in a large firm few know the speaker). Score: the
utility 0.8 q + 0.5 log(9 × taste of the talk's track) + N(0, 0.75) + the voter's leniency
(N(0.25, 0.5); drive-by +0.5), cut at -0.5 / 0.4 / 1.2 into 0..3; 7% of voters rate in extremes
(3 above 0.4, else 0) and 5% are enthusiasts (3, or 2 below -1).

Timing. Every voter has a time zone; sessions start at hours drawn from intensity(hour) = campaign
× daily rhythm (local: low at night, peaks late morning, after lunch and 20-22 h) × 0.65 on local
weekends. Campaign = 1 + 7 e^(-h/20) after the opening email (day 0, 10:00 UTC) + 3.5 e^(-h/14) after
the reminder (day 10, 10:00 UTC) + 5 e^(-h/16) after the last call (day 18, 10:00 UTC) + 2.5 e^(-h/10)
before the close + 1.0 e^(-h/6) after each of the conference's social posts (days 1, 7, 15). Sessions
per voter: 1 for up to 4 votes, else 1 + Binomial(min(5, n // 8), 0.35); votes are split in order
over sessions; within a session the gaps are log-normal (median 25 s, sigma 0.9, 3 s – 15 min).
Honest votes that would fall after the close are lost.

Honest correlated groups (honest_groups; detection should leave them their weight):
- feature_wave: each of the conference's 3 social posts features 3 talks (from the top 40% by
  visibility); 0.7% of voters per post are drive-by visitors who arrive from it (start = post time
  + log-normal delay, median 1.5 h, sigma 1.0), rate 1–3 of the featured talks (+0.5, they clicked
  because interested); their other (drive-by) votes follow in the same visit; 70% create their
  account on the spot; weights 80% 0, 15% 0.5, 5% 1.0. (Added in round 20, after the world was
  registered, drawing no random number and changing no vote: the organizers know what they posted,
  so each featured talk's TalkFacts.promoted_at holds the post times.)
- user_group_night: a local user group (1 / 3 / 8 per size) of 12–35 voters in one time zone
  reviews a shortlist of 8–15 talks together on one weekday evening (19:00–21:30 local, days 3–15),
  the shortlist including a talk by one of its members when there is one; each rates the
  shortlist with their own utility plus a shared group opinion per talk (N(0, 0.7)); 40% create
  their account that evening (their other votes then follow in that session; a speaker does not
  rate their own talk); 35% of the ticket holders among them are on one user-group order.
- class_assignment: a lecturer's class (1 / 2 / 5) of 12–35 students of one university rates at
  least 12 talks (12–25, by visibility) of one track in a 90-minute lab (a weekday 14:00 local,
  days 2–15), each with their own opinion; 70% of accounts created in the lab; weights 65% 0,
  30% 0.5, 5% 1.0 (individual tickets); university domain 80%, else free mail; the class is in
  UTC+1. The students are the university's voters, topped up with independents made its students.
  The 70% with new accounts cast their other votes right after the lab.
- company_interest: employees (up to 60) of a company with at least 8 voters (1 / 3 / 6 companies)
  genuinely into the track their company works in (its speakers' most common track): each rates
  3–10 more talks of it (+0.7) and each of their colleagues' talks (probability 0.5, +0.9), in one
  more session of their own.
- track_fans: voters (15–25 / 25–45 / 35–60; 1 / 2 / 3 groups) whose favourite track is a niche one
  (one of the 3 smallest) rate 60–100% of its talks (at most 40, +0.8) in one session of their own.
- household: 3% of voters live in households of 2–4 (one time zone, one taste, one order when
  ticket holders): they vote in one sitting one after the other (each 2–20 minutes after the
  previous) and all rate the same 4–10 talks (by visibility: what one shows the others), each with
  their own score; 80% of households with a ticket holder are all on one order. At most 8 households
  are listed.
- team_booking: team orders (the 6 largest of at least 3 are listed; members vote on their own); the group's talks
  are those rated by at least 30% of the members (at least 2).
- voting_speakers: every speaker with a voting account who is in no bloc; talks: their talks. (Other
  groups and blocs never take speakers, but for the speaker cartel.)

Planted blocs
-------------
SIZES[size].blocs blocs (10 / 40 / 120): every kind once, the rest drawn with weights 2 (coworker_ring),
1 (shared_order), 2 (friends_burst), 1.5 (friends_spread), 1.5 (sockpuppets), 1 (rival_sinkers),
1 (sleeper_accounts), 1 (split_booking), 0.7 (speaker_cartel). Each bloc targets a talk nobody else
targeted; support blocs push a talk ranked between the top 8% and 45% by quality (it would not get in
on its own, but is not hopeless); opposing blocs sink talks in the top 10% by quality (rival_sinkers:
the strongest of a track). Sizes are log-uniform in each kind's range, 3 to 40. Existing voters who
join a bloc keep their own honest ballot; their bloc votes (and any deliberate padding) are planted
and replace their honest vote on the same talk. Accounts made for the bloc are new voters; all their
votes are planted. Existing members are never taken from listed honest groups, other blocs or
speakers (but for the cartel's speakers). "Cover" votes are drawn by visibility with scores from the
honest score model (a random honest voter's taste and leniency).
- coworker_ring (support, 6–40): the speaker's company; a message on the internal chat on a weekday
  10:00 company time (days 1–16). Up to 60% of the company's voters join, new accounts fill up the
  rest (in the company's most common time zone; 40% created between the message and their vote,
  the others returning; work mail 60%, company field 50%). Score 3 (90%) or 2 on the talk, median
  5 h after the message (log-normal sigma 0.8, at most 3 days), moved into the next weekday work
  hours (08–18 local); new accounts add 0–4 cover votes. Weights 55% ticket (the team order when there is one),
  25% pledge, 20% none.
- shared_order (support, 5–25): one order of 5–25 tickets (a training firm or community org around
  the speaker; the org is the speaker's employer for half of the members, none for the rest). All
  weight 1.0, one order code, all new accounts created within 3 days of the order (made 20–90 days
  before voting), one time zone; org domain 40%, else free mail; org name in the company field 30%;
  each rates the talk 3 and 2–8 cover talks, in their own ordinary session within 4 days from a
  start day.
- friends_burst (support 75%, oppose 25% as a pile-on): the speaker's (or, oppose, a critic's) social
  post at a local evening (60%, 20:00) or lunch (12:30), days 0–19; 8–40 friends, 70% new
  on-the-spot accounts (time zones of the whole audience), 30% existing voters. Votes: median 40 min
  after the post (log-normal sigma 1.0); score 3 (oppose: 0) on the talk; half the new accounts vote
  nothing else, the rest add 1–3 cover votes (existing voters' own ballots are their cover). New
  accounts: free mail 85%, else a random company's domain; weights 75% none, 20% pledge, 5% ticket.
- friends_spread (support, 6–35): the speaker asks friends one by one over two weeks; 50% existing
  voters, 50% new accounts; each votes in an ordinary session (the honest time model) from a start
  day (0–7) on, within 14 days; score 3 (85%) or 2; new accounts (on the spot) add 2–10 cover votes.
  New accounts' weights 25% ticket / 35% pledge / 40% none.
- sockpuppets (support 65%, oppose 35%; 3–12 accounts of one person): accounts created 2–20 min
  apart on one day (half the same day as voting, half 1–10 days earlier), all distinct free-mail
  addresses (60% one provider); 70% pledge, 30% none; half the time the person's own real account
  votes the same ballot too. A template ballot of 4–15 talks: the target 3 (oppose: the target and
  1–2 rivals in its track 0) and cover talks; each account copies it, dropping a cover vote with
  probability 0.1 and moving a cover score by one with 0.1. Accounts vote one after the other
  (1–15 min apart, votes 10 s apart in median) from 19–22 h local on one evening, or (30%) over 2–4
  evenings, never before the last account exists.
Own kinds (a motivated adversary who knows something is watched):
- rival_sinkers (oppose, 4–20): friends and colleagues of a speaker rate the 2–4 strongest rival
  talks of that speaker's track 0, in ordinary sessions within a week, 70% existing voters (their
  own ballots stay as cover), 30% new accounts with 3–8 cover votes (free mail 80%, else a random
  company's domain; weights 40% ticket / 30% pledge / 30% none).
- sleeper_accounts (evasive support, 5–25): one operator prepares accounts 3–10 weeks before voting,
  at varied hours over several days, distinct free-mail providers, 80% pledged at creation (0.5),
  20% none; during voting each account votes in one or two (50/50) ordinary sessions of the
  operator's time zone anywhere in the window, the target 3 placed at a random position among 8–25
  cover votes.
- split_booking (evasive support, 6–30): coworkers of the speaker who know orders and domains are
  watched: each buys their own ticket at a different time (60%) or pledges (25%) or neither (15%),
  free mail 90%, company field left empty 90%; they vote over 5–8 days in ordinary sessions,
  the target 3 (85%) or 2 plus 3–12 deliberate cover votes. Up to half are existing voters of the
  company, the rest new accounts (ticket holders created at purchase; the others returning from
  earlier years or signed up 1–150 days before voting).
- speaker_cartel (evasive support, 6–24): 3–5 voting speakers of talks in different tracks agree to
  rate each other's talks; each brings 1–4 friends (existing voters; 6–24 members in all, at least
  the speakers); every member rates every
  cartel talk 3 (85%) or 2 (a speaker skips their own), in their ordinary sessions across the
  window. The bloc's boosted talk is the cartel talk of lowest quality; its talk_ids are all cartel talks.

Ground truth: `planted` per vote as above; `honest` = not planted and cast by a voter of the honest
conference (id <= SIZES[size].voters); `colleague` = the voter's true employer (known even when the
facts hide it) employs one of the talk's speakers.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.ballots.domain.blocs_input import TalkFacts, VoterFacts, VoteScale, bloc_input_build
from bench.blocs_synthetic import SIZES, PlantedBloc, SyntheticConference
from confvote.free_mail import FREE_MAIL_DOMAINS

KINDS = (
    "coworker_ring",
    "shared_order",
    "friends_burst",
    "friends_spread",
    "sockpuppets",
    "rival_sinkers",
    "sleeper_accounts",
    "split_booking",
    "speaker_cartel",
)
KIND_WEIGHTS = (2.0, 1.0, 2.0, 1.5, 1.5, 1.0, 1.0, 1.0, 0.7)
KIND_SIZES = {
    "coworker_ring": (6, 40),
    "shared_order": (5, 25),
    "friends_burst": (8, 40),
    "friends_spread": (6, 35),
    "sockpuppets": (3, 12),
    "rival_sinkers": (4, 20),
    "sleeper_accounts": (5, 25),
    "split_booking": (6, 30),
    "speaker_cartel": (6, 24),
}
HONEST_KINDS = (
    "feature_wave",
    "user_group_night",
    "class_assignment",
    "company_interest",
    "track_fans",
    "household",
    "team_booking",
    "voting_speakers",
)

HOUR = 3600
DAY = 24 * HOUR
DAYS = 21
H = DAYS * 24
OPENS = int(dt.datetime(2027, 1, 18, 9, tzinfo=dt.UTC).timestamp())  # a Monday
CLOSES = OPENS + DAYS * DAY
SALES_OPEN = int(dt.datetime(2026, 10, 1, 9, tzinfo=dt.UTC).timestamp())
OPEN_EMAIL_H, REMINDER_H, LAST_CALL_H = 1, 10 * 24 + 1, 18 * 24 + 1
POST_H = (1 * 24 + 9, 7 * 24 + 3, 15 * 24 + 7)  # 18:00, 12:00, 16:00 UTC

TRACKS = (
    "web",
    "data & ML",
    "core Python",
    "infrastructure",
    "security",
    "education & community",
    "science",
    "embedded & hardware",
    "beginners",
)
K = len(TRACKS)
TZ_OFFSETS = np.array([1, 0, -5, -8, 5.5, -3, 8, 9, 2, 11])
TZ_SHARES = np.array([38, 12, 12, 7, 8, 5, 6, 3, 5, 4], dtype=float)
RHYTHM = np.array(
    [
        0.25,
        0.12,
        0.06,
        0.04,
        0.04,
        0.08,
        0.25,
        0.6,
        1.0,
        1.3,
        1.35,
        1.3,
        1.45,
        1.4,
        1.2,
        1.15,
        1.1,
        1.0,
        1.0,
        1.2,
        1.4,
        1.35,
        1.0,
        0.6,
    ]
)
FREE = (
    "gmail.com",
    "outlook.com",
    "hotmail.com",
    "yahoo.com",
    "gmx.de",
    "web.de",
    "proton.me",
    "icloud.com",
    "posteo.de",
    "mailbox.org",
    "fastmail.com",
    "qq.com",
    "yandex.ru",
)
FREE_SHARES = np.array([45, 10, 5, 5, 7, 6, 6, 5, 3, 3, 2, 2, 1], dtype=float)
SYLLABLES = [
    "ka",
    "lo",
    "ri",
    "ven",
    "tar",
    "mi",
    "so",
    "dex",
    "quo",
    "ra",
    "nel",
    "fi",
    "bra",
    "zu",
    "mon",
    "tel",
    "ark",
    "vi",
    "sen",
    "dor",
    "pa",
    "lum",
    "gre",
    "to",
    "hex",
]
TLDS = (".com", ".io", ".de", ".co.uk", ".net", ".ai", ".nl", ".fr")
TYPES = ("drive-by", "casual", "engaged", "heavy")
MIX = np.array([[0.15, 0.70, 0.15], [0.30, 0.40, 0.30], [0.35, 0.20, 0.45], [0.60, 0.10, 0.30]])


def _name(i: int, n_syll: int = 3) -> str:
    parts = []
    for _ in range(n_syll):
        parts.append(SYLLABLES[i % len(SYLLABLES)])
        i //= len(SYLLABLES)
    return "".join(parts)


def _order_code(i: int) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    x = (i * 916_129 + 40_503) % (32**5)  # an odd multiplier: a bijection on 32^5, so codes are unique
    return "".join(alphabet[(x >> (5 * k)) & 31] for k in range(5))


@dataclass
class World:
    """The honest conference as arrays (0-based positions), and what planting adds."""

    V: int
    T: int
    track: np.ndarray
    quality: np.ndarray
    visibility: np.ndarray
    talk_speakers: list[list[int]]  # speaker person ids per talk
    talk_domains: list[tuple[str, ...]]
    talk_company_names: list[tuple[str, ...]]
    speaker_company: list[set[int]]  # per talk, the true employers of its speakers
    speaker_voter: list[tuple[int, ...]]  # per talk, voter positions of speakers who vote
    # per voter (honest voters first; planting appends)
    weight: list[float]
    order: list[str | None]
    domain: list[str]
    company_field: list[str | None]
    company: list[int]  # true employer, -1 none
    tz: list[int]  # index into TZ_OFFSETS
    joined: list[float]
    # votes (honest first); priority: 0 organic, 1 honest group, 2 planted
    v: list[np.ndarray] = field(default_factory=list)
    t: list[np.ndarray] = field(default_factory=list)
    s: list[np.ndarray] = field(default_factory=list)
    at: list[np.ndarray] = field(default_factory=list)
    prio: list[np.ndarray] = field(default_factory=list)
    taste: np.ndarray | None = None
    leniency: np.ndarray | None = None
    tz_index: np.ndarray | None = None
    cdf: np.ndarray | None = None  # per time-zone index, cumulative session intensity over the H hours
    company_names: list[str] = field(default_factory=list)
    company_domains: list[str] = field(default_factory=list)
    company_orders: dict[int, str] = field(default_factory=dict)
    used: set[int] = field(default_factory=set)  # voters in listed honest groups
    honest_groups: list[PlantedBloc] = field(default_factory=list)
    n_orders: int = 0
    retime: dict[int, int] = field(default_factory=dict)  # voter -> when their organic votes start instead
    spot: set[int] = field(default_factory=set)  # voters whose account is made just before their first vote
    group_order: dict[int, str] = field(default_factory=dict)  # voter -> key of a shared order
    in_bloc: set[int] = field(default_factory=set)
    extras: dict[str, object] = field(default_factory=dict)
    # talk -> when the conference's social posts featured it (the organizers know what they posted)
    promoted: dict[int, list[float]] = field(default_factory=dict)
    # what the honest draw leaves for the groups and the planting
    btype: Any = None
    style: Any = None
    by_company: Any = None
    by_uni: Any = None
    uni: Any = None
    uni_domains: Any = None
    occ: Any = None
    cls: Any = None
    free_pick: Any = None
    work_habit: Any = None
    speaker_voters: Any = None
    comp_talks: Any = None
    households: Any = None
    starts: Any = None

    def add(self, v, t, s, at, prio) -> None:
        n = len(np.atleast_1d(v))
        self.v.append(np.asarray(v, dtype=np.int64).reshape(-1))
        self.t.append(np.asarray(t, dtype=np.int64).reshape(-1))
        self.s.append(np.clip(np.asarray(s, dtype=np.int64).reshape(-1), 0, 3))
        at = np.maximum(np.asarray(at, dtype=np.int64).reshape(-1), OPENS)
        self.at.append(np.minimum(at, CLOSES - 1) if prio == 2 else at)  # honest votes after the close are lost
        self.prio.append(np.full(n, prio, dtype=np.int8))

    def new_order(self) -> str:
        self.n_orders += 1
        return _order_code(self.n_orders)

    def new_voter(self, weight, order, domain, company_field, company, tz, joined) -> int:
        self.weight.append(float(weight))
        self.order.append(order)
        self.domain.append(domain)
        self.company_field.append(company_field)
        self.company.append(int(company))
        self.tz.append(int(tz))
        self.joined.append(float(joined))
        return len(self.weight) - 1


def _session_cdf() -> np.ndarray:
    """Per time zone, the cumulative intensity of starting a voting session in each hour of the window."""
    h = np.arange(H, dtype=float)
    camp = np.ones(H)
    for start, amp, tau in ((OPEN_EMAIL_H, 7.0, 20.0), (REMINDER_H, 3.5, 14.0), (LAST_CALL_H, 5.0, 16.0)):
        camp += np.where(h >= start, amp * np.exp(-(h - start) / tau), 0.0)
    camp += 2.5 * np.exp(-(H - 1 - h) / 10.0)
    for p in POST_H:
        camp += np.where(h >= p, 1.0 * np.exp(-(h - p) / 6.0), 0.0)
    cdfs = []
    for off in TZ_OFFSETS:
        local = h + 9 + off  # the window opens 09:00 UTC on a Monday
        hour_of_day = np.floor(local).astype(int) % 24
        weekday = (np.floor(local / 24).astype(int)) % 7
        w = camp * RHYTHM[hour_of_day] * np.where(weekday >= 5, 0.65, 1.0)
        c = np.concatenate([[0.0], np.cumsum(w)])
        cdfs.append(c / c[-1])
    return np.array(cdfs)


def _session_starts(rng, cdf, tz_idx, lo_h=None, hi_h=None) -> np.ndarray:
    """Session start times (epoch seconds) for voters in time zones `tz_idx`, between hours lo_h and hi_h."""
    tz_idx = np.asarray(tz_idx, dtype=np.int64)
    n = len(tz_idx)
    lo = np.zeros(n, dtype=np.int64) if lo_h is None else np.broadcast_to(np.asarray(lo_h, dtype=np.int64), n)
    hi = np.full(n, H, dtype=np.int64) if hi_h is None else np.broadcast_to(np.asarray(hi_h, dtype=np.int64), n)
    lo, hi = np.clip(lo, 0, H - 1), np.clip(hi, 1, H)
    hi = np.maximum(hi, lo + 1)
    a, b = cdf[tz_idx, lo], cdf[tz_idx, hi]
    u = a + rng.random(n) * (b - a)
    hour = np.empty(n, dtype=np.int64)
    for z in np.unique(tz_idx):
        m = tz_idx == z
        hour[m] = np.searchsorted(cdf[z], u[m], side="right") - 1
    hour = np.clip(hour, lo, hi - 1)
    return OPENS + hour * HOUR + rng.integers(0, HOUR, size=n)


def _gaps(rng, n) -> np.ndarray:
    return np.clip(rng.lognormal(math.log(25), 0.9, size=n), 3, 900).astype(np.int64)


def _score(rng, w: World, voters, talks, extra=0.0, style=None) -> np.ndarray:
    """The honest score model: utility cut into 0..3 (extremes and enthusiasts by `style`)."""
    voters, talks = np.asarray(voters), np.asarray(talks)
    aff = 0.5 * np.log(9 * w.taste[voters, w.track[talks]] + 1e-3)
    u = 0.8 * w.quality[talks] + aff + rng.normal(0, 0.75, size=len(talks)) + w.leniency[voters] + extra
    score = np.digitize(u, (-0.5, 0.4, 1.2))
    if style is not None:
        st = style[voters]
        score = np.where(st == 1, np.where(u > 0.4, 3, 0), score)
        score = np.where(st == 2, np.where(u < -1, 2, 3), score)
    return score


def _pick_by_visibility(rng, w: World, n, among=None, exclude=()) -> np.ndarray:
    """n distinct talks drawn by visibility (from `among` when given)."""
    pool = np.arange(w.T) if among is None else np.asarray(among)
    if len(exclude):
        pool = pool[~np.isin(pool, list(exclude))]
    n = min(n, len(pool))
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    keys = np.log(w.visibility[pool]) + rng.gumbel(size=len(pool))
    return pool[np.argsort(-keys)[:n]]


def _honest(spec, rng) -> World:
    V, T = spec.voters, spec.talks
    # Talks.
    shares = rng.dirichlet(np.full(K, 2.0))
    sizes = np.maximum(3, np.round(shares * T)).astype(int)
    while sizes.sum() > T:
        sizes[np.argmax(sizes)] -= 1
    while sizes.sum() < T:
        sizes[np.argmin(sizes)] += 1
    track = rng.permutation(np.repeat(np.arange(K), sizes))
    quality = rng.normal(0, 1, T)
    hype = rng.normal(0, 0.35, K)
    visibility = np.exp(0.9 * quality + 0.8 * rng.normal(0, 1, T) + hype[track])
    visibility[rng.random(T) < 0.02] *= 4

    # Voters.
    tz_index = rng.choice(len(TZ_OFFSETS), size=V, p=TZ_SHARES / TZ_SHARES.sum())
    occ = rng.choice(3, size=V, p=[0.60, 0.09, 0.31])  # employed, student/academic, independent
    n_comp = max(20, V // 5)
    cw = (np.arange(n_comp) + 1.0) ** -0.75
    company = np.where(occ == 0, rng.choice(n_comp, size=V, p=cw / cw.sum()), -1)
    n_uni = {1_000: 3, 20_000: 10, 100_000: 30}.get(V, max(3, V // 3000))
    uw = (np.arange(n_uni) + 1.0) ** -1.0
    uni = np.where(occ == 1, rng.choice(n_uni, size=V, p=uw / uw.sum()), -1)
    n_syll = 3 if n_comp <= len(SYLLABLES) ** 3 // 2 else 4
    comp_names = [_name(int(i), n_syll).capitalize() for i in rng.permutation(len(SYLLABLES) ** n_syll)[:n_comp]]
    comp_tld = rng.choice(len(TLDS), size=n_comp, p=[0.4, 0.15, 0.15, 0.08, 0.08, 0.05, 0.05, 0.04])
    comp_tld[:10] = 0
    comp_domains = [f"{comp_names[c].lower()}{TLDS[comp_tld[c]]}" for c in range(n_comp)]
    uni_names = [_name(int(i), 2).capitalize() for i in rng.permutation(len(SYLLABLES) ** 2)[:n_uni]]
    uni_domains = [f"uni-{u.lower()}.de" if i % 2 else f"{u.lower()}.ac.uk" for i, u in enumerate(uni_names)]
    work_habit = rng.beta(2, 3, size=n_comp)
    free_pick = rng.choice(len(FREE), size=V, p=FREE_SHARES / FREE_SHARES.sum())
    personal = rng.random(V) < 0.04
    r_mail = rng.random(V)
    domain = []
    company_field: list[str | None] = []
    variant = rng.choice(5, size=V, p=[0.6, 0.15, 0.1, 0.1, 0.05])
    fills = rng.random(V) < 0.35
    for i in range(V):
        if occ[i] == 0 and r_mail[i] < work_habit[company[i]]:
            domain.append(comp_domains[company[i]])
        elif occ[i] == 1 and r_mail[i] < 0.65:
            domain.append(uni_domains[uni[i]])
        elif personal[i]:
            domain.append(f"{_name(i * 7 + 3, 3)}.{('dev', 'me', 'net')[i % 3]}")
        else:
            domain.append(FREE[free_pick[i]])
        company_field.append(_spell(comp_names[company[i]], variant[i]) if occ[i] == 0 and fills[i] else None)

    cls = rng.choice(3, size=V, p=[0.40, 0.22, 0.38])  # ticket, pledge, neither
    weight = np.array([1.0, 0.5, 0.0])[cls]
    taste = rng.dirichlet(np.full(K, 0.6), size=V)
    leniency = rng.normal(0.25, 0.5, V)
    style = rng.choice(3, size=V, p=[0.88, 0.07, 0.05])
    cdf = _session_cdf()
    # Households: one time zone, one taste.
    households: list[list[int]] = []
    pool = rng.permutation(V)
    at_ = 0
    while at_ < int(0.03 * V):
        k = int(rng.choice([2, 3, 4], p=[0.6, 0.3, 0.1]))
        members = [int(x) for x in pool[at_ : at_ + k]]
        at_ += k
        tz_index[members] = tz_index[members[0]]
        taste[members] = taste[members[0]]
        households.append(members)

    w = World(
        V=V,
        T=T,
        track=track,
        quality=quality,
        visibility=visibility,
        talk_speakers=[],
        talk_domains=[],
        talk_company_names=[],
        speaker_company=[],
        speaker_voter=[],
        weight=weight.tolist(),
        order=[None] * V,
        domain=domain,
        company_field=company_field,
        company=company.tolist(),
        tz=tz_index.tolist(),
        joined=[0.0] * V,
        taste=taste,
        leniency=leniency,
        tz_index=tz_index,
        cdf=cdf,
        company_names=comp_names,
        company_domains=comp_domains,
    )

    # Speakers.
    by_company: dict[int, list[int]] = {}
    for i in np.flatnonzero(company >= 0):
        by_company.setdefault(int(company[i]), []).append(int(i))
    by_uni: dict[int, list[int]] = {}
    for i in np.flatnonzero(uni >= 0):
        by_uni.setdefault(int(uni[i]), []).append(int(i))
    independents = [int(i) for i in rng.permutation(np.flatnonzero(occ == 2))]
    speaker_voters: set[int] = set()
    persons: list[tuple[int, int, str, str | None]] = []  # (company, voter or -1, domain, company name)
    cw_s = cw**1.2
    n_spk = rng.choice([1, 2, 3], size=T, p=[0.82, 0.15, 0.03])
    for t in range(T):
        spk = []
        for _ in range(n_spk[t]):
            if persons and rng.random() < 0.05:
                spk.append(int(rng.integers(len(persons))))
                continue
            kind = rng.choice(3, p=[0.68, 0.10, 0.22])
            votes = rng.random() < 0.45
            voter, comp, dom, name = -1, -1, "", None
            if kind == 0:
                comp = int(rng.choice(n_comp, p=cw_s / cw_s.sum()))
                pool = [x for x in by_company.get(comp, []) if x not in speaker_voters]
                if votes and pool:
                    voter = pool[int(rng.integers(len(pool)))]
                dom = (
                    comp_domains[comp]
                    if rng.random() < 0.55
                    else FREE[int(rng.choice(len(FREE), p=FREE_SHARES / FREE_SHARES.sum()))]
                )
                name = _spell(comp_names[comp], int(rng.choice(5, p=[0.6, 0.15, 0.1, 0.1, 0.05])))
                name = name if rng.random() < 0.75 else None
            elif kind == 1:
                u = int(rng.choice(n_uni, p=uw / uw.sum()))
                pool = [x for x in by_uni.get(u, []) if x not in speaker_voters]
                if votes and pool:
                    voter = pool[int(rng.integers(len(pool)))]
                dom = uni_domains[u] if rng.random() < 0.75 else "gmail.com"
            else:
                if votes:
                    while independents and independents[-1] in speaker_voters:
                        independents.pop()
                    if independents:
                        voter = independents.pop()
                dom = f"{_name(7919 * (t + 1) + len(persons), 3)}.dev" if rng.random() < 0.4 else "gmail.com"
            if voter >= 0:
                speaker_voters.add(voter)
                dom = domain[voter]
                name = company_field[voter] if company_field[voter] else name
            persons.append((comp, voter, dom, name))
            spk.append(len(persons) - 1)
        spk = list(dict.fromkeys(spk))
        w.talk_speakers.append(spk)
        w.talk_domains.append(tuple(dict.fromkeys(persons[p][2] for p in spk)))
        w.talk_company_names.append(tuple(dict.fromkeys(persons[p][3] for p in spk if persons[p][3])))
        w.speaker_company.append({persons[p][0] for p in spk if persons[p][0] >= 0})
        w.speaker_voter.append(tuple(persons[p][1] for p in spk if persons[p][1] >= 0))
    own_talk = np.array([(v, t) for t in range(T) for v in w.speaker_voter[t]], dtype=np.int64).reshape(-1, 2)

    # Ballot lengths.
    btype = rng.choice(4, size=V, p=[0.22, 0.40, 0.28, 0.10])
    sv = np.array(sorted(speaker_voters), dtype=np.int64)
    btype[sv] = np.maximum(btype[sv], 2)
    n = np.zeros(V)
    d = btype == 0
    n[d] = rng.choice([1, 2, 3], size=d.sum(), p=[0.6, 0.25, 0.15])
    c = btype == 1
    target = spec.votes / V  # the average ballot: 20 small, 10 medium and large
    n[c] = rng.geometric(1 / (0.35 * target), size=c.sum())
    e = btype == 2
    n[e] = rng.lognormal(math.log(1.1 * target), 0.6, size=e.sum())
    hv = btype == 3
    n[hv] = rng.lognormal(math.log(min(0.25 * T**0.8, 6 * target)), 0.6, size=hv.sum())
    # The colleague-loyalty and group votes add a little; aim the organic ballots at 95% of the average.
    scale = (0.95 * target * V - n[d].sum()) / n[~d].sum()
    n[~d] *= scale
    n = np.clip(np.round(n), 1, T - 1).astype(np.int64)

    # Which talks.
    order_t = np.argsort(track, kind="stable")
    vis_sorted = visibility[order_t]
    cum_track = np.cumsum(vis_sorted)
    seg_start = np.concatenate([[0], np.cumsum(np.bincount(track, minlength=K))])
    cum0 = np.concatenate([[0.0], cum_track])
    vis_cdf = np.cumsum(visibility) / visibility.sum()
    taste_cdf = np.cumsum(taste, axis=1)
    short = n <= max(3, T // 8)
    sv_ids = np.flatnonzero(short)
    m = 2 * n[sv_ids] + 4
    rep = np.repeat(sv_ids, m)
    comp_pick = (rng.random(len(rep))[:, None] > np.cumsum(MIX[btype[rep]], axis=1)).sum(axis=1)
    talks = rng.integers(0, T, size=len(rep))
    pop = comp_pick == 1
    talks[pop] = np.minimum(np.searchsorted(vis_cdf, rng.random(pop.sum()), side="right"), T - 1)
    tr = comp_pick == 2
    r = rng.random(tr.sum())
    chosen_track = np.minimum((r[:, None] > taste_cdf[rep[tr]]).sum(axis=1), K - 1)
    lo, hi = cum0[seg_start[chosen_track]], cum0[seg_start[chosen_track + 1]]
    pos = np.searchsorted(cum_track, lo + rng.random(tr.sum()) * (hi - lo), side="right")
    pos = np.clip(pos, seg_start[chosen_track], seg_start[chosen_track + 1] - 1)
    talks[tr] = order_t[pos]
    key = rep * T + talks
    key, first = np.unique(key, return_index=True)
    pri = rng.random(len(key))
    vv, tt = key // T, key % T
    o = np.lexsort((pri, vv))
    vv, tt = vv[o], tt[o]
    start = np.searchsorted(vv, vv, side="left")
    rank = np.arange(len(vv)) - start
    keep = rank < n[vv]
    votes_v, votes_t = [vv[keep]], [tt[keep]]
    long_ids = np.flatnonzero(~short)
    share_all = visibility / visibility.sum()
    in_track = visibility / np.bincount(track, weights=visibility, minlength=K)[track]
    for chunk in np.array_split(long_ids, max(1, len(long_ids) // 500)):
        if not len(chunk):
            continue
        mix = MIX[btype[chunk]]
        wgt = (
            mix[:, :1] / T + mix[:, 1:2] * share_all[None, :] + mix[:, 2:3] * taste[chunk][:, track] * in_track[None, :]
        )
        keys = np.log(wgt) + rng.gumbel(size=wgt.shape)
        ranked = np.argsort(-keys, axis=1)
        take = np.arange(T)[None, :] < n[chunk][:, None]
        votes_v.append(np.broadcast_to(chunk[:, None], ranked.shape)[take])
        votes_t.append(ranked[take])
    bv, bt = np.concatenate(votes_v), np.concatenate(votes_t)
    # Employees add their colleagues' talks (loyalty).
    comp_talks: dict[int, list[int]] = {}
    for t in range(T):
        for cc in w.speaker_company[t]:
            comp_talks.setdefault(cc, []).append(t)
    lv, lt = [], []
    for cc, ts in comp_talks.items():
        staff = by_company.get(cc, [])
        p_loyal = 0.35 * min(1.0, math.sqrt(15 / max(1, len(staff))))  # in a large firm few know the speaker
        for x in staff:
            for t in ts:
                if rng.random() < p_loyal:
                    lv.append(x)
                    lt.append(t)
    loyal_key = np.array(lv, dtype=np.int64) * T + np.array(lt, dtype=np.int64)
    bv, bt = np.concatenate([bv, np.array(lv, dtype=np.int64)]), np.concatenate([bt, np.array(lt, dtype=np.int64)])
    key, _idx = np.unique(bv * T + bt, return_index=True)
    bv, bt = key // T, key % T
    if len(own_talk):
        mine = np.isin(key, own_talk[:, 0] * T + own_talk[:, 1])
        bv, bt, key = bv[~mine], bt[~mine], key[~mine]
    loyal = np.isin(key, loyal_key)
    extra = np.where(btype[bv] == 0, 0.5, 0.0) + np.where(loyal, 0.9, 0.0)
    score = _score(rng, w, bv, bt, extra=extra, style=style)

    # When: sessions.
    o = np.lexsort((rng.random(len(bv)), bv))
    bv, bt, score = bv[o], bt[o], score[o]
    n_final = np.bincount(bv, minlength=V)
    first = np.concatenate([[0], np.cumsum(n_final)])[:-1]
    rank = np.arange(len(bv)) - first[bv]
    n_sess = np.where(n_final <= 4, 1, 1 + rng.binomial(np.minimum(5, n_final // 8), 0.35))
    sess = rank * n_sess[bv] // np.maximum(1, n_final[bv])
    max_s = int(n_sess.max())
    drawn = _session_starts(rng, cdf, np.repeat(tz_index, max_s)).reshape(V, max_s)
    # each voter's own sessions in time order (draws beyond their number of sessions are dropped)
    drawn = np.where(np.arange(max_s)[None, :] < n_sess[:, None], drawn, np.iinfo(np.int64).max)
    starts = np.sort(drawn, axis=1)
    gaps = _gaps(rng, len(bv))
    cs = np.cumsum(gaps)
    sess_key = bv * (max_s + 1) + sess
    new_sess = np.concatenate([[True], sess_key[1:] != sess_key[:-1]])
    base = np.maximum.accumulate(np.where(new_sess, np.arange(len(bv)), 0))
    within = cs - cs[base]
    at = starts[bv, sess] + within
    w.add(bv, bt, score, at, 0)
    w.btype = btype
    w.style = style
    w.by_company = by_company
    w.by_uni = by_uni
    w.uni = uni
    w.uni_domains = uni_domains
    w.occ = occ
    w.cls = cls
    w.free_pick = free_pick
    w.work_habit = work_habit
    w.speaker_voters = speaker_voters
    w.comp_talks = comp_talks
    w.households = households
    w.starts = starts
    return w


def _spell(name: str, variant: int) -> str:
    return (name, f"{name} GmbH" if len(name) % 2 else f"{name} Inc.", name.lower(), f"{name} Labs", name.upper())[
        variant
    ]


def _free(rng) -> str:
    return FREE[int(rng.choice(len(FREE), p=FREE_SHARES / FREE_SHARES.sum()))]


def _session_votes(rng, w: World, voter, talks, start, fast=False) -> np.ndarray:
    """Times for one voter rating `talks` in one sitting from `start`."""
    n = len(talks)
    gaps = np.clip(rng.lognormal(math.log(10 if fast else 25), 0.7 if fast else 0.9, size=n), 3, 900)
    return (start + np.cumsum(gaps) - gaps[0]).astype(np.int64)


def _ordinary_start(rng, w: World, voter_tz: int, lo_h=0, hi_h=H) -> int:
    return int(_session_starts(rng, w.cdf, [voter_tz], [lo_h], [hi_h])[0])


def _log_uniform(rng, lo, hi) -> int:
    return round(math.exp(rng.uniform(math.log(lo), math.log(hi + 0.49))))


def _local_hour_to_at(day: int, local_hour: float, tz: int) -> int:
    """Epoch seconds of `local_hour` on day `day` of the window (day 0 = the Monday voting opens) in zone tz."""
    midnight_utc = OPENS - 9 * HOUR + day * DAY
    return int(midnight_utc + (local_hour - TZ_OFFSETS[tz]) * HOUR)


def _free_voters(rng, w: World, candidates, k) -> list[int]:
    """Up to k honest voters from `candidates` who are in no listed group, no bloc and give no talk."""
    cand = [int(x) for x in candidates if x not in w.used and x not in w.in_bloc and x not in w.speaker_voters]
    if not cand:
        return []
    return [cand[i] for i in rng.permutation(len(cand))[:k]]


def _groups(rng, w: World, size: str) -> None:
    """The honest correlated groups (module docstring), added to the honest votes."""
    V, T = w.V, w.T
    counts = {"small": (1, 1, 1, 1), "medium": (3, 2, 3, 2), "large": (8, 5, 6, 4)}[size]
    n_ug, n_class, n_comp_int, n_fans = counts
    vis_rank = np.argsort(-w.visibility)

    # feature waves
    drive_by = [int(x) for x in np.flatnonzero(w.btype == 0)]
    for p in POST_H:
        featured = rng.choice(vis_rank[: max(3, int(0.4 * T))], size=3, replace=False)
        for x in featured:  # recorded as a promotion (round 20): no random number, no vote changes
            w.promoted.setdefault(int(x), []).append(float(OPENS + p * HOUR))
        members = _free_voters(rng, w, drive_by, max(3, round(0.007 * V)))
        rated: set[int] = set()
        for v in members:
            k = int(rng.choice([1, 2, 3], p=[0.5, 0.3, 0.2]))
            talks = rng.choice(featured, size=k, replace=False)
            rated.update(int(t) for t in talks)
            start = OPENS + p * HOUR + int(np.clip(rng.lognormal(math.log(1.5 * HOUR), 1.0), 60, 3 * DAY))
            w.add(
                np.full(k, v),
                talks,
                _score(rng, w, np.full(k, v), talks, extra=1.0),
                _session_votes(rng, w, v, talks, start),
                1,
            )
            w.retime[v] = start + 400
            if rng.random() < 0.7:
                w.spot.add(v)
            w.cls[v] = int(rng.choice(3, p=[0.05, 0.15, 0.80]))
        w.used.update(members)
        if members:
            w.honest_groups.append(_group("feature_wave", members, sorted(rated)))

    # user-group nights
    tz_pref = np.array([0, 1, 2, 3, 8])
    for _ in range(n_ug):
        z = int(rng.choice(tz_pref, p=[0.5, 0.15, 0.15, 0.1, 0.1]))
        locals_ = np.flatnonzero(w.tz_index == z)
        k = _log_uniform(rng, 12, 35)
        own = [t for t in range(T) if any(w.tz_index[x] == z and x not in w.used for x in w.speaker_voter[t])]
        members = _free_voters(rng, w, locals_, k - (1 if own else 0))
        shortlist_n = int(rng.integers(8, 16))
        shortlist = []
        if own:
            t_own = own[int(rng.integers(len(own)))]
            speaker = next(x for x in w.speaker_voter[t_own] if w.tz_index[x] == z)
            shortlist.append(t_own)
            members.append(speaker)
        shortlist += [int(t) for t in _pick_by_visibility(rng, w, shortlist_n - len(shortlist), exclude=shortlist)]
        shortlist = np.array(shortlist)
        opinion = rng.normal(0, 0.7, len(shortlist))
        day = int(rng.integers(3, 16))
        while (day % 7) >= 5:
            day += 1
        evening = _local_hour_to_at(day, 19.0, z)
        order_key = f"ug{len(w.honest_groups)}"
        for v in members:
            mine = shortlist[[v not in w.speaker_voter[t] for t in shortlist]]
            start = evening + int(rng.integers(0, 150 * 60 - 60 * len(mine)))
            at = start + np.cumsum(rng.integers(40, 120, size=len(mine)))
            sel = np.isin(shortlist, mine)
            w.add(np.full(len(mine), v), mine, _score(rng, w, np.full(len(mine), v), mine, extra=opinion[sel]), at, 1)
            if rng.random() < 0.4 and v not in w.speaker_voters:
                w.extras.setdefault("joined_at", {})[v] = evening - int(rng.integers(0, 1800))
                w.retime[v] = start
            if w.cls[v] == 0 and rng.random() < 0.35:
                w.group_order[v] = order_key
        w.used.update(members)
        w.honest_groups.append(_group("user_group_night", members, shortlist.tolist()))

    # class assignments
    for _ in range(n_class):
        u = int(np.argmax(np.bincount(w.uni[w.uni >= 0], minlength=len(w.uni_domains))))
        if rng.random() < 0.5:
            u = int(rng.integers(len(w.uni_domains)))
        k = _log_uniform(rng, 12, 35)
        members = _free_voters(rng, w, np.flatnonzero(w.uni == u), k)
        if len(members) < k:
            more = _free_voters(rng, w, [x for x in np.flatnonzero(w.occ == 2) if x not in members], k - len(members))
            for x in more:
                w.occ[x], w.uni[x], w.company[x], w.company_field[x] = 1, u, -1, None
            members += more
        trk = int(rng.choice([1, 5, 6, 8]))
        day = int(rng.integers(2, 16))
        while (day % 7) >= 5:
            day += 1
        lab = _local_hour_to_at(day, 14.0, 0)
        rated: set[int] = set()
        for v in members:
            w.tz_index[v] = 0
            w.tz[v] = 0
            w.domain[v] = w.uni_domains[u] if rng.random() < 0.8 else _free(rng)
            w.cls[v] = int(rng.choice(3, p=[0.05, 0.30, 0.65]))
            n_t = int(rng.integers(12, 26))
            talks = _pick_by_visibility(rng, w, n_t, among=np.flatnonzero(w.track == trk))
            rated.update(int(t) for t in talks)
            start = lab + int(rng.integers(0, 1200))
            at = start + np.cumsum(rng.integers(20, 180, size=len(talks)))
            w.add(np.full(len(talks), v), talks, _score(rng, w, np.full(len(talks), v), talks), at, 1)
            if rng.random() < 0.7:
                w.extras.setdefault("joined_at", {})[v] = lab + int(rng.integers(0, 600))
                w.retime[v] = int(at[-1]) + 60
        w.used.update(members)
        w.honest_groups.append(_group("class_assignment", members, sorted(rated)))

    # company interest
    sizes = {c: len([x for x in vs if x not in w.used]) for c, vs in w.by_company.items()}
    big = [c for c, n in sizes.items() if n >= 8]
    for c in [big[i] for i in rng.permutation(len(big))[:n_comp_int]]:
        ct = w.comp_talks.get(c, [])
        trk = int(np.bincount(w.track[ct], minlength=K).argmax()) if ct else int(rng.integers(K))
        members = _free_voters(rng, w, w.by_company[c], 60)
        in_trk = np.flatnonzero(w.track == trk)
        rated: set[int] = set()
        for v in members:
            talks = list(_pick_by_visibility(rng, w, int(rng.integers(3, 11)), among=in_trk))
            talks += [t for t in ct if rng.random() < 0.5 and t not in talks]
            talks = np.array(talks, dtype=np.int64)
            extra = np.where(np.isin(talks, ct), 0.9, 0.7)
            rated.update(int(t) for t in talks)
            start = _ordinary_start(rng, w, int(w.tz_index[v]))
            w.add(
                np.full(len(talks), v),
                talks,
                _score(rng, w, np.full(len(talks), v), talks, extra=extra),
                _session_votes(rng, w, v, talks, start),
                1,
            )
        if members:
            w.used.update(members)
            w.honest_groups.append(_group("company_interest", members, sorted(rated)))

    # track fans
    track_sizes = np.bincount(w.track, minlength=K)
    niche = np.argsort(track_sizes)[:3]
    fav = np.argmax(w.taste, axis=1)
    scale_lo, scale_hi = {"small": (15, 25), "medium": (25, 45), "large": (35, 60)}[size]
    for trk in rng.choice(niche, size=min(n_fans, 3), replace=False):
        members = _free_voters(rng, w, np.flatnonzero(fav == trk), int(rng.integers(scale_lo, scale_hi + 1)))
        in_trk = np.flatnonzero(w.track == trk)
        rated = set()
        for v in members:
            n_t = min(40, max(1, round(rng.uniform(0.6, 1.0) * len(in_trk))))
            talks = _pick_by_visibility(rng, w, n_t, among=in_trk)
            rated.update(int(t) for t in talks)
            start = _ordinary_start(rng, w, int(w.tz_index[v]))
            w.add(
                np.full(len(talks), v),
                talks,
                _score(rng, w, np.full(len(talks), v), talks, extra=0.8),
                _session_votes(rng, w, v, talks, start),
                1,
            )
        if members:
            w.used.update(members)
            w.honest_groups.append(_group("track_fans", members, sorted(rated)))

    # households: one sitting, shared talks; one order when ticket holders
    listed = 0
    for hh in w.households:
        first = hh[0]
        shared = _pick_by_visibility(rng, w, int(rng.integers(4, 11)), exclude=())
        shared = shared[[not any(x in w.speaker_voter[t] for x in hh) for t in shared]]
        start = _ordinary_start(rng, w, int(w.tz_index[first]))
        for v in hh:
            at = _session_votes(rng, w, v, shared, start)
            w.add(np.full(len(shared), v), shared, _score(rng, w, np.full(len(shared), v), shared), at, 1)
            start = int(at[-1] if len(at) else start) + int(rng.integers(120, 1200))
        if any(w.cls[x] == 0 for x in hh) and rng.random() < 0.8:
            for x in hh:
                w.cls[x] = 0
                w.group_order[x] = f"hh{first}"
        if listed < 8 and not any(x in w.used for x in hh):
            w.honest_groups.append(_group("household", hh, shared.tolist()))
            listed += 1
            w.used.update(hh)


def _group(kind: str, members, talks) -> PlantedBloc:
    return PlantedBloc(
        kind=kind,
        direction="honest",
        talk_ids=tuple(sorted(int(t) + 1 for t in talks)),
        member_ids=tuple(sorted(int(v) + 1 for v in members)),
        boosted_talk=None,
    )


def _orders_and_accounts(rng, w: World) -> None:
    """Order codes (team orders, households, user groups, individual ones) and account creation times."""
    V = w.V
    w.weight[:V] = np.array([1.0, 0.5, 0.0])[w.cls].tolist()
    order_time: dict[str, int] = {}

    def sale_time() -> int:
        r = rng.random()
        if r < 0.35:
            return SALES_OPEN + int(rng.integers(0, 14 * DAY))
        if r < 0.85:
            return int(rng.integers(SALES_OPEN + 14 * DAY, CLOSES))
        return int(rng.integers(OPENS, CLOSES))

    keys: dict[str, str] = {}
    for v in range(V):
        if w.cls[v] != 0:
            continue
        key = w.group_order.get(v)
        if key is None:
            continue
        if key not in keys:
            keys[key] = w.new_order()
            order_time[keys[key]] = sale_time()
        w.order[v] = keys[key]
    for c, vs in sorted(w.by_company.items()):
        holders = [x for x in vs if w.cls[x] == 0 and w.order[x] is None]
        if len(holders) >= 3 and rng.random() < 0.45:
            take = rng.permutation(holders)[: max(2, round(rng.uniform(0.5, 1.0) * len(holders)))]
            # a large employer's people are booked team by team (3-25 a team)
            while len(take):
                k = int(rng.integers(3, 26))
                team, take = take[:k], take[k:]
                if len(team) < 2:
                    break
                code = w.new_order()
                order_time[code] = sale_time()
                w.company_orders.setdefault(c, code)
                for x in team:
                    w.order[int(x)] = code
    team_sizes: dict[str, int] = {}
    for v in range(V):
        if w.cls[v] == 0 and w.order[v] is None:
            w.order[v] = w.new_order()
            order_time[w.order[v]] = sale_time()
        elif w.order[v] is not None:
            team_sizes[w.order[v]] = team_sizes.get(w.order[v], 0) + 1

    overrides = w.extras.get("joined_at", {})
    r = rng.random(V)
    years = np.minimum(7, rng.geometric(0.4, size=V))
    returning = OPENS - years * 365 * DAY + rng.normal(-100, 30, size=V) * DAY
    for v in range(V):
        if v in overrides:
            w.joined[v] = float(overrides[v])
            continue
        if v in w.speaker_voters:
            w.joined[v] = float(returning[v] if r[v] < 0.6 else OPENS - rng.uniform(40, 90) * DAY)
            continue
        if v in w.spot:
            w.joined[v] = math.inf
            continue
        c = w.cls[v]
        if c == 0:
            if r[v] < 0.55:
                w.joined[v] = float(returning[v])
            else:
                team = team_sizes.get(w.order[v], 1) > 1
                w.joined[v] = float(order_time[w.order[v]] + (rng.uniform(0, 2 * DAY) if team else rng.uniform(0, 600)))
        else:
            a, b = (0.40, 0.70) if c == 1 else (0.35, 0.50)
            if r[v] < a:
                w.joined[v] = float(returning[v])
            elif r[v] < b:
                w.joined[v] = float(OPENS - rng.uniform(1, 150) * DAY)
            else:
                w.joined[v] = math.inf
    w.extras["team_sizes"] = team_sizes


@dataclass
class _Bloc:
    """A bloc under construction: its members and planted votes."""

    kind: str
    direction: str
    members: list[int] = field(default_factory=list)
    talks: set[int] = field(default_factory=set)
    boosted: int | None = None


def _plant(rng, w: World):
    """Plants the blocs (module docstring); returns (blocs, accounts made for them)."""
    n_blocs = SIZES_BY_VOTERS[w.V].blocs
    kinds = list(rng.permutation(KINDS))
    p = np.array(KIND_WEIGHTS) / sum(KIND_WEIGHTS)
    kinds += [KINDS[i] for i in rng.choice(len(KINDS), size=max(0, n_blocs - len(KINDS)), p=p)]
    kinds = kinds[:n_blocs]
    by_quality = np.argsort(-w.quality)
    T = w.T
    taken: set[int] = set()
    eligible = [int(t) for t in by_quality[int(0.08 * T) : int(0.45 * T)]]
    strong = [int(t) for t in by_quality[: max(3, int(0.10 * T))]]
    first_extra = len(w.weight)
    blocs = []
    for kind in kinds:
        b = PLANTERS[kind](rng, w, kind, eligible, strong, taken)
        if b is None or len(b.members) < 3:
            continue
        for v in b.members:
            w.in_bloc.add(v)
        if b.boosted is not None:
            taken.add(b.boosted)
        taken.update(b.talks if b.direction == "oppose" else ())
        blocs.append(
            PlantedBloc(
                kind=b.kind,
                direction=b.direction,
                talk_ids=tuple(sorted(t + 1 for t in b.talks)),
                member_ids=tuple(sorted(v + 1 for v in b.members)),
                boosted_talk=None if b.boosted is None else b.boosted + 1,
            )
        )
    return blocs, list(range(first_extra, len(w.weight)))


def _target(rng, pool, taken, want=None) -> int | None:
    cand = [t for t in pool if t not in taken and (want is None or want(t))]
    return cand[int(rng.integers(len(cand)))] if cand else None


def _new_account(rng, w: World, *, tz, weight_p, domain=None, company=-1, company_field=None, joined=math.inf):
    """A voter made for a bloc. weight_p: probabilities of ticket / pledge / neither."""
    c = int(rng.choice(3, p=weight_p))
    order = None
    if c == 0:
        order = w.new_order()
    v = w.new_voter((1.0, 0.5, 0.0)[c], order, domain or _free(rng), company_field, company, tz, joined)
    return v


def _donor(rng, w: World) -> int:
    """An honest voter whose taste and leniency a made-up account's cover votes borrow."""
    return int(rng.integers(w.V))


def _cover(rng, w: World, v: int, n: int, exclude, at_start: int, target=None, target_score=3, fast=False):
    """Votes of a bloc member: cover talks by visibility (honest score model of a donor) and the target
    at a random position; returns the talks rated."""
    talks = [
        int(t) for t in _pick_by_visibility(rng, w, n, exclude=list(exclude) + ([target] if target is not None else []))
    ]
    donor = _donor(rng, w) if v >= w.V else v
    scores = list(_score(rng, w, np.full(len(talks), donor), np.array(talks, dtype=np.int64))) if talks else []
    if target is not None:
        pos = int(rng.integers(len(talks) + 1))
        talks.insert(pos, target)
        scores.insert(pos, target_score)
    talks_a = np.array(talks, dtype=np.int64)
    w.add(np.full(len(talks), v), talks_a, np.array(scores), _session_votes(rng, w, v, talks_a, at_start, fast=fast), 2)
    return set(talks)


def _spot_join(w: World, v: int) -> None:
    if v >= w.V:
        w.joined[v] = math.inf  # made just before the first vote (at assembly)


def _work_hours(rng, at: int, tz: int) -> int:
    """Moves a time into the next weekday working hours (08–18 local) of zone tz."""
    for _ in range(10):
        local = (at - OPENS) / HOUR + 9 + TZ_OFFSETS[tz]
        hour, weekday = local % 24, int(local // 24) % 7
        if 8 <= hour < 18 and weekday < 5:
            return at
        at = int(at + (24 - hour + 8) % 24 * HOUR + rng.integers(0, 3 * HOUR)) if not 8 <= hour < 18 else at + DAY
    return at


def _plant_coworkers(rng, w, kind, eligible, strong, taken):
    t = _target(rng, eligible, taken, lambda t: any(w.by_company.get(c) for c in w.speaker_company[t]))
    if t is None:
        t = _target(rng, eligible, taken, lambda t: bool(w.speaker_company[t]))
    if t is None:
        return None
    c = sorted(w.speaker_company[t])[0]
    n = _log_uniform(rng, *KIND_SIZES[kind])
    staff = [x for x in w.by_company.get(c, []) if x not in w.speaker_voter[t]]
    existing = _free_voters(rng, w, staff, min(n, int(0.6 * len(staff))))
    tz = int(np.bincount([w.tz_index[x] for x in staff]).argmax()) if staff else 0
    day = int(rng.integers(1, 17))
    while day % 7 >= 5:
        day += 1
    message = _local_hour_to_at(day, 10.0, tz)
    b = _Bloc(kind, "support", boosted=t, talks={t})
    members = list(existing)
    for _ in range(n - len(existing)):
        dom = w.company_domains[c] if rng.random() < 0.6 else None
        field_ = _spell(w.company_names[c], int(rng.integers(5))) if rng.random() < 0.5 else None
        v = _new_account(rng, w, tz=tz, weight_p=[0.55, 0.25, 0.20], domain=dom, company=c, company_field=field_)
        if w.weight[v] == 1.0 and c in w.company_orders:
            w.order[v] = w.company_orders[c]
        members.append(v)
    for v in members:
        at = message + int(np.clip(rng.lognormal(math.log(5 * HOUR), 0.8), 300, 3 * DAY))
        at = _work_hours(rng, at, tz)
        score = 3 if rng.random() < 0.9 else 2
        if v >= w.V:
            w.joined[v] = (
                float(rng.uniform(message, at - 60))
                if rng.random() < 0.4
                else float(OPENS - rng.uniform(1, 6) * 365 * DAY)
            )
            b.talks |= _cover(rng, w, v, int(rng.integers(0, 5)), [], at, target=t, target_score=score)
        else:
            w.add([v], [t], [score], [at], 2)
    b.members = members
    return b


def _plant_shared_order(rng, w, kind, eligible, strong, taken):
    t = _target(rng, eligible, taken)
    if t is None:
        return None
    comps = sorted(w.speaker_company[t])
    c = comps[0] if comps else -1
    org_domain = w.company_domains[c] if c >= 0 else f"{_name(int(rng.integers(10_000)), 2)}-academy.io"
    org_name = w.company_names[c] if c >= 0 else org_domain.split(".")[0].replace("-", " ").title()
    n = _log_uniform(rng, *KIND_SIZES[kind])
    code = w.new_order()
    ordered = OPENS - rng.uniform(20, 90) * DAY
    tz = int(rng.choice(len(TZ_OFFSETS), p=TZ_SHARES / TZ_SHARES.sum()))
    d0 = int(rng.integers(0, 18))
    b = _Bloc(kind, "support", boosted=t, talks={t})
    for i in range(n):
        staff = i % 2 == 0 and c >= 0
        v = w.new_voter(
            1.0,
            code,
            org_domain if rng.random() < 0.4 else _free(rng),
            org_name if rng.random() < 0.3 else None,
            c if staff else -1,
            tz,
            ordered + rng.uniform(0, 3 * DAY),
        )
        start = _ordinary_start(rng, w, tz, d0 * 24, (d0 + 4) * 24)
        b.talks |= _cover(rng, w, v, int(rng.integers(2, 9)), [], start, target=t)
        b.members.append(v)
    return b


def _plant_friends_burst(rng, w, kind, eligible, strong, taken):
    oppose = rng.random() < 0.25
    t = _target(rng, strong if oppose else eligible, taken)
    if t is None:
        return None
    n = _log_uniform(rng, *KIND_SIZES[kind])
    tz = int(rng.choice(len(TZ_OFFSETS), p=TZ_SHARES / TZ_SHARES.sum()))
    post = _local_hour_to_at(int(rng.integers(0, 20)), 20.0 if rng.random() < 0.6 else 12.5, tz)
    b = _Bloc(kind, "oppose" if oppose else "support", boosted=None if oppose else t, talks={t})
    existing = _free_voters(rng, w, range(w.V), round(0.3 * n))
    score = 0 if oppose else 3
    for v in existing:
        at = post + int(np.clip(rng.lognormal(math.log(40 * 60), 1.0), 60, 2 * DAY))
        w.add([v], [t], [score], [at], 2)
        b.members.append(v)
    for _ in range(n - len(existing)):
        r = rng.random()
        if r < 0.85:
            dom, comp = None, -1
        else:
            comp = int(rng.integers(len(w.company_names)))
            dom = w.company_domains[comp]
        v = _new_account(
            rng,
            w,
            tz=int(rng.choice(len(TZ_OFFSETS), p=TZ_SHARES / TZ_SHARES.sum())),
            weight_p=[0.05, 0.20, 0.75],
            domain=dom,
            company=comp,
        )
        at = post + int(np.clip(rng.lognormal(math.log(40 * 60), 1.0), 60, 2 * DAY))
        n_cover = 0 if rng.random() < 0.5 else int(rng.integers(1, 4))
        b.talks |= _cover(rng, w, v, n_cover, [], at, target=t, target_score=score)
        _spot_join(w, v)
        b.members.append(v)
    return b


def _plant_friends_spread(rng, w, kind, eligible, strong, taken):
    t = _target(rng, eligible, taken)
    if t is None:
        return None
    n = _log_uniform(rng, *KIND_SIZES[kind])
    d0 = int(rng.integers(0, 8))
    b = _Bloc(kind, "support", boosted=t, talks={t})
    existing = _free_voters(rng, w, range(w.V), n // 2)
    for v in existing:
        at = _ordinary_start(rng, w, int(w.tz_index[v]), d0 * 24, (d0 + 14) * 24)
        w.add([v], [t], [3 if rng.random() < 0.85 else 2], [at], 2)
        b.members.append(v)
    for _ in range(n - len(existing)):
        tz = int(rng.choice(len(TZ_OFFSETS), p=TZ_SHARES / TZ_SHARES.sum()))
        v = _new_account(rng, w, tz=tz, weight_p=[0.25, 0.35, 0.40])
        at = _ordinary_start(rng, w, tz, d0 * 24, (d0 + 14) * 24)
        b.talks |= _cover(
            rng, w, v, int(rng.integers(2, 11)), [], at, target=t, target_score=3 if rng.random() < 0.85 else 2
        )
        _spot_join(w, v)
        b.members.append(v)
    return b


def _plant_sockpuppets(rng, w, kind, eligible, strong, taken):
    oppose = rng.random() < 0.35
    t = _target(rng, strong if oppose else eligible, taken)
    if t is None:
        return None
    n = _log_uniform(rng, *KIND_SIZES[kind])
    tz = int(rng.choice(len(TZ_OFFSETS), p=TZ_SHARES / TZ_SHARES.sum()))
    vote_day = int(rng.integers(0, 19))
    make_day = vote_day if rng.random() < 0.5 else vote_day - int(rng.integers(1, 11))
    made = _local_hour_to_at(make_day, float(rng.uniform(18, 22)), tz)
    one_provider = _free(rng) if rng.random() < 0.6 else None
    # the template ballot
    if oppose:
        same_track = [int(x) for x in np.flatnonzero(w.track == w.track[t]) if x != t and x not in taken]
        rivals = [same_track[i] for i in rng.permutation(len(same_track))[: int(rng.integers(1, 3))]]
        aimed = [t, *rivals]
    else:
        aimed = [t]
    cover = [int(x) for x in _pick_by_visibility(rng, w, int(rng.integers(4, 16)) - len(aimed), exclude=aimed)]
    donor = _donor(rng, w)
    cover_scores = _score(rng, w, np.full(len(cover), donor), np.array(cover, dtype=np.int64)) if cover else []
    template = [(x, 0 if oppose else 3) for x in aimed] + list(zip(cover, map(int, cover_scores), strict=True))
    b = _Bloc(kind, "oppose" if oppose else "support", boosted=None if oppose else t, talks=set(aimed))
    accounts = []
    if rng.random() < 0.5:
        own = _free_voters(rng, w, np.flatnonzero(w.tz_index == tz), 1)
        accounts += own
    for i in range(n - len(accounts)):
        v = w.new_voter(
            0.5 if rng.random() < 0.7 else 0.0,
            None,
            one_provider or _free(rng),
            None,
            -1,
            tz,
            made + i * rng.uniform(120, 1200),
        )
        accounts.append(v)
    spread = rng.random() < 0.3
    evenings = int(rng.integers(2, 5)) if spread else 1
    ready = int(max(w.joined[x] for x in accounts if x >= w.V)) + int(rng.integers(120, 900))  # the last account exists
    clock = {e: max(ready, _local_hour_to_at(vote_day + e, float(rng.uniform(19, 22)), tz)) for e in range(evenings)}
    for i, v in enumerate(accounts):
        e = i % evenings
        ballot = [(x, s) for x, s in template if x in aimed or rng.random() >= 0.1]
        ballot = [
            (x, s if x in aimed or rng.random() >= 0.1 else int(np.clip(s + rng.choice([-1, 1]), 0, 3)))
            for x, s in ballot
        ]
        order = rng.permutation(len(ballot))
        talks = np.array([ballot[j][0] for j in order], dtype=np.int64)
        scores = np.array([ballot[j][1] for j in order])
        at = _session_votes(rng, w, v, talks, clock[e], fast=True)
        w.add(np.full(len(talks), v), talks, scores, at, 2)
        clock[e] = int(at[-1]) + int(rng.integers(60, 900))
        b.talks |= {int(x) for x in talks}
        b.members.append(v)
    return b


def _plant_rival_sinkers(rng, w, kind, eligible, strong, taken):
    friend_talk = int(rng.integers(w.T))
    same_track = [
        int(x)
        for x in np.argsort(-w.quality)
        if w.track[x] == w.track[friend_talk] and x != friend_talk and x not in taken
    ]
    rivals = same_track[: int(rng.integers(2, 5))]
    if len(rivals) < 2:
        return None
    n = _log_uniform(rng, *KIND_SIZES[kind])
    d0 = int(rng.integers(0, 14))
    b = _Bloc(kind, "oppose", talks=set(rivals))
    existing = _free_voters(rng, w, range(w.V), round(0.7 * n))
    for v in existing:
        start = _ordinary_start(rng, w, int(w.tz_index[v]), d0 * 24, (d0 + 7) * 24)
        w.add(np.full(len(rivals), v), rivals, np.zeros(len(rivals)), _session_votes(rng, w, v, rivals, start), 2)
        b.members.append(v)
    for _ in range(n - len(existing)):
        tz = int(rng.choice(len(TZ_OFFSETS), p=TZ_SHARES / TZ_SHARES.sum()))
        comp = int(rng.integers(len(w.company_names)))
        dom = None if rng.random() < 0.8 else w.company_domains[comp]
        v = _new_account(rng, w, tz=tz, weight_p=[0.4, 0.3, 0.3], domain=dom, company=comp if dom else -1)
        start = _ordinary_start(rng, w, tz, d0 * 24, (d0 + 7) * 24)
        talks = [int(x) for x in _pick_by_visibility(rng, w, int(rng.integers(3, 9)), exclude=rivals)]
        scores = list(_score(rng, w, np.full(len(talks), _donor(rng, w)), np.array(talks, dtype=np.int64)))
        allt = rivals + talks
        order = rng.permutation(len(allt))
        tt = np.array(allt, dtype=np.int64)[order]
        ss = np.array([0] * len(rivals) + scores)[order]
        w.add(np.full(len(tt), v), tt, ss, _session_votes(rng, w, v, tt, start), 2)
        _spot_join(w, v)
        b.talks |= set(talks)
        b.members.append(v)
    return b


def _plant_sleepers(rng, w, kind, eligible, strong, taken):
    t = _target(rng, eligible, taken)
    if t is None:
        return None
    n = _log_uniform(rng, *KIND_SIZES[kind])
    tz = int(rng.choice(len(TZ_OFFSETS), p=TZ_SHARES / TZ_SHARES.sum()))
    weeks = rng.uniform(3, 10)
    span = int(rng.integers(1, 7))
    providers = [FREE[i] for i in rng.permutation(len(FREE))]
    b = _Bloc(kind, "support", boosted=t, talks={t})
    for i in range(n):
        made = OPENS - weeks * 7 * DAY + int(rng.integers(0, span)) * DAY
        made = _local_hour_to_at(0, float(rng.uniform(8, 23)), tz) - OPENS + made
        v = w.new_voter(0.5 if rng.random() < 0.8 else 0.0, None, providers[i % len(providers)], None, -1, tz, made)
        n_cover = int(rng.integers(8, 26))
        sessions = 1 if rng.random() < 0.5 else 2
        talks = [int(x) for x in _pick_by_visibility(rng, w, n_cover, exclude=[t])]
        scores = list(_score(rng, w, np.full(len(talks), _donor(rng, w)), np.array(talks, dtype=np.int64)))
        pos = int(rng.integers(len(talks) + 1))
        talks.insert(pos, t)
        scores.insert(pos, 3)
        parts = np.array_split(np.arange(len(talks)), sessions)
        for part in parts:
            start = _ordinary_start(rng, w, tz)
            tt = np.array(talks, dtype=np.int64)[part]
            w.add(np.full(len(tt), v), tt, np.array(scores)[part], _session_votes(rng, w, v, tt, start), 2)
        b.talks |= set(talks)
        b.members.append(v)
    return b


def _plant_split_booking(rng, w, kind, eligible, strong, taken):
    t = _target(rng, eligible, taken, lambda t: any(w.by_company.get(c) for c in w.speaker_company[t]))
    if t is None:
        return None
    c = sorted(w.speaker_company[t])[0]
    n = _log_uniform(rng, *KIND_SIZES[kind])
    staff = [x for x in w.by_company.get(c, []) if x not in w.speaker_voter[t]]
    existing = _free_voters(rng, w, staff, min(n // 2, len(staff)))
    tz = int(np.bincount([w.tz_index[x] for x in staff]).argmax()) if staff else 0
    d0 = int(rng.integers(0, 15))
    days = int(rng.integers(5, 9))
    b = _Bloc(kind, "support", boosted=t, talks={t})
    members = list(existing)
    for _ in range(n - len(existing)):
        r = rng.random()
        dom = w.company_domains[c] if rng.random() < 0.1 else None
        field_ = _spell(w.company_names[c], int(rng.integers(5))) if rng.random() < 0.1 else None
        if r < 0.6:
            joined = float(rng.uniform(SALES_OPEN, OPENS))
            v = w.new_voter(1.0, w.new_order(), dom or _free(rng), field_, c, tz, joined)
        else:
            joined = (
                float(OPENS - rng.uniform(1, 6) * 365 * DAY)
                if rng.random() < 0.5
                else float(OPENS - rng.uniform(1, 150) * DAY)
            )
            v = w.new_voter(0.5 if r < 0.85 else 0.0, None, dom or _free(rng), field_, c, tz, joined)
        members.append(v)
    for v in members:
        start = _ordinary_start(rng, w, int(w.tz[v]), d0 * 24, (d0 + days) * 24)
        b.talks |= _cover(
            rng, w, v, int(rng.integers(3, 13)), [], start, target=t, target_score=3 if rng.random() < 0.85 else 2
        )
    b.members = members
    return b


def _plant_cartel(rng, w, kind, eligible, strong, taken):
    with_speaker = [
        t
        for t in range(w.T)
        if t not in taken and any(x not in w.used and x not in w.in_bloc for x in w.speaker_voter[t])
    ]
    if len(with_speaker) < 3:
        return None
    k = int(rng.integers(3, 6))
    talks, tracks = [], set()
    for i in rng.permutation(len(with_speaker)):
        t = with_speaker[i]
        if w.track[t] not in tracks:
            talks.append(t)
            tracks.add(int(w.track[t]))
        if len(talks) == k:
            break
    if len(talks) < 3:
        return None
    speakers = list(
        dict.fromkeys(x for t in talks for x in w.speaker_voter[t] if x not in w.used and x not in w.in_bloc)
    )
    n = _log_uniform(rng, *KIND_SIZES[kind])
    friends = []
    for _ in speakers:
        friends += _free_voters(rng, w, [x for x in range(w.V) if x not in friends], int(rng.integers(1, 5)))
    members = (speakers + friends)[: max(n, len(speakers))]
    if len(members) < 6:
        members += _free_voters(rng, w, [x for x in range(w.V) if x not in members], 6 - len(members))
    members = members[:24]
    boosted = min(talks, key=lambda t: w.quality[t])
    b = _Bloc(kind, "support", boosted=boosted, talks=set(talks))
    for v in members:
        mine = np.array([t for t in talks if v not in w.speaker_voter[t]], dtype=np.int64)
        scores = np.where(rng.random(len(mine)) < 0.85, 3, 2)
        start = _ordinary_start(rng, w, int(w.tz_index[v]))
        w.add(np.full(len(mine), v), mine, scores, _session_votes(rng, w, v, mine, start), 2)
    b.members = members
    return b


PLANTERS = {
    "coworker_ring": _plant_coworkers,
    "shared_order": _plant_shared_order,
    "friends_burst": _plant_friends_burst,
    "friends_spread": _plant_friends_spread,
    "sockpuppets": _plant_sockpuppets,
    "rival_sinkers": _plant_rival_sinkers,
    "sleeper_accounts": _plant_sleepers,
    "split_booking": _plant_split_booking,
    "speaker_cartel": _plant_cartel,
}
SIZES_BY_VOTERS = {s.voters: s for s in SIZES.values()}


def fresh2_conference(size: str = "small", seed: int = 1, plant=None) -> SyntheticConference:
    """The fresh2 world (module docstring) at `size`, deterministic per (size, seed). `plant` is called
    as plant(rng, world) and returns (blocs, accounts made for them); bench/blocs_calibration.py's
    `plant_nothing` gives the honest conference alone."""
    spec = SIZES[size]
    rng = np.random.default_rng([seed, 0xF2E5, 2])
    w = _honest(spec, rng)
    _groups(rng, w, size)
    _orders_and_accounts(rng, w)
    _team_groups(w)
    blocs, _extra = (plant or _plant)(np.random.default_rng([seed, 0xF2E5, 3]), w)
    # Speakers who vote, but for those in a bloc (a speaker cartel), and their talks.
    sv = sorted(x for x in w.speaker_voters if x not in w.in_bloc)
    if sv:
        talks = [t for t in range(w.T) if set(w.speaker_voter[t]) & set(sv)]
        w.honest_groups.append(_group("voting_speakers", sv, talks))
    return _assemble(np.random.default_rng([seed, 0xF2E5, 4]), w, blocs)


def _team_groups(w: World) -> None:
    """The 6 largest team orders as honest groups; their talks: rated by at least 30% of them (at least 2)."""
    sizes = w.extras["team_sizes"]
    teams = sorted((n, code) for code, n in sizes.items() if n >= 3 and not code.startswith(("hh", "ug")))
    v = np.concatenate(w.v)
    t = np.concatenate(w.t)
    for _n, code in teams[::-1][:6]:
        members = [x for x in range(w.V) if w.order[x] == code]
        if any(x in w.used for x in members):
            continue
        mine = np.isin(v, members)
        counts = np.bincount(t[mine], minlength=w.T)
        talks = np.flatnonzero(counts >= max(2, 0.3 * len(members)))
        w.honest_groups.append(_group("team_booking", members, talks))
        w.used.update(members)


def _assemble(rng, w: World, blocs) -> SyntheticConference:
    n_voters = len(w.weight)
    v, t, s, at, prio = (np.concatenate(x) for x in (w.v, w.t, w.s, w.at, w.prio))
    # Organic votes of voters who came in at a given moment start then.
    if w.retime:
        rv = np.array(sorted(w.retime), dtype=np.int64)
        rs = np.array([w.retime[x] for x in rv], dtype=np.int64)
        hit = (prio == 0) & np.isin(v, rv)
        idx = np.flatnonzero(hit)
        o = idx[np.argsort(v[idx], kind="stable")]
        vs = v[o]
        first = np.searchsorted(vs, vs, side="left")
        rank = np.arange(len(o)) - first
        at[o] = rs[np.searchsorted(rv, vs)] + rank * rng.integers(15, 90, size=len(o))
    open_ = at < CLOSES
    v, t, s, at, prio = v[open_], t[open_], s[open_], at[open_], prio[open_]
    # One vote per (voter, talk): the planted one, else the group's, else the organic one.
    key = v * w.T + t
    o = np.lexsort((-prio, key))
    key, v, t, s, at, prio = key[o], v[o], t[o], s[o], at[o], prio[o]
    keep = np.concatenate([[True], key[1:] != key[:-1]])
    v, t, s, at, prio = v[keep], t[keep], s[keep], at[keep], prio[keep]

    first_vote = np.full(n_voters, np.iinfo(np.int64).max)
    np.minimum.at(first_vote, v, at)
    joined = np.array(w.joined, dtype=float)
    late = (joined > first_vote) & (first_vote < np.iinfo(np.int64).max)
    joined[late] = first_vote[late] - rng.integers(60, 900, size=int(late.sum()))
    joined[~np.isfinite(joined)] = OPENS  # no vote at all (does not happen)

    voter_facts = [
        VoterFacts(
            voter_id=i + 1,
            weight=w.weight[i],
            order_code=w.order[i],
            email_domain=w.domain[i],
            company=w.company_field[i],
            joined_at=float(joined[i]),
        )
        for i in range(n_voters)
    ]
    talk_facts = [
        TalkFacts(
            talk_id=x + 1,
            speaker_email_domains=w.talk_domains[x],
            speaker_companies=w.talk_company_names[x],
            speaker_voter_ids=tuple(y + 1 for y in w.speaker_voter[x]),
            promoted_at=tuple(w.promoted.get(x, ())),
        )
        for x in range(w.T)
    ]
    data = bloc_input_build(
        voter_ids=v + 1,
        talk_ids=t + 1,
        scores=s,
        at_seconds=at,
        voters=voter_facts,
        talks=talk_facts,
        scale=VoteScale(),
        free_mail_domains=FREE_MAIL_DOMAINS,
    )
    planted = prio == 2
    company = np.array(w.company, dtype=np.int64)
    pairs = np.array([(c, x) for x in range(w.T) for c in w.speaker_company[x]], dtype=np.int64).reshape(-1, 2)
    vc = company[v]
    colleague = (vc >= 0) & np.isin(vc * w.T + t, pairs[:, 0] * w.T + pairs[:, 1])
    honest = ~planted & (v < w.V)
    return SyntheticConference(data, tuple(blocs), planted, colleague, honest, w.quality, tuple(w.honest_groups))
