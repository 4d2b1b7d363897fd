"""An eighth synthetic world for bloc detection: a data-science and machine-learning conference, half academic
and half industry, whose programme is chosen by a two-stage vote on a reviewing scale.

Written apart from the detector (it reads only blocs_synthetic's dataclasses, SIZES, `planted_over_honest`,
its weighted draws and `world_conference`, BlocInput's format and confvote's free-mail list), and committed
before anything measured it: an out-of-sample test. Deterministic per (size, seed); pure numpy. The model,
pre-registered:

Event. A PyData/ODSC-meets-research-workshop conference: research-paper talks from university labs, industry
talks, open-source library talks, tutorials (many by data-science bootcamps), a few keynotes and independent
talks, in T tracks (one of them the hype track, generative AI). Attendance is hybrid. The programme vote has
two stages on a reviewing scale 1-6 ("strong reject", "reject", "weak reject", "weak accept", "accept",
"strong accept"; wanted from 4): stage 1 opens Monday 2027-03-08 14:00 UTC and runs ten days on every talk;
voting pauses four days while the committee draws a shortlist (35% of the talks: the best by quality + N(0,
0.6)); stage 2 runs five days from day 14 on the shortlisted talks only (a vote on a talk off the shortlist
is impossible then). The shortlist's announcement is RECORDED as a promotion of every shortlisted talk at
stage 2's opening. Sizes as SIZES: small 1,000 voters / 200 talks / ~20k votes, medium 20,000 / 1,000 /
~200k, large 100,000 / 5,000 / ~1M; campaign-only accounts come on top of the voters.

Structure (small / medium / large). Tracks 8 / 16 / 30 (weights Dirichlet(1.0), the hype track 0 ×3);
companies 25 / 90 / 260 (size ∝ rank^-1.1; "<Word> <Analytics|AI|Data|Health|Bank|Consulting|Labs>",
domains "<word>.ai", "<word>.com" or "<word>data.com"; the three largest also use national domains
"<word>.de", "<word>.co.uk", "<word>.in" for 30% of their work mail); universities 8 / 40 / 120 (size
Pareto(1.0) + 1, a region each, "University of <Place>", domains by region: "<place>.ac.uk",
"uni-<place>.de", "<place>.edu", "iit<place>.ac.in", "<place>-u.ac.jp", "<place>.edu.br", "<place>.ac.za");
research labs 20 / 150 / 600 (a university ∝ its size, a track by weight, a department cs/stat/math/bio/econ,
size Pareto(2.0) + 1); open-source libraries 10 / 40 / 120 (size Pareto(1.2) + 1, a track each); bootcamps
3 / 6 / 12 ("<Word> Academy", "<word>academy.io", size ∝ rank^-0.8); local meetup chapters 10 / 50 / 150
(size Pareto(1.3) + 1, a region each).

Voters. Region: Europe 36% (UTC 0/+1/+2), North America 30% (-8/-7/-6/-5), India 12% (+5.5), East Asia
8% (+8/+9), Latin America 8% (-5/-3), Africa 6% (+1/+2/+3). Role: industry 47% (a company ∝ size), academic
23% (50% in a lab ∝ lab size, else a university ∝ size; 65% students, the rest faculty and postdocs; they
take their university's region), other 30% (freelancers, job seekers, hobbyists). Bootcamp alumni: 25% of
"other" and 6% of industry (a bootcamp ∝ size); each bootcamp's current cohort is 10-30 of its alumni in
"other", and 2-5 "other" voters are its staff (employed by it). 20% of non-academics are alumni of a
university (∝ size). 15% belong to a chapter (∝ size; of its region). 12% contribute to a library (∝
size), 15% of whom maintain it. Favourite tracks: two by weight; a lab member's first is the lab's track,
a contributor's the library's. True organisation (the ground truth's employer): the company, the
university (academics), the bootcamp (its staff), else none.
Email domain, the first rule that applies: company staff 40% work mail; bootcamp staff 70% theirs;
academics 75% the university's (a lab member half the time its department's subdomain, e.g.
"stat.northvale.edu"); maintainers 10% "<library>.org"; university alumni 5% their forwarding address
"alumni.<university domain>" (NOT free mail: one domain of former students spread over many employers);
4% a personal domain "<handle>.me"; else free mail by region (gmail, outlook, hotmail, yahoo, icloud,
proton.me, live.com; Europe adds gmx.de/posteo.de/mail.ru, India rediffmail.com/yahoo.co.in, East Asia
qq.com/163.com/naver.com). Company field: staff 50% ("Brightloom AI", "Brightloom AI Ltd", "brightloom",
"BRIGHTLOOM AI INC", "Brightloom AI (Data Platform)"), academics 45% ("University of Northvale",
"Northvale University", "Univ. of Northvale", "Dept. of Statistics, University of Northvale"), bootcamp staff
60% its name, others 10% "Freelance"/"Student"/"Looking for work"/"Self-employed"/"-"/"Independent
researcher". Tickets (hybrid): in person (weight 1.0) / virtual pass (0.5) / free community account (0.0):
industry 0.55/0.25/0.20, academics 0.35/0.35/0.30, others 0.20/0.30/0.50; a current bootcamp cohort all
virtual on its bootcamp's order "EDU-…". Orders: industry ticket holders 45% on company team packs
(packs of 5, 10 or 25 filled in turn, "TEAM-…"); lab members with a ticket 50% on the lab's purchase order
("PO-…", chunks of 30); the rest alone ("REG-…" in person, "VIR-…" virtual), 8% of in-person buyers with
one or two friends on their order. Accounts: ticket holders made theirs 40% 1-6 years before (returning),
50% in the 120 days before the vote (registration), 10% during the vote; free accounts 30% / 10% / 60%;
made during the vote: 1-45 min before the first vote (65%) or 1 h-3 days; always two minutes before it.

Talks. Format: research 28% (a lab ∝ size; the lab's track), industry 38% (a company ∝ size^0.8), library
18% (a library ∝ size; its track), tutorial 10% (a bootcamp's 40%, ∝ size), keynote 1%, independent 5%;
tracks by weight otherwise. Quality q ~ N(0, 1). Popularity = exp(0.75 q + N(0, 0.55)) × (1.6 in the hype
track) × (research 0.7, tutorial 1.5, keynote 3) × (1.3 for the five largest companies' talks: brand).
Speakers (up to 4). Research: 1-4 (30/40/20/10%): a student of the lab first (a voter 85%), its PI (a
faculty member of the lab, a voter 70%), then other lab members (voters 60%, else an outside coauthor at
another university or, 30%, a company). Industry: 1 (70%) or 2, staff (voters 65%). Library: 1 (70%) or 2
maintainers or contributors (voters 80%, else outside, employed by a company 50%). Tutorial: the bootcamp's
staff (a voter 50%) or an independent instructor (a voter 50%). Keynote: one outside speaker (a company or
a university). Independent: one (a voter of "other" 70%). Speaker facts: the organisation's name 75% when
employed; domain: a voter speaker's own; an outside one's organisation's mail 60% (its department
subdomain for a university), else free mail.

Honest ballots. Length: 15% light 1-3 (1 + Binomial(2, 0.4)); 2% completionists U(0.2, 0.6)·min(T, 150); the
rest lognormal (σ 1.0) with the mean that brings the base ballots to 95% of the size's votes; 1 to 0.6 T.
12% of voters are stage-2-only (joined late, saw the shortlist): half as long a ballot, drawn from the
shortlist only. Talks: each draw from the whole programme ∝ popularity (45%), one of the two favourite
tracks (0.6/0.4) ∝ popularity (40%), or the talks of one of the voter's affiliations (organisation, lab,
library; slot uniform; empty falls back) (15%); first n distinct after four rounds; voters with n > 0.15 T by
Gumbel keys from the mixture. Score: latent = 1.0 q + 0.6·(a favourite track) + 0.9·(an affiliation
speaks) + bias + N(0, 1), bias ~ N(0, 0.5) (faculty -0.4; 4% enthusiasts +1.0); cut at -1.4/-0.5/0.3/1.1/2.0
into 1-6; 6% cautious reviewers never give 1 or 6. Stages: 35% of the stage-1 voters come back in stage 2,
and each shortlisted talk of their ballot moves there with probability 0.45. Timing: per voter and stage
1 + Poisson(n/10) sessions (at most 6; stage 2 at most 3); a stage-1 session's day 0-9 ∝ 1 (×0.55 the
weekend days 5-6, ×2.5 day 0, ×1.7 day 7: the reminder, ×2.2 day 9: last call), a stage-2 one's day 14-18
(×2.5 day 14, ×2.0 day 18); local hour office 09-18 (45%), evening 19-23 (35%), morning 07-09 (12%), late
23-02 (8%); a session before its stage opens starts U(0, 6 h) after, one after it closes whole days
earlier; votes 6 s + Exp(35 s) apart (abstracts are read); a session moved earlier to end inside its stage.

Honest correlated groups (drawn from the honest stream; each voter in one group at most; their votes are
honest, in stage 1, and replace the members' own draws of the same talks). Per kind: small 1, medium 3,
large 7, except editors' picks (always 4 groups).
- journal_club: 5-15 members of a lab (largest labs first) go through 4-8 research talks of its track
  from other universities together one weekday afternoon (15:00 local, each from U(0, 1 h), 60 s per
  talk); each with probability 0.8 (at least one); shared taste per talk N(0.3, 0.8).
- platform_team: 8-30 staff of a large company rate 4-8 talks of one track (by weight) by other
  organisations with probability 0.6, in office hours over stage 1; shared taste N(0.5, 0.6); many share
  TEAM packs.
- bootcamp_class: a bootcamp's current cohort (10-30, one EDU order) rates 4-10 tutorials and talks of the
  hype track (∝ popularity, not its bootcamp's) in one two-hour class (weekday 10:00 local), probability
  0.7; shared taste N(0.4, 0.7).
- chapter_night: 10-30 members of a meetup chapter on a projector one evening (19:00 local, within 90
  min): 5-12 talks of the whole programme ∝ popularity, probability 0.7; shared taste N(0.3, 0.9).
- influencer_thread: an ML practitioner's thread (NOT recorded: not the organizers') on day 1-8 at 16:00
  UTC lists 6 talks (popularity 40-95th percentile); 3%/G of the voters (at least 10) read it and rate
  each listed talk with probability c/6 (c uniform 1-3 per reader, at least one) Exp(3 h) later (cut at 36
  h), own scores.
- editors_picks: the programme committee's banner (RECORDED as a promotion at day 3 09:00 UTC) with four
  talks (popularity 40-90th percentile, in no other group); per talk 1.2% of the voters (at least 5) rate
  it Exp(12 h) after (cut at 48 h), own scores.

Planted campaigns (their own random stream: the honest world is the same with or without them). A bloc has
3-40 members (log-uniform in the kind's range, then what the kind finds); members are voters in no honest
group and no other bloc, whose account existed two minutes before the campaign's first vote. A contender
has quality between the 65th and 90th percentile; a strong talk is in the top 15%. Campaigns: one of each
kind first, then kinds drawn at random (a review ring, which makes one bloc per lab, with a third of the
others' chance) until there are max(size's blocs, 14) blocs. A campaign's window is laid on the vote's
open time (stage 1's ten days, then stage 2's five): a window that reaches the pause resumes when stage 2
opens; a campaign whose talks are not all shortlisted stays in stage 1, and a vote in stage 2 by a
campaign account on a cover talk picks it from the shortlist. Support votes are 6 ("strong accept") or 5
as said.
- coworkers: 3-40 staff of the organisation of a contender's speaker, after a Slack post: 60% within
  Exp(40 min) (cut at 3 h), 40% spread over the next three days; 6 (65%) or 5.
- order: the eligible members of one TEAM pack or lab purchase order with at least 3 of them (at most 40)
  push a contender over two days; 6 (60%) or 5.
- friends_burst: a master's cohort's group chat: unrelated existing voters (one per order at most) within
  90 min; 6 (75%) or 5.
- friends_spread: a speaker's direct messages over five days, 6 (60%) or 5: 50% existing voters, 50% new free-mail
  accounts (no ticket; joined 2-30 min before their vote; 40% also rate 1-2 talks of the target's track,
  plausibly scored).
- sockpuppets: one person's 3-15 free-mail accounts (gmail 60, outlook 20, yahoo 10, proton 10; free 85%,
  else a virtual pass each), all made one evening within 40 minutes 1-4 days before the first sitting; a
  common ballot (the target 6 and 4-9 cover talks the operator scores plausibly; from the shortlist when
  the target is on it), each account changing 0-2 cover scores by one; one account per sitting, sittings
  U(4 h, 20 h) apart, each within 10 minutes (votes 20-60 s apart).
- slack_waves (new): a company's developer-relations lead posts in the company Slack three times (days
  d, d + 2, d + 4 of open time); 10-40 staff vote after one of the posts (50/30/20%) within Exp(1.5 h)
  (cut at 4 h), rating every talk of the company (1-3, a contender first) 6 (70%) or 5.
- review_ring (new): a collusion ring of 3-4 labs (2 when no more can be found) from different
  universities, each with a research talk: 3-8 members of each lab rate every other ring lab's talk 6
  (80%) or 5 over four days of stage 1; one bloc per lab (its talks: the others'; boosted: the next lab's).
- bootcamp_alumni (new): a bootcamp with a tutorial mails its alumni (not the current cohort; 10-40): Exp(12
  h) after the mail (cut at 48 h) 6 (60%) or 5; 30% also rate the bootcamp's other talk (if any) 5-6.
  The alumni work all over, so their domains are as diverse as everyone's.
- astroturf_batch (new): script-made accounts (10-40; two batches when 20 or more, a day or three apart):
  a batch made within 8 minutes, voting 1-6 h later one account after another (20-180 s apart): the
  target 6 and 0-3 talks uniformly at random scored uniformly 1-6; mail at one throwaway domain
  "<word>-mail.xyz" (not free mail) 60%, else gmail; free accounts.
- linkedin_post (new): a speaker's LinkedIn post about a contender; reactions Exp(28 h) after it (cut at 6
  days): 35% existing voters, 65% new accounts (joined 2-60 min before) with the work mail of a company (∝
  size; its staff, 55%), a university's (10%) or free mail; free 85%, else a virtual pass; 25% of the new
  accounts also rate one talk of the target's track, plausibly scored.
- giveaway (new): a sponsor's raffle "vote for our talk to enter" (a company with a talk, a contender
  first) for 24 h: 25% existing voters, 75% new free-mail accounts (joined 1-10 min before; free); all rate
  the talk 6, half also every other talk of the sponsor 6.
- course_assignment (new): a professor speaking (a speaker employed by a university, on a contender first)
  asks her students (10-40 students of that university) to vote in class (a weekday 10:00 local, 75
  minutes): the talk 6 (70%) or 5 and 2-4 talks of its track ∝ popularity, plausibly scored.
- rival_vendor (new, oppose): 5-25 staff of a company that is not the talk's rate a strong open-source
  library talk (else any strong talk) 1 (60%) or 2 over four days.
- rival_lab (new, oppose): 3-10 members of a lab rate a strong research talk of another lab in their
  track 1 (70%) or 2 in one evening (within 2 h).
A kind that finds no instance is skipped. Campaign-only accounts' votes are all planted (cover votes too);
an existing member's planted vote replaces their honest vote of that talk.

Ground truth (`fresh8_conference(size, seed)`, a SyntheticConference): the blocs (kind, direction, every talk
the bloc's planted votes are on, members, boosted talk; an opposition bloc has none), which votes are
planted, which are a colleague's (the voter's true organisation is one of a speaker's; campaign accounts
with a company's or university's mail count as its staff), which are honest (not planted, cast by a real
voter) and the honest groups (direction "honest"). Voters are ids 1..V, campaign-only accounts V + 1 on.
`plant` (e.g. bench/blocs_calibration.plant_nothing) replaces the campaigns and may only plant nothing.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.ballots.domain.blocs_input import VoteScale
from bench.blocs_synthetic import (
    SIZES,
    PlantedBloc,
    SyntheticConference,
    draw_in_segments,
    fresh_world_conference,
    members_of,
    planted_over_honest,
    weighted_choice,
    weighted_segments,
)

DAY, HOUR, MINUTE = 86_400, 3_600, 60
OPENS = int(dt.datetime(2027, 3, 8, 14, tzinfo=dt.UTC).timestamp())  # a Monday
STAGE1_CLOSES = OPENS + 10 * DAY
STAGE2_OPENS = OPENS + 14 * DAY
CLOSES = OPENS + 19 * DAY
OPEN_SPAN = 15 * DAY  # the vote's open time: stage 1's ten days, then stage 2's five
MIDNIGHT = OPENS - OPENS % DAY
SCALE = VoteScale(
    minimum=1,
    maximum=6,
    wanted_min=4,
    labels=("strong reject", "reject", "weak reject", "weak accept", "accept", "strong accept"),
)
CUTS = np.array([-1.4, -0.5, 0.3, 1.1, 2.0])
FORMATS = ("research", "industry", "library", "tutorial", "keynote", "independent")
FORMAT_P = (0.28, 0.38, 0.18, 0.10, 0.01, 0.05)
REGIONS = (  # share, UTC offsets in hours
    (0.36, (0, 1, 2)),
    (0.30, (-8, -7, -6, -5)),
    (0.12, (5.5,)),
    (0.08, (8, 9)),
    (0.08, (-5, -3)),
    (0.06, (1, 2, 3)),
)
COMMON_MAIL = (("gmail.com", 55), ("outlook.com", 14), ("hotmail.com", 7), ("yahoo.com", 8), ("icloud.com", 8))
COMMON_MAIL += (("proton.me", 4), ("live.com", 4))
REGIONAL_MAIL = {
    0: (("gmx.de", 8), ("posteo.de", 3), ("mail.ru", 3)),
    2: (("rediffmail.com", 6), ("yahoo.co.in", 8)),
    3: (("qq.com", 18), ("163.com", 8), ("naver.com", 7)),
}
FREE_MAIL = tuple(sorted({d for d, _ in COMMON_MAIL} | {d for m in REGIONAL_MAIL.values() for d, _ in m}))
PUPPET_MAIL = (("gmail.com", 60), ("outlook.com", 20), ("yahoo.com", 10), ("proton.me", 10))
BLOC_KINDS = (
    "coworkers",
    "order",
    "friends_burst",
    "friends_spread",
    "sockpuppets",
    "slack_waves",
    "review_ring",
    "bootcamp_alumni",
    "astroturf_batch",
    "linkedin_post",
    "giveaway",
    "course_assignment",
    "rival_vendor",
    "rival_lab",
)
# Chances of the kinds drawn after each kind once: a review ring makes about three blocs, so a third.
KIND_P = np.array([1 / 3 if k == "review_ring" else 1.0 for k in BLOC_KINDS])
# Kinds that make campaign-only accounts (voters V + 1 on).
ACCOUNT_KINDS = frozenset({"friends_spread", "sockpuppets", "astroturf_batch", "linkedin_post", "giveaway"})
HONEST_KINDS = (
    "journal_club",
    "platform_team",
    "bootcamp_class",
    "chapter_night",
    "influencer_thread",
    "editors_picks",
)
WORLD = {  # tracks, companies, universities, labs, libraries, bootcamps, chapters, groups per honest kind
    "small": (8, 25, 8, 20, 10, 3, 10, 1),
    "medium": (16, 90, 40, 150, 40, 6, 50, 3),
    "large": (30, 260, 120, 600, 120, 12, 150, 7),
}
# fmt: off
WORDS = (
    "brightloom", "quanta", "meridian", "lattice", "vector", "cobalt", "tensorly", "northwind", "helix", "sigma",
    "parallax", "orbital", "kernel", "cascade", "prism", "fathom", "ledger", "tangent", "radiant", "mosaic",
    "atlas", "beacon", "cinder", "delta", "ember", "fjord", "granite", "harbor", "iris", "juniper", "kite",
    "lumen", "maple", "nimbus", "onyx", "pylon", "quill", "rivet", "summit", "tundra",
)
PLACES = (
    "northvale", "eastmoor", "westbrook", "southgate", "riverton", "lakeside", "hillcrest", "ashford", "bramley",
    "caldera", "dunmore", "elmstead", "fairhaven", "glenrock", "halden", "ironbridge", "kingsmere", "larchmont",
    "marlow", "newhaven", "oakridge", "pinecliff", "queensbury", "redfield", "stonebury", "thornbury", "umber",
    "valemont", "whitby", "yarrow",
)
# fmt: on
COMPANY_SUFFIXES = ("Analytics", "AI", "Data", "Health", "Bank", "Consulting", "Labs")
DEPARTMENTS = (("cs", "Computer Science"), ("stat", "Statistics"), ("math", "Mathematics"), ("bio", "Biology"))
DEPARTMENTS += (("econ", "Economics"),)
UNI_DOMAIN = ("{p}.ac.uk", "{p}.edu", "iit{p}.ac.in", "{p}-u.ac.jp", "{p}.edu.br", "{p}.ac.za")
OTHER_FIELD = ("Freelance", "Student", "Looking for work", "Self-employed", "-", "Independent researcher")


@dataclass
class World:
    """The honest conference (positions 0-based): what the campaigns read, and the honest votes.
    Organisations are numbered companies 0..C-1, universities C..C+U-1, bootcamps C+U on."""

    V: int
    T: int
    C: int
    U: int
    track: np.ndarray  # per talk
    fmt: np.ndarray  # per talk, an index of FORMATS
    quality: np.ndarray
    popularity: np.ndarray
    shortlist: np.ndarray  # bool per talk
    talk_org: np.ndarray  # per talk: the company (industry), the lab's university (research), the bootcamp, or -1
    talk_lab: np.ndarray
    talk_lib: np.ndarray
    talk_boot: np.ndarray
    speaker: np.ndarray  # (T, 4) voter position or -1
    speaker_org: np.ndarray  # (T, 4) organisation or -1 (outside speakers too)
    speaker_company_field: list[tuple[str, ...]]
    speaker_domains: list[tuple[str, ...]]
    org: np.ndarray  # per voter, true organisation or -1
    role: np.ndarray  # 0 industry, 1 academic, 2 other
    student: np.ndarray
    lab: np.ndarray
    uni: np.ndarray  # the university of an academic
    bootcamp: np.ndarray  # alumni (and current students) of a bootcamp
    current: np.ndarray  # in a bootcamp's current cohort
    chapter: np.ndarray
    library: np.ndarray
    region: np.ndarray
    offset: np.ndarray  # seconds
    favourite: np.ndarray  # (V, 2) tracks
    weight: np.ndarray
    order: list[str | None]
    domain: list[str]
    company_field: list[str | None]
    joined: np.ndarray
    votes: np.ndarray  # (n, 4) voter, talk, score, at
    org_names: list[str] = field(default_factory=list)
    org_domains: list[str] = field(default_factory=list)
    lab_uni: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    lab_track: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    uni_region: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    company_size: np.ndarray = field(default_factory=lambda: np.empty(0))
    style: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    bias: np.ndarray = field(default_factory=lambda: np.empty(0))
    honest_groups: list[PlantedBloc] = field(default_factory=list)
    promoted: dict[int, list[int]] = field(default_factory=dict)  # talk -> promotion times


def real_time(u) -> np.ndarray:
    """The vote's open time (seconds since it opened, pauses left out) as a timestamp."""
    u = np.asarray(u, dtype=np.float64)
    return np.where(u < 10 * DAY, OPENS + u, STAGE2_OPENS + (u - 10 * DAY)).astype(np.int64)


def open_time(at) -> np.ndarray:
    """A timestamp inside the vote as open time."""
    at = np.asarray(at, dtype=np.float64)
    return np.where(at < STAGE1_CLOSES, at - OPENS, at - STAGE2_OPENS + 10 * DAY)


def _scores_from(latent: np.ndarray, style: np.ndarray) -> np.ndarray:
    score = np.searchsorted(CUTS, latent) + 1
    return np.where(style == 1, np.clip(score, 2, 5), score).astype(np.int64)


def _structure(rng, size: str) -> dict:
    spec = SIZES[size]
    V, T = spec.voters, spec.talks
    D, C, U, L, P, B, H, _ = WORLD[size]
    tw = rng.dirichlet(np.ones(D))
    tw[0] *= 3
    tw /= tw.sum()
    company_size = np.arange(1, C + 1, dtype=np.float64) ** -1.1
    uni_size = rng.pareto(1.0, U) + 1
    uni_region = weighted_choice(rng, [r[0] for r in REGIONS], U)
    lab_uni = weighted_choice(rng, uni_size, L)
    lab_track = weighted_choice(rng, tw, L)
    lab_dept = rng.integers(0, len(DEPARTMENTS), L)
    lab_size = rng.pareto(2.0, L) + 1
    lib_size = rng.pareto(1.2, P) + 1
    lib_track = weighted_choice(rng, tw, P)
    boot_size = np.arange(1, B + 1, dtype=np.float64) ** -0.8
    chapter_size = rng.pareto(1.3, H) + 1
    chapter_region = weighted_choice(rng, [r[0] for r in REGIONS], H)
    # voters
    role = weighted_choice(rng, [0.47, 0.23, 0.30], V)
    region = weighted_choice(rng, [r[0] for r in REGIONS], V)
    org = np.full(V, -1)
    ind = role == 0
    org[ind] = weighted_choice(rng, company_size, int(ind.sum()))
    lab = np.full(V, -1)
    uni = np.full(V, -1)
    aca = np.flatnonzero(role == 1)
    in_lab = rng.random(len(aca)) < 0.5
    lab[aca[in_lab]] = weighted_choice(rng, lab_size, int(in_lab.sum()))
    uni[aca[in_lab]] = lab_uni[lab[aca[in_lab]]]
    uni[aca[~in_lab]] = weighted_choice(rng, uni_size, int((~in_lab).sum()))
    org[aca] = C + uni[aca]
    region[aca] = uni_region[uni[aca]]
    student = (role == 1) & (rng.random(V) < 0.65)
    bootcamp = np.full(V, -1)
    alum = ((role == 2) & (rng.random(V) < 0.25)) | ((role == 0) & (rng.random(V) < 0.06))
    bootcamp[alum] = weighted_choice(rng, boot_size, int(alum.sum()))
    current = np.zeros(V, dtype=bool)
    for b in range(B):
        pool = np.flatnonzero((bootcamp == b) & (role == 2))
        k = min(len(pool), int(rng.integers(10, 31)))
        current[rng.choice(pool, size=k, replace=False)] = True
    for b in range(B):
        pool = np.flatnonzero((role == 2) & (org < 0) & ~current)
        staff = rng.choice(pool, size=int(rng.integers(2, 6)), replace=False)
        org[staff] = C + U + b
    alma = np.where((role != 1) & (rng.random(V) < 0.20), weighted_choice(rng, uni_size, V), -1)
    chapter = np.where((role != 1) & (rng.random(V) < 0.15), weighted_choice(rng, chapter_size, V), -1)
    region = np.where(chapter >= 0, chapter_region[np.maximum(chapter, 0)], region)
    library = np.where(rng.random(V) < 0.12, weighted_choice(rng, lib_size, V), -1)
    maintainer = (library >= 0) & (rng.random(V) < 0.15)
    offset = np.empty(V)
    for r, (_, offs) in enumerate(REGIONS):
        sel = region == r
        offset[sel] = np.array(offs)[rng.integers(0, len(offs), int(sel.sum()))]
    favourite = np.stack([weighted_choice(rng, tw, V), weighted_choice(rng, tw, V)], axis=1)
    favourite[:, 0] = np.where(lab >= 0, lab_track[np.maximum(lab, 0)], favourite[:, 0])
    favourite[:, 0] = np.where((library >= 0) & (lab < 0), lib_track[np.maximum(library, 0)], favourite[:, 0])
    faculty = (role == 1) & ~student
    return {
        "dims": {"V": V, "T": T, "D": D, "C": C, "U": U, "L": L, "P": P, "B": B, "H": H},
        "tw": tw,
        "company_size": company_size,
        "uni_size": uni_size,
        "uni_region": uni_region,
        "lab_uni": lab_uni,
        "lab_track": lab_track,
        "lab_dept": lab_dept,
        "lab_size": lab_size,
        "lib_size": lib_size,
        "lib_track": lib_track,
        "boot_size": boot_size,
        "role": role,
        "region": region,
        "org": org,
        "lab": lab,
        "uni": uni,
        "student": student,
        "faculty": faculty,
        "bootcamp": bootcamp,
        "current": current,
        "alma": alma,
        "chapter": chapter,
        "library": library,
        "maintainer": maintainer,
        "offset": (offset * HOUR).astype(np.int64),
        "favourite": favourite,
    }


def _names(rng, s: dict) -> dict:
    d = s["dims"]
    C, U, B, P = d["C"], d["U"], d["B"], d["P"]
    words = list(WORDS) + [f"{a}{b}" for b in WORDS for a in WORDS if a != b]
    single = len(WORDS)
    pick = np.r_[rng.permutation(single), single + rng.permutation(len(words) - single)]
    cw = [words[i] for i in pick[:C]]
    bw = [words[i] for i in pick[C : C + B]]
    lw = [words[i] for i in pick[C + B : C + B + P]]
    company_names = [
        f"{w.capitalize()} {COMPANY_SUFFIXES[int(k)]}" for w, k in zip(cw, rng.integers(0, 7, C), strict=True)
    ]
    company_domains = [
        (f"{w}.ai", f"{w}.com", f"{w}data.com")[int(k)] for w, k in zip(cw, rng.integers(0, 3, C), strict=True)
    ]
    places = list(PLACES) + [f"{a}{b}" for b in PLACES for a in PLACES if a != b]
    single = len(PLACES)
    pp = [places[i] for i in np.r_[rng.permutation(single), single + rng.permutation(len(places) - single)][:U]]
    uni_names = [f"University of {p.capitalize()}" for p in pp]
    uni_domains = []
    for p, r in zip(pp, s["uni_region"].tolist(), strict=True):
        if r == 0:
            uni_domains.append(f"{p}.ac.uk" if rng.random() < 0.5 else f"uni-{p}.de")
        else:
            uni_domains.append(UNI_DOMAIN[min(r, 5)].format(p=p))
    boot_names = [f"{w.capitalize()} Academy" for w in bw]
    boot_domains = [f"{w}academy.io" for w in bw]
    return {
        "company_names": company_names,
        "company_domains": company_domains,
        "uni_names": uni_names,
        "uni_places": [p.capitalize() for p in pp],
        "uni_domains": uni_domains,
        "boot_names": boot_names,
        "boot_domains": boot_domains,
        "lib_names": lw,
        "org_names": company_names + uni_names + boot_names,
        "org_domains": company_domains + uni_domains + boot_domains,
    }


def _free_mail(rng, region: np.ndarray) -> np.ndarray:
    out = np.empty(len(region), dtype=object)
    for r in range(len(REGIONS)):
        sel = np.flatnonzero(region == r)
        table = COMMON_MAIL + REGIONAL_MAIL.get(r, ())
        names = np.array([m for m, _ in table], dtype=object)
        out[sel] = names[weighted_choice(rng, [w for _, w in table], len(sel))]
    return out


def _facts(rng, s: dict, n: dict) -> dict:
    """Email domains, company fields, tickets and orders of the voters."""
    d = s["dims"]
    V, C, U = d["V"], d["C"], d["U"]
    org, role, lab, uni = s["org"], s["role"], s["lab"], s["uni"]
    u = rng.random((V, 8))
    free = _free_mail(rng, s["region"])
    national = np.array(["de", "co.uk", "in"], dtype=object)[rng.integers(0, 3, V)]
    domain = np.array(free, dtype=object)
    todo = np.ones(V, dtype=bool)

    def rule(mask, values):
        nonlocal todo
        sel = mask & todo
        domain[sel] = np.asarray(values, dtype=object)[sel] if np.ndim(values) else values
        todo &= ~sel

    comp_dom = np.array(n["company_domains"], dtype=object)
    staff = (org >= 0) & (org < C)
    work = comp_dom[np.clip(org, 0, C - 1)]
    big = staff & (org < 3) & (u[:, 1] < 0.30)
    word = np.array([dm.split(".")[0].removesuffix("data") for dm in n["company_domains"]], dtype=object)
    work = np.where(big, word[np.clip(org, 0, C - 1)] + "." + national, work)
    rule(staff & (u[:, 0] < 0.40), work)
    boot_dom = np.array(n["boot_domains"], dtype=object)
    boot_staff = org >= C + U
    rule(boot_staff & (u[:, 0] < 0.70), boot_dom[np.clip(org - C - U, 0, len(boot_dom) - 1)])
    uni_dom = np.array(n["uni_domains"], dtype=object)
    dept = np.array([dp for dp, _ in DEPARTMENTS], dtype=object)[s["lab_dept"][np.maximum(lab, 0)]]
    base = uni_dom[np.maximum(uni, 0)]
    academic_mail = np.where((lab >= 0) & (u[:, 2] < 0.5), dept + "." + base, base)
    rule((role == 1) & (u[:, 0] < 0.75), academic_mail)
    lib_dom = np.array([f"{w}.org" for w in n["lib_names"]], dtype=object)
    rule(s["maintainer"] & (u[:, 3] < 0.10), lib_dom[np.maximum(s["library"], 0)])
    rule((s["alma"] >= 0) & (u[:, 4] < 0.05), "alumni." + uni_dom[np.maximum(s["alma"], 0)])
    handles = np.array([f"{WORDS[i % len(WORDS)][:4]}{i:06d}.me" for i in range(V)], dtype=object)
    rule(u[:, 5] < 0.04, handles)
    # company field
    spell = rng.integers(0, 5, V)
    other_pick = rng.integers(0, len(OTHER_FIELD), V)
    company_field: list[str | None] = [None] * V
    cn, un, up, bn = n["company_names"], n["uni_names"], n["uni_places"], n["boot_names"]
    for v in np.flatnonzero(u[:, 6] < 0.60).tolist():
        o, sp = int(org[v]), int(spell[v])
        if 0 <= o < C and u[v, 6] < 0.50:
            name = cn[o]
            company_field[v] = (
                name,
                f"{name} Ltd",
                name.split()[0].lower(),
                f"{name.upper()} INC",
                f"{name} (Data Platform)",
            )[sp]
        elif C <= o < C + U and u[v, 6] < 0.45:
            k = o - C
            dept_name = DEPARTMENTS[int(s["lab_dept"][max(int(lab[v]), 0)])][1]
            company_field[v] = (
                un[k],
                f"{up[k]} University",
                f"Univ. of {up[k]}",
                f"Dept. of {dept_name}, {un[k]}",
                un[k],
            )[sp]
        elif o >= C + U:
            company_field[v] = bn[o - C - U]
        elif o < 0 and u[v, 6] < 0.10:
            company_field[v] = OTHER_FIELD[int(other_pick[v])]
    # tickets
    shares = np.array([[0.55, 0.25, 0.20], [0.35, 0.35, 0.30], [0.20, 0.30, 0.50]])
    cum = np.cumsum(shares[role], axis=1)
    ticket = (u[:, 7][:, None] >= cum).sum(axis=1)
    ticket = np.where(s["current"], 1, ticket)
    weight = np.array([1.0, 0.5, 0.0])[ticket]
    order: list[str | None] = [None] * V
    holders = ticket < 2
    r = rng.random(V)
    team = holders & staff & (r < 0.45)
    po = holders & (lab >= 0) & (r < 0.50) & ~s["current"]
    idx = np.flatnonzero(team)
    idx = idx[np.argsort(org[idx], kind="stable")]
    packs = rng.choice([5, 10, 25], size=len(idx) + 1)
    k, prev, room, pack_no = 0, -1, 0, 0
    for v in idx.tolist():
        if org[v] != prev or room == 0:
            pack_no = pack_no + 1 if org[v] == prev else 0
            prev, room = int(org[v]), int(packs[k])
            k += 1
        order[v] = f"TEAM-{int(org[v]):04d}-{pack_no}"
        room -= 1
    idx = np.flatnonzero(po)
    idx = idx[np.argsort(lab[idx], kind="stable")]
    g = lab[idx]
    rank = np.arange(len(idx)) - np.searchsorted(g, g)
    for v, gg, rk in zip(idx.tolist(), g.tolist(), rank.tolist(), strict=True):
        order[v] = f"PO-{gg:04d}-{rk // 30}"
    for v in np.flatnonzero(s["current"]).tolist():
        order[v] = f"EDU-{int(s['bootcamp'][v]):03d}"
    alone = np.flatnonzero(holders & ~team & ~po & ~s["current"])
    alone = alone[rng.permutation(len(alone))]
    friends = rng.random(len(alone)) < 0.08
    extra = rng.integers(1, 3, len(alone))
    i = 0
    while i < len(alone):
        v = int(alone[i])
        code = f"REG-{v:06d}" if ticket[v] == 0 else f"VIR-{v:06d}"
        order[v] = code
        i += 1
        if ticket[v] == 0 and friends[i - 1]:
            for _ in range(int(extra[i - 1])):
                if i < len(alone) and ticket[int(alone[i])] == 0:
                    order[int(alone[i])] = code
                    i += 1
    return {"domain": [str(x) for x in domain], "company_field": company_field, "weight": weight, "order": order}


def _talks(rng, s: dict, n: dict) -> dict:
    d = s["dims"]
    T, C, U = d["T"], d["C"], d["U"]
    fmt = weighted_choice(rng, FORMAT_P, T)
    track = weighted_choice(rng, s["tw"], T)
    talk_lab = np.where(fmt == 0, weighted_choice(rng, s["lab_size"], T), -1)
    talk_lib = np.where(fmt == 2, weighted_choice(rng, s["lib_size"], T), -1)
    talk_boot = np.where((fmt == 3) & (rng.random(T) < 0.40), weighted_choice(rng, s["boot_size"], T), -1)
    talk_company = np.where(fmt == 1, weighted_choice(rng, s["company_size"] ** 0.8, T), -1)
    track = np.where(talk_lab >= 0, s["lab_track"][np.maximum(talk_lab, 0)], track)
    track = np.where(talk_lib >= 0, s["lib_track"][np.maximum(talk_lib, 0)], track)
    quality = rng.normal(0, 1, T)
    popularity = (
        np.exp(0.75 * quality + rng.normal(0, 0.55, T))
        * np.where(track == 0, 1.6, 1.0)
        * np.array([0.7, 1.0, 1.0, 1.5, 3.0, 1.0])[fmt]
        * np.where((talk_company >= 0) & (talk_company < 5), 1.3, 1.0)
    )
    talk_org = np.where(talk_company >= 0, talk_company, -1)
    talk_org = np.where(talk_lab >= 0, C + s["lab_uni"][np.maximum(talk_lab, 0)], talk_org)
    talk_org = np.where(talk_boot >= 0, C + U + talk_boot, talk_org)
    org, lab = s["org"], s["lab"]
    by_lab = members_of(lab, d["L"])
    by_company = members_of(np.where((org >= 0) & (org < C), org, -1), C)
    by_lib = members_of(s["library"], d["P"])
    by_boot = members_of(np.where(org >= C + U, org - C - U, -1), d["B"])
    others = np.flatnonzero((s["role"] == 2) & (org < 0))
    speaker = np.full((T, 4), -1)
    speaker_org = np.full((T, 4), -1)
    present = np.zeros((T, 4), dtype=bool)
    r = rng.random((T, 4, 3))
    for t in range(T):
        f = int(fmt[t])
        slots: list[tuple[np.ndarray, float, int]] = []  # (voter pool, chance a voter, outside org)
        if f == 0:
            lm = by_lab[talk_lab[t]]
            students = lm[s["student"][lm]]
            pis = lm[s["faculty"][lm]]
            home = int(talk_org[t])
            k = 1 + int(weighted_choice(rng, [0.3, 0.4, 0.2, 0.1], 1)[0])
            slots.append((students, 0.85, home))
            if k > 1:
                slots.append((pis[:1], 0.70, home))
            for j in range(2, k):
                other = C + int(rng.integers(0, U)) if r[t, j, 2] >= 0.3 else int(rng.integers(0, C))
                slots.append((lm, 0.60, other))
        elif f == 1:
            c = int(talk_company[t])
            for _ in range(1 if r[t, 0, 2] < 0.7 else 2):
                slots.append((by_company[c], 0.65, c))
        elif f == 2:
            lm = by_lib[talk_lib[t]]
            maint = lm[s["maintainer"][lm]]
            for j in range(1 if r[t, 0, 2] < 0.7 else 2):
                outside = int(rng.integers(0, C)) if r[t, j, 2] < 0.5 else -1
                slots.append((maint if len(maint) > j else lm, 0.80, outside))
        elif f == 3:
            if talk_boot[t] >= 0:
                slots.append((by_boot[talk_boot[t]], 0.50, int(talk_org[t])))
            else:
                slots.append((others, 0.50, -1))
        elif f == 4:
            slots.append((np.empty(0, dtype=np.int64), 0.0, int(rng.integers(0, C + U))))
        else:
            slots.append((others, 0.70, -1))
        for j, (pool, chance, outside) in enumerate(slots[:4]):
            present[t, j] = True
            if len(pool) and r[t, j, 0] < chance:
                v = int(pool[int(r[t, j, 1] * len(pool))])
                if v not in speaker[t]:
                    speaker[t, j] = v
                    speaker_org[t, j] = org[v]
                    continue
            speaker_org[t, j] = outside
    return {
        "fmt": fmt,
        "track": track,
        "quality": quality,
        "popularity": popularity,
        "talk_org": talk_org,
        "talk_lab": talk_lab,
        "talk_lib": talk_lib,
        "talk_boot": talk_boot,
        "speaker": speaker,
        "speaker_org": speaker_org,
        "present": present,
    }


def _speaker_facts(rng, t: dict, n: dict, s: dict, domain: list[str]):
    C = s["dims"]["C"]
    T = len(t["fmt"])
    show = rng.random((T, 4)) < 0.75
    work = rng.random((T, 4)) < 0.60
    free = _free_mail(rng, weighted_choice(rng, [r[0] for r in REGIONS], T * 4)).reshape(T, 4)
    dept = rng.integers(0, len(DEPARTMENTS), (T, 4))
    companies, mails = [], []
    for i in range(T):
        cs, ds = [], []
        for j in range(4):
            if not t["present"][i, j]:
                continue
            o, v = int(t["speaker_org"][i, j]), int(t["speaker"][i, j])
            if o >= 0 and show[i, j]:
                cs.append(n["org_names"][o])
            if v >= 0:
                ds.append(domain[v])
            elif o >= 0 and work[i, j]:
                dom = n["org_domains"][o]
                ds.append(f"{DEPARTMENTS[int(dept[i, j])][0]}.{dom}" if C <= o < C + s["dims"]["U"] else dom)
            else:
                ds.append(str(free[i, j]))
        companies.append(tuple(dict.fromkeys(cs)))
        mails.append(tuple(dict.fromkeys(ds)))
    return companies, mails


def _ballot_lengths(rng, V: int, cap: int, target: float) -> np.ndarray:
    u = rng.random(V)
    light = 1 + rng.binomial(2, 0.4, V)
    complete = np.round(rng.uniform(0.2, 0.6, V) * min(cap, 150))
    z = rng.normal(0, 1.0, V)
    is_light, is_complete = u < 0.15, (u >= 0.15) & (u < 0.17)
    rest = ~is_light & ~is_complete
    fixed = light[is_light].sum() + complete[is_complete].sum()
    mu = np.log(max(1.0, (target - fixed) / max(1, rest.sum()))) - 0.5
    for _ in range(6):
        drawn = np.clip(np.round(np.exp(mu + z[rest])), 1, int(0.6 * cap)).sum()
        mu += np.log(max(1.0, target - fixed) / max(1.0, drawn))
    out = np.where(is_light, light, np.where(is_complete, complete, np.round(np.exp(mu + z))))
    return np.clip(out, 1, int(0.6 * cap)).astype(np.int64)


def _affiliations(s: dict, t: dict):
    """(key, talk) pairs: an organisation's, a lab's and a library's talks; and each voter's three keys."""
    d = s["dims"]
    n_orgs = d["C"] + d["U"] + d["B"]
    keys, talks = [], []
    for j in range(4):
        o = t["speaker_org"][:, j]
        keys.append(o[o >= 0])
        talks.append(np.flatnonzero(o >= 0))
    for name, off in (("talk_lab", n_orgs), ("talk_lib", n_orgs + d["L"])):
        g = t[name]
        keys.append(g[g >= 0] + off)
        talks.append(np.flatnonzero(g >= 0))
    pairs = np.unique(np.stack([np.concatenate(keys), np.concatenate(talks)], axis=1), axis=0)
    voter_keys = np.stack(
        [
            s["org"],
            np.where(s["lab"] >= 0, s["lab"] + n_orgs, -1),
            np.where(s["library"] >= 0, s["library"] + n_orgs + d["L"], -1),
        ],
        axis=1,
    )
    return pairs[:, 0], pairs[:, 1], voter_keys, n_orgs + d["L"] + d["P"]


def _draw_talks(rng, s: dict, t: dict, n: np.ndarray, pop: np.ndarray) -> np.ndarray:
    """Each voter's n distinct talks (rows voter, talk) ∝ the docstring's mixture over `pop`."""
    V, T = len(n), len(pop)
    D = s["dims"]["D"]
    track_seg = weighted_segments(t["track"], np.arange(T), pop, D)
    aff_keys, aff_talks, voter_keys, n_keys = _affiliations(s, t)
    aff_seg = weighted_segments(aff_keys, aff_talks, pop, n_keys)
    whole = np.cumsum(pop)
    long = n > 0.15 * T
    want = np.where(long, 0, n)
    have = np.zeros(V, dtype=np.int64)
    got = np.empty(0, dtype=np.int64)
    rows = []
    for _ in range(4):
        need = want - have
        if not (need > 0).any():
            break
        k = np.where(need > 0, np.ceil(1.5 * need).astype(np.int64) + 4, 0)
        voter = np.repeat(np.arange(V), k)
        m = len(voter)
        channel = weighted_choice(rng, [0.45, 0.40, 0.15], m)
        talk = np.searchsorted(whole, rng.random(m) * whole[-1], side="right")
        fav = s["favourite"][voter, (rng.random(m) >= 0.6).astype(np.int64)]
        in_track = draw_in_segments(rng, track_seg, fav)
        in_aff = draw_in_segments(rng, aff_seg, voter_keys[voter, rng.integers(0, 3, m)])
        talk = np.where((channel == 1) & (in_track >= 0), in_track, talk)
        talk = np.where((channel == 2) & (in_aff >= 0), in_aff, talk)
        talk = np.minimum(talk, T - 1)
        keys = voter * T + talk
        _, first = np.unique(keys, return_index=True)
        first = np.sort(first)
        first = first[~np.isin(keys[first], got)]
        v = voter[first]
        rank = np.arange(len(v)) - np.searchsorted(v, v)
        keep = first[rank < need[v]]
        got = np.concatenate([got, keys[keep]])
        have += np.bincount(voter[keep], minlength=V)
        rows.append(np.stack([voter[keep], talk[keep]], axis=1))
    share = pop / pop.sum()
    for v in np.flatnonzero(long).tolist():
        mix = 0.45 * share
        for col, w in enumerate((0.6, 0.4)):
            sel = (t["track"] == s["favourite"][v, col]) & (pop > 0)
            if sel.any():
                mix = mix + 0.40 * w * np.where(sel, pop, 0) / pop[sel].sum()
        mine = aff_talks[np.isin(aff_keys, voter_keys[v][voter_keys[v] >= 0])]
        mine = mine[pop[mine] > 0]
        mix = mix + (0.15 * np.isin(np.arange(T), mine) / len(mine) if len(mine) else 0.15 * share)
        with np.errstate(divide="ignore"):
            keys = np.log(mix) + rng.gumbel(size=T)
        chosen = np.argsort(-keys)[: min(n[v], int((mix > 0).sum()))]
        rows.append(np.stack([np.full(len(chosen), v), chosen], axis=1))
    out = np.concatenate(rows) if rows else np.empty((0, 2), dtype=np.int64)
    return out[np.lexsort((out[:, 1], out[:, 0]))]


def _latent(rng, w: World, voters: np.ndarray, talks: np.ndarray) -> np.ndarray:
    fav = (w.favourite[voters] == w.track[talks][:, None]).any(axis=1)
    org = w.org[voters]
    same = ((org[:, None] == w.speaker_org[talks]).any(axis=1) & (org >= 0)) | (
        (w.lab[voters] >= 0) & (w.lab[voters] == w.talk_lab[talks])
    )
    same |= (w.library[voters] >= 0) & (w.library[voters] == w.talk_lib[talks])
    return 1.0 * w.quality[talks] + 0.6 * fav + 0.9 * same + w.bias[voters] + rng.normal(0, 1, len(voters))


def _scores(rng, w: World, voters, talks, shift=None) -> np.ndarray:
    latent = _latent(rng, w, voters, talks)
    if shift is not None:
        latent = latent + shift
    return _scores_from(latent, w.style[voters])


STAGE_DAYS = {
    1: (np.arange(10), {0: 2.5, 5: 0.55, 6: 0.55, 7: 1.7, 9: 2.2}, OPENS, STAGE1_CLOSES),
    2: (np.arange(14, 19), {14: 2.5, 18: 2.0}, STAGE2_OPENS, CLOSES),
}


def _session_times(rng, voters: np.ndarray, stage: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """Vote times for rows (voter, stage): sessions per voter and stage as the docstring says."""
    V = len(offset)
    key = voters * 2 + (stage - 1)
    n = np.bincount(key, minlength=2 * V)
    cap = np.tile([6, 3], V)
    k = np.maximum(np.minimum(np.minimum(1 + rng.poisson(n / 10), cap), n), 0)
    session = (rng.random(len(voters)) * k[key]).astype(np.int64)
    n_sessions = int(k.sum())
    s_key = np.repeat(np.arange(2 * V), k)
    s_voter, s_stage = s_key // 2, s_key % 2 + 1
    start = np.empty(n_sessions, dtype=np.int64)
    band = weighted_choice(rng, [0.45, 0.35, 0.12, 0.08], n_sessions)
    lo = np.array([9, 19, 7, 23])[band]
    width = np.array([9, 4, 2, 3])[band]
    local = ((lo + rng.random(n_sessions) * width) * HOUR).astype(np.int64)
    for st, (days, boost, begin, end) in STAGE_DAYS.items():
        sel = np.flatnonzero(s_stage == st)
        dw = np.array([boost.get(int(x), 1.0) for x in days])
        day = days[weighted_choice(rng, dw, len(sel))]
        at = MIDNIGHT + day * DAY + local[sel] - offset[s_voter[sel]]
        at = np.where(at < begin, begin + (rng.random(len(sel)) * 6 * HOUR).astype(np.int64), at)
        at = np.where(at >= end, at - DAY * ((at - end) // DAY + 1), at)
        start[sel] = np.maximum(at, begin)
    first = np.r_[0, np.cumsum(k)[:-1]]
    sid = first[key] + session
    order = np.lexsort((np.arange(len(voters)), sid))
    gaps = 6 + rng.exponential(35, len(voters))
    cum = np.cumsum(gaps[order])
    sid_sorted = sid[order]
    begin_pos = np.searchsorted(sid_sorted, sid_sorted)
    within = cum - cum[begin_pos] + gaps[order][begin_pos]
    duration = np.zeros(n_sessions)
    np.maximum.at(duration, sid_sorted, within)
    ends = np.where(s_stage == 1, STAGE1_CLOSES, CLOSES)
    begins = np.where(s_stage == 1, OPENS, STAGE2_OPENS)
    start = np.maximum(np.minimum(start, ends - 1 - np.ceil(duration).astype(np.int64)), begins)
    at = np.empty(len(voters), dtype=np.int64)
    at[order] = start[sid_sorted] + within.astype(np.int64)
    return at


def _honest(rng, size: str) -> World:
    """The honest conference: structure, facts, talks, ballots and the honest correlated groups."""
    s = _structure(rng, size)
    n = _names(rng, s)
    f = _facts(rng, s, n)
    t = _talks(rng, s, n)
    d = s["dims"]
    V, T = d["V"], d["T"]
    companies, mails = _speaker_facts(rng, t, n, s, f["domain"])
    committee = t["quality"] + rng.normal(0, 0.6, T)
    shortlist = np.zeros(T, dtype=bool)
    shortlist[np.argsort(-committee)[: round(0.35 * T)]] = True
    spec = SIZES[size]
    late = rng.random(V) < 0.12  # stage-2-only voters
    lengths = _ballot_lengths(rng, V, T, 0.95 * spec.votes / (1 - 0.06))
    lengths = np.where(late, np.maximum(1, np.minimum(lengths // 2, int(0.6 * shortlist.sum()))), lengths)
    pairs_1 = _draw_talks(rng, s, t, np.where(late, 0, lengths), t["popularity"])
    pairs_2 = _draw_talks(rng, s, t, np.where(late, lengths, 0), t["popularity"] * shortlist)
    pairs = np.concatenate([pairs_1, pairs_2])
    pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
    back = rng.random(V) < 0.35
    stage = np.where(
        late[pairs[:, 0]] | (back[pairs[:, 0]] & shortlist[pairs[:, 1]] & (rng.random(len(pairs)) < 0.45)), 2, 1
    )
    bias = rng.normal(0, 0.5, V) - 0.4 * s["faculty"] + np.where(rng.random(V) < 0.04, 1.0, 0.0)
    style = (rng.random(V) < 0.06).astype(np.int64)
    joined_as = np.where(
        f["weight"] > 0, weighted_choice(rng, [0.40, 0.50, 0.10], V), weighted_choice(rng, [0.30, 0.10, 0.60], V)
    )  # returning, registration, during the vote
    world = World(
        V=V,
        T=T,
        C=d["C"],
        U=d["U"],
        track=t["track"],
        fmt=t["fmt"],
        quality=t["quality"],
        popularity=t["popularity"],
        shortlist=shortlist,
        talk_org=t["talk_org"],
        talk_lab=t["talk_lab"],
        talk_lib=t["talk_lib"],
        talk_boot=t["talk_boot"],
        speaker=t["speaker"],
        speaker_org=t["speaker_org"],
        speaker_company_field=companies,
        speaker_domains=mails,
        org=s["org"],
        role=s["role"],
        student=s["student"],
        lab=s["lab"],
        uni=s["uni"],
        bootcamp=s["bootcamp"],
        current=s["current"],
        chapter=s["chapter"],
        library=s["library"],
        region=s["region"],
        offset=s["offset"],
        favourite=s["favourite"],
        weight=f["weight"],
        order=f["order"],
        domain=f["domain"],
        company_field=f["company_field"],
        joined=np.zeros(V, dtype=np.int64),
        votes=np.empty((0, 4), dtype=np.int64),
        org_names=n["org_names"],
        org_domains=n["org_domains"],
        lab_uni=s["lab_uni"],
        lab_track=s["lab_track"],
        uni_region=s["uni_region"],
        company_size=s["company_size"],
        style=style,
        bias=bias,
    )
    score = _scores(rng, world, pairs[:, 0], pairs[:, 1])
    at = _session_times(rng, pairs[:, 0], stage, world.offset)
    base = np.stack([pairs[:, 0], pairs[:, 1], score, at], axis=1)
    group_rows = _honest_groups(rng, world, s, size, joined_as)
    world.votes, _ = planted_over_honest(base, group_rows, T)
    stage2 = world.votes[:, 3] >= STAGE2_OPENS
    if (~shortlist[world.votes[stage2, 1]]).any():
        raise AssertionError("a stage-2 vote on a talk off the shortlist")
    for x in np.flatnonzero(shortlist).tolist():
        world.promoted.setdefault(x, []).append(STAGE2_OPENS)
    world.joined = _joined(rng, world, joined_as)
    return world


def _joined(rng, world: World, joined_as: np.ndarray) -> np.ndarray:
    V = world.V
    first = np.full(V, CLOSES, dtype=np.int64)
    np.minimum.at(first, world.votes[:, 0], world.votes[:, 3])
    returning = OPENS - 120 * DAY - (rng.random(V) * 5 * 365 * DAY).astype(np.int64)
    registration = OPENS - (rng.random(V) * 120 * DAY).astype(np.int64)
    soon = first - rng.integers(MINUTE, 45 * MINUTE, V)
    later = first - rng.integers(HOUR, 3 * DAY, V)
    during = np.where(rng.random(V) < 0.65, soon, later)
    made = np.where(joined_as == 0, returning, np.where(joined_as == 1, registration, during))
    return np.minimum(made, first - 2 * MINUTE)


def _honest_groups(rng, world: World, s: dict, size: str, joined_as) -> list[np.ndarray]:
    """The honest correlated groups of the docstring: their votes (rows), and world.honest_groups."""
    V, T = world.V, world.T
    per_kind = WORLD[size][7]
    used = np.zeros(V, dtype=bool)
    rows: list[np.ndarray] = []
    pop = world.popularity
    d = s["dims"]

    def free_of(mask: np.ndarray) -> np.ndarray:
        return np.flatnonzero(mask & ~used)

    def add(kind: str, members: np.ndarray, talks: np.ndarray, p, times, taste) -> None:
        m, k = len(members), len(talks)
        take = rng.random((m, k)) < np.broadcast_to(np.asarray(p, dtype=np.float64), (m,))[:, None]
        take[np.arange(m), rng.integers(0, k, m)] = True
        mi, ti = np.nonzero(take)
        voters, ts = members[mi], talks[ti]
        scores = _scores(rng, world, voters, ts, shift=taste[ti])
        at = np.clip(np.asarray(times(mi, ti)), OPENS, STAGE1_CLOSES - 1).astype(np.int64)
        rows.append(np.stack([voters, ts, scores, at], axis=1))
        used[members] = True
        world.honest_groups.append(
            PlantedBloc(
                kind=kind,
                direction="honest",
                talk_ids=tuple(sorted((talks + 1).tolist())),
                member_ids=tuple(sorted((members + 1).tolist())),
                boosted_talk=None,
            )
        )

    def count(kind: str) -> int:
        return sum(g.kind == kind for g in world.honest_groups)

    def pick(cand: np.ndarray, lo: int, hi: int) -> np.ndarray:
        k = min(len(cand), int(rng.integers(lo, hi + 1)))
        if k == 0:
            return cand
        return np.sort(rng.choice(cand, size=k, replace=False, p=pop[cand] / pop[cand].sum()))

    def members_of(pool: np.ndarray, lo: int, hi: int) -> np.ndarray:
        return np.sort(rng.choice(pool, size=min(len(pool), int(rng.integers(lo, hi + 1))), replace=False))

    def weekday(lo_day: int = 0) -> int:
        return int(rng.choice([x for x in range(lo_day, 10) if x not in (5, 6)]))

    def local_at(day: int, hour: float, offset: int) -> int:
        at = MIDNIGHT + day * DAY + int(hour * HOUR) - offset
        return min(max(at, OPENS), STAGE1_CLOSES - 3 * HOUR)

    # journal clubs
    lab_sizes = np.bincount(np.maximum(world.lab, 0), weights=world.lab >= 0, minlength=d["L"])
    for lab in np.argsort(-lab_sizes, kind="stable").tolist():
        if count("journal_club") == per_kind:
            break
        members = free_of(world.lab == lab)
        uni = int(world.lab_uni[lab])
        cand = np.flatnonzero(
            (world.fmt == 0) & (world.track == world.lab_track[lab]) & (world.talk_org != world.C + uni)
        )
        talks = pick(cand, 4, 8)
        if len(members) < 5 or len(talks) < 2:
            continue
        members = members_of(members, 5, 15)
        at0 = local_at(weekday(), 15, int(np.median(world.offset[members])))
        begin = rng.random(len(members)) * HOUR
        add(
            "journal_club",
            members,
            talks,
            0.8,
            lambda mi, ti, at0=at0, begin=begin: at0 + begin[mi] + ti * 60,
            rng.normal(0.3, 0.8, len(talks)),
        )
    # platform teams
    for c in range(world.C):
        if count("platform_team") == per_kind:
            break
        members = free_of(world.org == c)
        track = int(weighted_choice(rng, s["tw"], 1)[0])
        theirs = (world.speaker_org == c).any(axis=1)
        talks = pick(np.flatnonzero((world.track == track) & ~theirs), 4, 8)
        if len(members) < 8 or len(talks) < 2:
            continue
        members = members_of(members, 8, 30)
        office = MIDNIGHT - world.offset[members]

        def at_office(mi, ti, office=office):
            day = np.array([weekday() for _ in range(len(mi))])
            return office[mi] + day * DAY + (9 + rng.random(len(mi)) * 9) * HOUR

        add("platform_team", members, talks, 0.6, at_office, rng.normal(0.5, 0.6, len(talks)))
    # bootcamp classes
    for b in range(d["B"]):
        if count("bootcamp_class") == per_kind:
            break
        members = free_of(world.current & (world.bootcamp == b))
        cand = np.flatnonzero(((world.fmt == 3) | (world.track == 0)) & (world.talk_boot != b))
        talks = pick(cand, 4, 10)
        if len(members) < 10 or len(talks) < 2:
            continue
        members = members_of(members, 10, 30)
        at0 = local_at(weekday(), 10, int(np.median(world.offset[members])))
        add(
            "bootcamp_class",
            members,
            talks,
            0.7,
            lambda mi, ti, at0=at0: at0 + rng.random(len(mi)) * 2 * HOUR,
            rng.normal(0.4, 0.7, len(talks)),
        )
    # chapter nights
    chapter_sizes = np.bincount(np.maximum(world.chapter, 0), weights=world.chapter >= 0, minlength=d["H"])
    for h in np.argsort(-chapter_sizes, kind="stable").tolist():
        if count("chapter_night") == per_kind:
            break
        members = free_of(world.chapter == h)
        talks = pick(np.arange(T), 5, 12)
        if len(members) < 10:
            continue
        members = members_of(members, 10, 30)
        at0 = local_at(int(rng.integers(0, 10)), 19, int(np.median(world.offset[members])))
        add(
            "chapter_night",
            members,
            talks,
            0.7,
            lambda mi, ti, at0=at0: at0 + rng.random(len(mi)) * 90 * MINUTE,
            rng.normal(0.3, 0.9, len(talks)),
        )
    # an influencer's threads (not recorded)
    ranks = np.argsort(np.argsort(pop)) / T
    listed = np.flatnonzero((ranks >= 0.40) & (ranks < 0.95))
    for _ in range(per_kind):
        talks = np.sort(rng.choice(listed, size=6, replace=False))
        readers = free_of(np.ones(V, dtype=bool))
        members = np.sort(rng.choice(readers, size=max(10, round(0.03 * V / per_kind)), replace=False))
        posted = MIDNIGHT + int(rng.integers(1, 9)) * DAY + 16 * HOUR
        add(
            "influencer_thread",
            members,
            talks,
            rng.integers(1, 4, len(members)) / 6,
            lambda mi, ti, posted=posted: posted + np.minimum(rng.exponential(3 * HOUR, len(mi)), 36 * HOUR),
            np.zeros(len(talks)),
        )
    # the committee's picks (recorded)
    picks = np.flatnonzero((ranks >= 0.40) & (ranks < 0.90))
    picks = picks[~np.isin(picks, np.concatenate([np.asarray(g.talk_ids) - 1 for g in world.honest_groups]))]
    shown = MIDNIGHT + 3 * DAY + 9 * HOUR
    for x in rng.choice(picks, size=4, replace=False).tolist():
        members = np.sort(rng.choice(free_of(np.ones(V, dtype=bool)), size=max(5, round(0.012 * V)), replace=False))
        world.promoted[x] = [int(shown)]
        add(
            "editors_picks",
            members,
            np.array([x]),
            1.0,
            lambda mi, ti: shown + np.minimum(rng.exponential(12 * HOUR, len(mi)), 48 * HOUR),
            np.zeros(1),
        )
    return rows


class _Campaigns:
    """The planted campaigns of the docstring, drawn from their own random stream."""

    def __init__(self, rng, world: World):
        self.rng, self.w = rng, world
        self.used = np.zeros(world.V, dtype=bool)
        for g in world.honest_groups:
            self.used[np.asarray(g.member_ids) - 1] = True
        # campaign-only accounts: (weight, order, domain, company, true organisation, made)
        self.accounts: list[tuple[float, str | None, str, str | None, int, int]] = []
        ranks = np.argsort(np.argsort(world.quality)) / world.T
        self.contenders = np.flatnonzero((ranks >= 0.65) & (ranks < 0.90))
        self.strong = np.flatnonzero(ranks >= 0.85)
        self.pop = world.popularity / world.popularity.sum()

    # helpers
    def size(self, lo: int = 3, hi: int = 40) -> int:
        return int(np.clip(round(np.exp(self.rng.uniform(np.log(lo), np.log(hi)))), lo, hi))

    def eligible(self, mask: np.ndarray, at: float) -> np.ndarray:
        return np.flatnonzero(mask & ~self.used & (self.w.joined <= at - 2 * MINUTE))

    def pick(self, pool: np.ndarray, k: int) -> np.ndarray:
        return np.sort(self.rng.choice(pool, size=min(k, len(pool)), replace=False))

    def limit(self, talks) -> float:
        """The open time a campaign on these talks must end by: stage 1's end unless all are shortlisted."""
        return OPEN_SPAN if self.w.shortlist[np.asarray(talks)].all() else 10 * DAY

    def start(self, width: float, talks) -> float:
        """A campaign's first moment in open time, so that a window of `width` fits."""
        hi = max(2 * HOUR, self.limit(talks) - width - HOUR)
        return float(2 * HOUR + self.rng.random() * (hi - 2 * HOUR))

    def at(self, u, talks) -> np.ndarray:
        """Open times as timestamps, kept before the campaign's limit."""
        u = np.clip(np.asarray(u, dtype=np.float64), 0, self.limit(talks) - 1)
        return real_time(u)

    def top(self, n: int, p6: float) -> np.ndarray:
        return np.where(self.rng.random(n) < p6, 6, 5)

    def plausible(self, talks: np.ndarray) -> np.ndarray:
        latent = 1.0 * self.w.quality[talks] + self.rng.normal(0, 1, len(talks))
        return _scores_from(latent, np.zeros(len(talks), dtype=np.int64))

    def allowed(self, at: int) -> np.ndarray:
        return self.w.shortlist if at >= STAGE2_OPENS else np.ones(self.w.T, dtype=bool)

    def popular(self, k: int, exclude, at: int, within=None) -> np.ndarray:
        p = self.pop * self.allowed(at)
        if within is not None:
            p = p * within
        p[np.asarray(exclude)] = 0
        k = min(k, int((p > 0).sum()))
        return self.rng.choice(self.w.T, size=k, replace=False, p=p / p.sum()) if k else np.empty(0, np.int64)

    def free_mail(self, table=COMMON_MAIL) -> str:
        return table[int(weighted_choice(self.rng, [x for _, x in table], 1)[0])][0]

    def account(self, weight: float, domain: str, joined: int, org: int = -1, prefix: str = "") -> int:
        v = self.w.V + len(self.accounts)
        code = f"VIR-{prefix}{v:07d}" if weight == 0.5 else None
        self.accounts.append((weight, code, domain, None, org, int(joined)))
        return v

    def rows(self, voters, talks, scores, at) -> np.ndarray:
        """Vote rows; a vote that would fall in the pause comes when stage 2 opens (a shortlisted talk)
        or at stage 1's last second (any other)."""
        at = np.clip(np.asarray(at, dtype=np.float64), OPENS, CLOSES - 1).astype(np.int64).ravel()
        talks = np.asarray(talks, dtype=np.int64).ravel()
        pause = (at >= STAGE1_CLOSES) & (at < STAGE2_OPENS)
        at = np.where(pause & self.w.shortlist[talks], at + 4 * DAY, np.where(pause, STAGE1_CLOSES - 1, at))
        at = np.minimum(at, CLOSES - 1)
        return np.stack(
            [np.asarray(voters).ravel(), np.asarray(talks).ravel(), np.asarray(scores).ravel(), at.ravel()], axis=1
        ).astype(np.int64)

    def done(self, kind, direction, members, rows, boosted):
        members = np.asarray(members)
        self.used[members[members < self.w.V]] = True
        bloc = PlantedBloc(
            kind=kind,
            direction=direction,
            talk_ids=tuple(sorted({int(t) + 1 for t in rows[:, 1]})),
            member_ids=tuple(sorted((members + 1).tolist())),
            boosted_talk=None if boosted is None else int(boosted) + 1,
        )
        return [(bloc, rows)]

    def org_talks(self, o: int) -> np.ndarray:
        """The talks one of whose speakers works for organisation `o`, ascending."""
        if not hasattr(self, "_org_talks"):
            pairs = np.unique(np.stack([self.w.speaker_org.ravel(), np.repeat(np.arange(self.w.T), 4)], axis=1), axis=0)
            pairs = pairs[pairs[:, 0] >= 0]
            self._org_talks = {int(k): pairs[pairs[:, 0] == k, 1] for k in np.unique(pairs[:, 0])}
        return self._org_talks.get(o, np.empty(0, dtype=np.int64))

    # the kinds
    def coworkers(self):
        w, rng = self.w, self.rng
        for t in rng.permutation(self.contenders).tolist():
            orgs = w.speaker_org[t][w.speaker_org[t] >= 0]
            if not len(orgs):
                continue
            u0 = self.start(3 * DAY, [t])
            pool = self.eligible(w.org == orgs[0], real_time(u0))
            if len(pool) < 3:
                continue
            m = self.pick(pool, self.size())
            fast = rng.random(len(m)) < 0.6
            delay = np.where(
                fast, np.minimum(rng.exponential(40 * MINUTE, len(m)), 3 * HOUR), rng.random(len(m)) * 3 * DAY
            )
            return self.done(
                "coworkers",
                "support",
                m,
                self.rows(m, [t] * len(m), self.top(len(m), 0.65), self.at(u0 + delay, [t])),
                t,
            )
        return None

    def order(self):
        w, rng = self.w, self.rng
        t = int(rng.choice(self.contenders))
        u0 = self.start(2 * DAY, [t])
        codes: dict[str, list[int]] = {}
        for v in self.eligible(np.ones(w.V, dtype=bool), real_time(u0)).tolist():
            if w.order[v] and w.order[v].startswith(("TEAM-", "PO-")):
                codes.setdefault(w.order[v], []).append(v)
        big = sorted(c for c, vs in codes.items() if len(vs) >= 3)
        if not big:
            return None
        m = np.array(sorted(codes[big[int(rng.integers(len(big)))]])[:40])
        at = self.at(u0 + rng.random(len(m)) * 2 * DAY, [t])
        return self.done("order", "support", m, self.rows(m, [t] * len(m), self.top(len(m), 0.6), at), t)

    def friends_burst(self):
        w, rng = self.w, self.rng
        t = int(rng.choice(self.contenders))
        u0 = self.start(2 * HOUR, [t])
        pool = rng.permutation(self.eligible(np.ones(w.V, dtype=bool), real_time(u0)))
        k, chosen, orders = self.size(), [], set()
        for v in pool.tolist():
            if w.order[v] is not None and w.order[v] in orders:
                continue
            orders.add(w.order[v])
            chosen.append(v)
            if len(chosen) == k:
                break
        m = np.sort(np.array(chosen))
        at = self.at(u0 + rng.random(len(m)) * 90 * MINUTE, [t])
        return self.done("friends_burst", "support", m, self.rows(m, [t] * len(m), self.top(len(m), 0.75), at), t)

    def friends_spread(self):
        w, rng = self.w, self.rng
        t = int(rng.choice(self.contenders))
        u0 = self.start(5 * DAY, [t])
        k = self.size()
        old = self.pick(self.eligible(np.ones(w.V, dtype=bool), real_time(u0)), round(0.5 * k))
        parts = [
            self.rows(old, [t] * len(old), self.top(len(old), 0.6), self.at(u0 + rng.random(len(old)) * 5 * DAY, [t]))
        ]
        members = old.tolist()
        for _ in range(k - len(old)):
            at = int(self.at(u0 + rng.random() * 5 * DAY, [t]))
            v = self.account(0.0, self.free_mail(), at - int(rng.integers(2 * MINUTE, 30 * MINUTE)))
            members.append(v)
            parts.append(self.rows([v], [t], self.top(1, 0.6), [at]))
            if rng.random() < 0.4:
                o = self.popular(int(rng.integers(1, 3)), t, at, w.track == w.track[t])
                parts.append(self.rows([v] * len(o), o, self.plausible(o), at + rng.integers(20, 400, len(o))))
        return self.done("friends_spread", "support", np.array(sorted(members)), np.concatenate(parts), t)

    def sockpuppets(self):
        w, rng = self.w, self.rng
        t = int(rng.choice(self.contenders))
        k = self.size(3, 15)
        gaps = rng.uniform(4 * HOUR, 20 * HOUR, k - 1)
        span = float(gaps.sum()) + HOUR
        u0 = self.start(span, [t])
        sittings = self.at(u0 + np.r_[0, np.cumsum(gaps)], [t])
        cover_pool = w.shortlist if w.shortlist[t] else np.ones(w.T, dtype=bool)
        cover = self.popular(int(rng.integers(4, 10)), t, 0, cover_pool)
        talks = np.r_[t, cover]
        common = np.r_[6, self.plausible(cover)]
        made0 = int(sittings[0]) - int(rng.integers(DAY, 4 * DAY))
        parts, members = [], []
        for start in sittings.tolist():
            weight = 0.0 if rng.random() < 0.85 else 0.5
            v = self.account(weight, self.free_mail(PUPPET_MAIL), made0 + int(rng.integers(0, 40 * MINUTE)), prefix="P")
            scores = common.copy()
            if len(cover):
                change = rng.choice(
                    np.arange(1, len(talks)), size=min(len(cover), int(rng.integers(0, 3))), replace=False
                )
                scores[change] = np.clip(scores[change] + rng.choice([-1, 1], len(change)), 1, 6)
            order = rng.permutation(len(talks))
            at = start + rng.integers(0, 2 * MINUTE) + np.cumsum(rng.integers(20, 61, len(talks)))
            members.append(v)
            parts.append(self.rows([v] * len(talks), talks[order], scores[order], at))
        return self.done("sockpuppets", "support", np.array(members), np.concatenate(parts), t)

    # new kinds
    def slack_waves(self):
        w, rng = self.w, self.rng
        for c in rng.permutation(w.C).tolist():
            talks = self.org_talks(c)
            if not len(talks):
                continue
            lead = np.intersect1d(talks, self.contenders)
            first = int(rng.choice(lead)) if len(lead) else int(rng.choice(talks))
            rest = rng.permutation(talks[talks != first])[:2]
            talks = np.r_[first, rest]
            u0 = self.start(4 * DAY + 4 * HOUR, talks)
            pool = self.eligible(w.org == c, real_time(u0))
            if len(pool) < 3:
                continue
            m = self.pick(pool, self.size(10, 40))
            wave = weighted_choice(rng, [0.5, 0.3, 0.2], len(m))
            u = u0 + wave * 2 * DAY + np.minimum(rng.exponential(1.5 * HOUR, len(m)), 4 * HOUR)
            vi = np.repeat(m, len(talks))
            ti = np.tile(talks, len(m))
            at = self.at(np.repeat(u, len(talks)) + np.tile(np.arange(len(talks)) * 45, len(m)), talks)
            return self.done("slack_waves", "support", m, self.rows(vi, ti, self.top(len(vi), 0.7), at), first)
        return None

    def review_ring(self):
        w, rng = self.w, self.rng
        labs, unis, talks = [], set(), []
        want = int(rng.integers(3, 5))
        u0 = 2 * HOUR + rng.random() * (6 * DAY - 3 * HOUR)  # four days inside stage 1
        for lab in rng.permutation(len(w.lab_uni)).tolist():
            mine = np.flatnonzero(w.talk_lab == lab)
            if not len(mine) or int(w.lab_uni[lab]) in unis:
                continue
            pool = self.eligible(w.lab == lab, real_time(u0))
            if len(pool) < 3:
                continue
            labs.append((lab, pool))
            unis.add(int(w.lab_uni[lab]))
            talks.append(int(rng.choice(mine)))
            if len(labs) == want:
                break
        if len(labs) < 2:
            return None
        out = []
        for i, (_, pool) in enumerate(labs):
            theirs = np.array([x for j, x in enumerate(talks) if j != i])
            m = self.pick(pool, self.size(3, 8))
            vi, ti = np.repeat(m, len(theirs)), np.tile(theirs, len(m))
            at = self.at(u0 + rng.random(len(vi)) * 4 * DAY, np.array(talks))
            rows = self.rows(vi, ti, self.top(len(vi), 0.8), at)
            out += self.done("review_ring", "support", m, rows, talks[(i + 1) % len(talks)])
        return out

    def bootcamp_alumni(self):
        w, rng = self.w, self.rng
        for t in rng.permutation(np.flatnonzero(w.talk_boot >= 0)).tolist():
            b = int(w.talk_boot[t])
            other = np.flatnonzero((w.talk_boot == b) & (np.arange(w.T) != t))[:1]
            talks = np.r_[t, other]
            u0 = self.start(2 * DAY, talks)
            pool = self.eligible((w.bootcamp == b) & ~w.current, real_time(u0))
            if len(pool) < 3:
                continue
            m = self.pick(pool, self.size(10, 40))
            u = u0 + np.minimum(rng.exponential(12 * HOUR, len(m)), 2 * DAY)
            parts = [self.rows(m, [t] * len(m), self.top(len(m), 0.6), self.at(u, talks))]
            if len(other):
                also = rng.random(len(m)) < 0.3
                parts.append(
                    self.rows(
                        m[also],
                        [int(other[0])] * int(also.sum()),
                        self.top(int(also.sum()), 0.5),
                        self.at(u[also] + 90, talks),
                    )
                )
            return self.done("bootcamp_alumni", "support", m, np.concatenate(parts), t)
        return None

    def astroturf_batch(self):
        rng = self.rng
        t = int(rng.choice(self.contenders))
        k = self.size(10, 40)
        batches = [k] if k < 20 else [k // 2, k - k // 2]
        u0 = self.start(4 * DAY + 12 * HOUR, [t])
        domain = f"{WORDS[int(rng.integers(len(WORDS)))]}-mail.xyz"
        parts, members = [], []
        for b, n in enumerate(batches):
            u_start = u0 + (b * rng.uniform(1, 3) * DAY) + rng.uniform(1, 6) * HOUR
            starts = self.at(u_start + np.cumsum(rng.integers(20, 181, n)), [t])
            made = int(starts[0]) - int(rng.uniform(1, 6) * HOUR) - 8 * MINUTE
            for at in starts.tolist():
                mail = domain if rng.random() < 0.6 else "gmail.com"
                v = self.account(0.0, mail, made + int(rng.integers(0, 8 * MINUTE)))
                extra = rng.choice(np.flatnonzero(self.allowed(at)), size=int(rng.integers(0, 4)), replace=False)
                extra = extra[extra != t]
                talks = np.r_[t, extra]
                scores = np.r_[6, rng.integers(1, 7, len(extra))]
                members.append(v)
                parts.append(
                    self.rows([v] * len(talks), talks, scores, at + np.arange(len(talks)) * rng.integers(4, 15))
                )
        return self.done("astroturf_batch", "support", np.array(members), np.concatenate(parts), t)

    def linkedin_post(self):
        w, rng = self.w, self.rng
        t = int(rng.choice(self.contenders))
        u0 = self.start(6 * DAY, [t])
        k = self.size()
        old = self.pick(self.eligible(np.ones(w.V, dtype=bool), real_time(u0)), round(0.35 * k))
        delay = lambda n: np.minimum(rng.exponential(28 * HOUR, n), 6 * DAY)  # noqa: E731
        parts = [self.rows(old, [t] * len(old), self.top(len(old), 0.6), self.at(u0 + delay(len(old)), [t]))]
        members = old.tolist()
        for _ in range(k - len(old)):
            at = int(self.at(u0 + delay(1)[0], [t]))
            r = rng.random()
            if r < 0.55:
                o = int(weighted_choice(rng, w.company_size, 1)[0])
                mail = w.org_domains[o]
            elif r < 0.65:
                o = w.C + int(rng.integers(0, w.U))
                mail = w.org_domains[o]
            else:
                o, mail = -1, self.free_mail()
            weight = 0.0 if rng.random() < 0.85 else 0.5
            v = self.account(weight, mail, at - int(rng.integers(2 * MINUTE, HOUR)), org=o, prefix="L")
            members.append(v)
            parts.append(self.rows([v], [t], self.top(1, 0.6), [at]))
            if rng.random() < 0.25:
                x = self.popular(1, t, at, w.track == w.track[t])
                parts.append(self.rows([v] * len(x), x, self.plausible(x), at + rng.integers(30, 600, len(x))))
        return self.done("linkedin_post", "support", np.array(sorted(members)), np.concatenate(parts), t)

    def giveaway(self):
        w, rng = self.w, self.rng
        companies = [c for c in rng.permutation(w.C).tolist() if len(self.org_talks(c))]
        if not companies:
            return None
        lead = [c for c in companies if np.intersect1d(self.org_talks(c), self.contenders).size]
        c = (lead or companies)[0]
        talks = self.org_talks(c)
        hit = np.intersect1d(talks, self.contenders)
        t = int(rng.choice(hit)) if len(hit) else int(rng.choice(talks))
        rest = talks[talks != t]
        u0 = self.start(DAY, np.r_[t, rest])
        k = self.size(10, 40)
        old = self.pick(self.eligible(np.ones(w.V, dtype=bool), real_time(u0)), round(0.25 * k))
        at_old = self.at(u0 + rng.random(len(old)) * DAY, np.r_[t, rest])
        parts = [self.rows(old, [t] * len(old), [6] * len(old), at_old)]
        members = old.tolist()
        for _ in range(k - len(old)):
            at = int(self.at(u0 + rng.random() * DAY, np.r_[t, rest]))
            v = self.account(0.0, self.free_mail(), at - int(rng.integers(MINUTE, 10 * MINUTE)))
            members.append(v)
            talks_v = np.r_[t, rest] if rng.random() < 0.5 else np.array([t])
            parts.append(self.rows([v] * len(talks_v), talks_v, [6] * len(talks_v), at + np.arange(len(talks_v)) * 25))
        return self.done("giveaway", "support", np.array(sorted(members)), np.concatenate(parts), t)

    def course_assignment(self):
        w, rng = self.w, self.rng
        uni_talk = (w.speaker_org >= w.C) & (w.speaker_org < w.C + w.U)
        cands = np.flatnonzero(uni_talk.any(axis=1))
        first = np.intersect1d(cands, self.contenders)
        for t in np.r_[rng.permutation(first), rng.permutation(np.setdiff1d(cands, first))].astype(np.int64).tolist():
            u_idx = int(w.speaker_org[t][uni_talk[t]][0]) - w.C
            day = int(rng.choice([x for x in range(10) if x not in (5, 6)]))
            offset = int(np.array(REGIONS[int(w.uni_region[u_idx])][1]).mean() * HOUR)
            class_at = MIDNIGHT + day * DAY + 10 * HOUR - offset
            class_at = min(max(class_at, OPENS), STAGE1_CLOSES - 2 * HOUR)
            pool = self.eligible(w.student & (w.uni == u_idx), class_at)
            if len(pool) < 3:
                continue
            m = self.pick(pool, self.size(10, 40))
            parts = []
            for v in m.tolist():
                at = class_at + int(rng.integers(0, 75 * MINUTE))
                x = self.popular(int(rng.integers(2, 5)), t, at, w.track == w.track[t])
                talks = np.r_[t, x]
                scores = np.r_[self.top(1, 0.7), self.plausible(x)]
                parts.append(
                    self.rows(
                        [v] * len(talks), talks, scores, np.minimum(at + np.arange(len(talks)) * 50, STAGE1_CLOSES - 1)
                    )
                )
            return self.done("course_assignment", "support", m, np.concatenate(parts), t)
        return None

    def rival_vendor(self):
        w, rng = self.w, self.rng
        strong = rng.permutation(self.strong)
        for t in np.r_[strong[w.fmt[strong] == 2], strong[w.fmt[strong] != 2]].tolist():
            u0 = self.start(4 * DAY, [t])
            theirs = set(w.speaker_org[t].tolist())
            for c in [c for c in rng.permutation(w.C).tolist() if c not in theirs][:5]:
                pool = self.eligible(w.org == c, real_time(u0))
                if len(pool) < 5:
                    continue
                m = self.pick(pool, self.size(5, 25))
                scores = np.where(rng.random(len(m)) < 0.6, 1, 2)
                scores[0] = 1
                at = self.at(u0 + rng.random(len(m)) * 4 * DAY, [t])
                return self.done("rival_vendor", "oppose", m, self.rows(m, [t] * len(m), scores, at), None)
        return None

    def rival_lab(self):
        w, rng = self.w, self.rng
        for t in rng.permutation(self.strong[w.fmt[self.strong] == 0]).tolist():
            u0 = self.start(2 * HOUR, [t])
            for lab in rng.permutation(np.flatnonzero(w.lab_track == w.track[t])).tolist():
                if lab == w.talk_lab[t]:
                    continue
                pool = self.eligible(w.lab == lab, real_time(u0))
                if len(pool) < 3:
                    continue
                m = self.pick(pool, self.size(3, 10))
                scores = np.where(rng.random(len(m)) < 0.7, 1, 2)
                scores[0] = 1
                at = self.at(u0 + rng.random(len(m)) * 2 * HOUR, [t])
                return self.done("rival_lab", "oppose", m, self.rows(m, [t] * len(m), scores, at), None)
        return None


def fresh8_conference(size: str = "small", seed: int = 1, plant: Callable | None = None) -> SyntheticConference:
    """The data-science conference of the module docstring with its campaigns. `plant` (for honest-only
    runs, e.g. bench/blocs_calibration.plant_nothing) replaces the campaigns and may only plant nothing."""
    return fresh_world_conference(
        size,
        seed,
        plant,
        name="fresh8",
        salt=8000,
        honest=_honest,
        campaigns=_Campaigns,
        kinds=BLOC_KINDS,
        kind_p=KIND_P,
        closes=CLOSES,
        scale=SCALE,
        check=_check_stages,
    )


def _check_stages(world: World, conf: SyntheticConference) -> None:
    """No vote in the pause, and no stage-2 vote on a talk off the shortlist."""
    at, talks = conf.data.vote_at, conf.data.vote_talk
    late = at >= STAGE2_OPENS
    if (~world.shortlist[talks[late]]).any() or ((at >= STAGE1_CLOSES) & ~late).any():
        raise AssertionError("a vote in the pause, or in stage 2 on a talk off the shortlist")
