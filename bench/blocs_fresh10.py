"""A tenth synthetic world for bloc detection: an international clinical congress (critical care, emergency medicine,
nursing and their neighbours) whose members choose the "Members' choice" sessions by rating the submitted abstracts
on a GRADE-like 1-9 scale over three weeks of March, across two daylight-saving changes.

Written apart from the detector (it reads only blocs_synthetic's dataclasses, SIZES, its weighted draws and
`world_conference`, BlocInput's format and confvote's free-mail list), and committed before anything measured it:
an out-of-sample test. Deterministic per (size, seed); pure numpy. Why this world: the nine before it are tech,
research, public-sector, open-source, hacker, data and games conferences. A clinical congress's voters are nurses,
doctors, residents, allied professionals, students, industry staff and patients; they work in hospitals that are
one employer behind several domains (merged trusts, a university's .edu beside the hospital's .org) while one
domain can hold thousands of strangers (nhs.net, a state health department, a Danish region); they vote on breaks
of day and night shifts; pharmaceutical groups sponsor both registrations and speakers (key opinion leaders) from
hospitals that are not theirs, through subsidiaries with their own names and domains and through communication
agencies; residents rotate between the hospitals of a training programme, so their mail and company field often
name the last one; patients come through charities. The model, pre-registered:

Event. A European-based congress; the members' vote opens Monday 2027-03-08 08:00 UTC and runs 21 days (closes
Monday 2027-03-29 08:00 UTC) on the scale 1-9 ("1 not important" ... "4 important" ... "7 critical" ... "9"),
wanted from 7 ("critical": I want this session in the programme). North America moves its clocks on day 6
(Sunday 14 March), Europe and the UK on day 20 (Sunday 28 March): a voter's local hours follow. Sizes as SIZES:
small 1,000 voters / 200 talks / ~20k votes, medium 20,000 / 1,000 / ~200k, large 100,000 / 5,000 / ~1M;
campaign-only accounts come on top of the voters.

Structure (small / medium / large). Tracks 8 / 12 / 16 (nursing practice, patient experience, education &
training, then clinical specialties: critical care, emergency medicine, cardiology, infection, oncology,
paediatrics, surgery & perioperative, anaesthesia, primary care, mental health, older people's care, patient
safety & quality, digital health; weights Dirichlet(1.5), a topicality factor lognormal(0, 0.3) each). Hospitals
12 / 80 / 300 (size ∝ rank^-0.8, the largest 30% academic; region UK 30%, Western Europe 28% (Germany, France,
Netherlands, Denmark), North America east 15% / west 6%, Australia 8%, Asia 8%, Middle East & Africa 3%, Latin
America 2%; names and domains by country: "<Name> General Hospital|Royal Infirmary|University Hospitals"
"<name>.nhs.uk" (40% also a merged trust's legacy "<name>hospitals.nhs.uk"), "Klinikum|Universitätsklinikum <Name>"
"klinikum-<name>.de|uk-<name>.de", "CHU de <Name>" "chu-<name>.fr", "<Name> Medisch Centrum" "<name>mc.nl", "<Name>
Hospital" "<name>hospital.dk", "<Name> Health|University Medical Center" "<name>health.org" (academic also
"<name>.edu"), "<Name> Hospital" "<name>.org.au", "<Name> Medical Centre" "<name>hospital.org", "Hospital <Name>"
"hospital<name>.org"); pharmaceutical groups 3 / 8 / 20 (size ∝ rank^-1.0, "<Name> Pharma|Therapeutics|Medical"
"<name>.com", each with 0-3 subsidiaries: "<Name> Oncology" "<name>-oncology.com", "<Name> Diagnostics"
"<name>dx.com", an acquired "<Other> Bio" "<other>bio.com"); medical communication agencies 1 / 3 / 6 ("<Name> Health
Communications", "<name>-health.com"); universities and nursing schools 3 / 12 / 35 (size Pareto(1.0) + 1,
"University of <Name>", "<name>.ac.uk|.edu|.edu.au" or "uni-<name>.de"); patient charities 3 / 10 / 30 (size
Pareto(1.2) + 1, "<Disease> Alliance|Foundation|UK|Network|Trust|Society", "<disease><suffix>.org", a track each);
special interest groups (SIGs) of the society 6 / 30 / 80 (a track each, size Pareto(1.2) + 1); residency
programmes 2 / 10 / 30 (2-6 hospitals of one region each, one hospital in one programme at most); podcasters 4 /
20 / 60 (clinician voters, audience Pareto(1.0) + 1). Organisations are numbered hospitals, pharma, agencies,
universities, charities.

Voters. Role: nurse 30%, physician 15%, resident 11%, allied health 8%, industry 6%, student 12%, academic 6%,
patient or carer 12%. Organisation: clinical roles a hospital ∝ size; industry a pharma group ∝ size (85%) or an
agency (∝ size), a pharma voter in the group's parent (50%) or one of its subsidiaries; students and academics a
university ∝ size; patients none, except 10% who work for a charity. Region: hospitals as above, pharma groups and
agencies UK 40%, Western Europe 35%, North America east 25%, universities and charities as voters: UK 22%, Western
Europe 22%, North America east 14% / west 6%, Australia 8%, Asia 14%, Middle East & Africa 8%, Latin America 6%; an
organisation's voters take its region w.p. 0.85. Clinical staff have a unit (a clinical track by weight); nurses
work nights w.p. 0.35, residents 0.2, allied 0.1. A resident at a programme's hospital is in that programme and
rotated in from another of its hospitals w.p. 0.8 (their former hospital). SIGs: clinicians and academics
(physicians 60%, academics 50%, residents and allied 40%, nurses 35%) in 1 (70%) or 2 SIGs, ∝ size, the first in
their unit's track w.p. 0.6 when there is one. Patients are members of a charity w.p. 0.65 (its staff always).
Podcasts: 20% of clinicians and students, 8% of others follow one (∝ audience). Favourite tracks: two; the first a
clinician's unit (a nurse's nursing practice w.p. 0.4), a student's education or nursing practice w.p. 0.3 each, a
patient's patient experience (0.6) or their charity's track; else by weight.
Email, the first rule that applies: hospital staff use work mail w.p. nurse 0.45, physician 0.6, resident 0.55,
allied 0.5: a UK hospital's staff nhs.net (55%, shared by every NHS hospital) else the trust's domain (legacy 30%
where there is one), a Danish hospital's regionh.dk (60%), an Australian one's health.nsw.gov.au (70%), a North
American academic's physicians and residents the .edu (50%); a resident rotated in uses the former hospital's domain
in 30% of cases. Industry 75% (a pharma voter their unit's domain, agency staff the agency's); students 60% the
university's (half "student.<domain>"); academics 75%; charity staff 70%. 3% of the rest a family domain
"<name>family.co.uk" or "<name>.me"; else free mail by region (gmail, outlook, hotmail, yahoo, icloud; UK
btinternet.com, sky.com, hotmail.co.uk; Europe gmx.de, t-online.de, orange.fr, ziggo.nl; North America aol.com,
comcast.net; Australia bigpond.com; Asia yahoo.co.in, rediffmail.com, 163.com, naver.com; Latin America uol.com.br).
Company field (filled w.p. nurse .50, physician .65, resident .55, allied .50, industry .70, student .45, academic
.60, patient .25): a hospital's spellings (canonical, lower case, initials, "<Unit>, <Name>", "Dept of <Unit>,
<Name>", the bare place name, a UK trust's "... NHS Foundation Trust", a dropped letter), a resident rotated in
names the former hospital w.p. 0.25 or "<Programme> training programme" w.p. 0.15; a pharma voter their unit's name
("<Name> Oncology", "<Other> Bio, a <Name> company", "<Name> Pharma GmbH", upper case initials); agency staff the
agency or "Medical writer"; students "University of X", "X Uni nursing student", "Student nurse"; academics the
university; patients "Patient", "Carer", "Retired", "-", "Patient advocate" or "<Charity> volunteer". True
organisation: the organisation of the role (a resident's current hospital; patients none unless charity staff).
Tickets: full registration 1.0 / virtual 0.5 / free account 0.0 by role (nurse .45/.30/.25, physician .70/.20/.10,
resident .50/.30/.20, allied .45/.30/.25, industry .80/.10/.10, student .20/.40/.40, academic .60/.30/.10, patient
.10/.25/.65). Orders: nurses and allied staff with a full registration 50% on their hospital's education-budget
orders ("HOSP-", chunks of 10, 25 or 50); physicians and residents with a full registration 8% (a key opinion
leader 80%) on a pharma group's sponsored-delegate orders ("SPON-", chunks of 20, from every hospital); students
with a virtual ticket 50% on their university's order ("UNI-", chunks of 30); charity members with a ticket 60% on
their charity's bursary order ("BUR-", chunks of 15); the rest alone ("REG-" full, "VIR-" virtual). Accounts:
ticket holders members returning 40% (1-8 years before), registered 40% (60 days before), during the vote 20%;
free accounts 20/20/60%; made during the vote 1-45 min before the first vote (70%) or 1 h-2 days; always two
minutes before it.

Talks. Format: clinical 40% (a hospital ∝ size^1.2), nursing 13% (a hospital ∝ size^0.7; track nursing practice
w.p. 0.6), research 14% (a university), industry symposium 7% (a pharma group), patient 6% (a charity; track patient
experience w.p. 0.7, else the charity's), education 7% (a university 60% or a hospital; track education),
independent 13%; other tracks by weight. Quality q ~ N(0, 1). Popularity = exp(0.7 q + N(0, 0.6)) × topicality ×
(clinical 1.2, nursing 1.0, research 0.7, industry 0.5, patient 1.3, education 0.8, independent 0.9). Speakers 1
(55%), 2 (30%) or 3 (15%): an organisation's talk's first speaker is a voter of it w.p. 0.7 (a nursing talk's a
nurse when it has one; else an outside one of it), further ones of it 70% (voters 60%), else 50% a hospital of the
same region (a voter of it half the time), else an outside speaker of none; a patient talk's first speaker is a
member of the charity (a voter w.p. 0.7) and its second a clinician of a hospital; an independent talk's a
clinician voter w.p. 0.6. Key opinion leaders: each pharma group retains 1-4 physician speakers of other
organisations (of academic hospitals first); a talk with one is the group's sponsored talk and discloses the group
among its speakers' companies w.p. 0.3 (the group is not the speaker's organisation). Speaker facts: the
organisation's canonical name 75% when it has one; domain: a voter speaker's own, an outside one's organisation's
main domain 60% (nhs.net for half of the UK ones), else gmail.com; a patient talk also names its charity among
its speakers' companies w.p. 0.6.

Honest ballots. Length: 20% light (1-3), 1% completionists (U(0.2, 0.5)·min(T, 150)), the rest lognormal (σ 1.0)
with the mean that brings the ballots to 103% of the size's votes; at most T / 2. Talks: each draw from the whole
programme ∝ popularity (45%), a favourite track (0.7/0.3) ∝ popularity (40%), or an affiliation's talks (15%: the
organisation's; a rotated resident's former hospital's half the time; a charity member's charity's); first n
distinct; completionists by Gumbel keys. Score: latent = 0.8 q + 0.5·(a favourite track) + 0.9·(own or former
organisation's talk, own charity's: loyalty) + bias + N(0, 1), bias N(0, 0.45) (6% severe -0.9, 5% generous +0.9),
a patient's latent × 1.4; cut at -1.8, -1.3, -0.8, -0.3, 0.15, 0.7, 1.35, 2.4 into 1-9; 10% of voters are coarse
raters who use only 1, 5 and 9 (1-3 → 1, 4-6 → 5, 7-9 → 9). Time: 1 + min(Poisson(n / 10), 6) sittings per voter;
a vote's sitting floor(U^1.3·s); a sitting's local day ∝ 1 (day 0 ×3: the opening mail, day 1 ×1.8, days 7 and 14
×2: the society's reminders, days 20-21 ×2.5: last call, weekends ×0.85) and local hour by the voter's rhythm:
night shift (whoever works nights: 02-05 on the ward, 08-11 after it, 15-18 before the next), day shift (other
nurses and allied staff: breaks 12-13, evenings 19-23), clinicians (physicians and residents: 06-07, lunch, 17-23),
office (industry, academics: 09-17), students (10-16 and 20-01), patients (09-21); a sitting before the opening
starts U(0, 4 h) after it, one past the close whole days earlier; votes 8 s + Exp(35 s) apart.

Honest correlated groups (honest stream; each voter in one group at most, in no bloc; their votes replace the
members' own draws of the same talks). Per kind small 1, medium 3, large 7; the editors' picks once.
- ward_night_break: 5-12 night-shift nurses of one hospital unit rate 4-8 talks of their unit's track or nursing
  practice on a 03:00 local break (within 1 h), each w.p. 0.7; shared taste N(0.3, 0.8).
- journal_club: 8-20 physicians and residents of one hospital unit at a Wednesday 12:30 local journal club (within
  90 min) go through 6-10 talks of their track, each w.p. 0.6; shared taste N(0.2, 0.7).
- nursing_class: 15-40 students of one university in a weekday 10:00 local class (within 1 h) rate 4-8 talks of
  nursing practice or education, each w.p. 0.6; shared taste N(0.4, 0.6).
- patient_forum (NOT recorded): a thread on a charity's forum: 10-30 members rate 3-6 patient-experience and
  charity-track talks not the charity's own, each w.p. 0.5, Exp(1 day) after the thread (cut at 5 days); taste
  N(0.5, 0.8).
- podcast_mention (NOT recorded): a podcaster with no talk names 4 talks in an episode (06:00 UTC, day 3-15);
  min(followers, max(10, 2% of V)) followers rate each w.p. c/4 (c uniform 1-3, at least one) Exp(8 h) after (cut
  at 48 h); taste N(0.3, 0.6).
- editors_picks: the congress's "Editors' picks" mail (RECORDED as a promotion of its talks) on day 10 at 09:00 UTC
  with 6 talks (popularity 40-90th percentile); per talk 1.2% of the voters (at least 5) rate it Exp(12 h) after
  (cut at 72 h), own scores.

Planted campaigns (their own random stream: the honest world is the same with or without them). A bloc has 3-40
members (log-uniform in the kind's range, then what the kind finds); members are voters in no honest group and no
other bloc whose account existed two minutes before the campaign began. A contender has quality between the 65th
and 90th percentile, a strong talk is in the top 15%. Campaigns: each kind once, then kinds drawn at random until
there are max(size's blocs, 12) blocs. Support votes are 9; opposition votes 1 (a guideline dispute's 20% 2 or 3).
- coworkers: 3-40 staff of the hospital (or other organisation) of a contender's speaker, whatever domain they
  use: 50% within Exp(1 h) of a ward group-chat message (cut at 4 h), 50% spread over four days.
- order: the eligible members (at least 3, at most 40) of one HOSP, SPON, UNI or BUR order push a contender by
  another organisation over two days.
- friends_burst: unrelated existing voters (one per order at most), within 90 minutes.
- friends_spread: a clinician's posts over seven days: 50% existing voters, 50% new free-mail accounts (free; joined
  2-30 min before their vote; 40% also rate 1-2 talks of the target's track, plausibly scored).
- sockpuppets: one person's 3-12 free-mail accounts made within 30 minutes 1-3 days before the first sitting; a
  common ballot (the target 9 and 4-8 cover talks scored plausibly), each account moving 0-2 cover scores by one;
  one account per sitting, sittings U(3 h, 16 h) apart, each within 10 minutes.
- kol_push (new): a pharma group's medical-affairs staff (parent and subsidiaries alike, 5-40) rate every talk of
  its key opinion leaders (1-3; the boosted one, a contender first, 9; the others 9 w.p. 0.8, else 8), each member
  in one sitting (45 s a talk) in weekday office hours (09:00-17:30 local) on one of five days.
- rotation_cohort (new): 3-30 residents of a training programme, at its hospitals other than the speaker's (not
  coworkers), push a talk of a physician of one of the programme's hospitals after the chief resident's message:
  60% within Exp(3 h) (cut at 12 h), 40% over three days.
- patient_drive (new): a charity's social post for its patient partner's talk (a patient talk of the charity,
  contenders first): 10-40 members, 30% existing charity members, 70% new free-mail accounts (free, joined 1-30
  min before); Exp(10 h) after the post (cut at 72 h); 30% also rate 1-2 other patient-experience talks,
  plausibly scored.
- society_slate (new): a SIG's committee mails its members its officers' slate: 2-4 talks with a speaker in the
  SIG (a contender boosted); 10-40 other members of the SIG rate every slate talk (boosted 9, others 9 w.p. 0.8,
  else 8) Exp(6 h) after the 08:00 UTC mail (cut at 48 h).
- medcomms_agency (new): an agency working for a pharma group pushes one of the group's sponsored or symposium
  talks (a contender first) with 0-3 of its existing staff and 3-9 accounts it makes, each 10 min-6 h before its
  first vote (half on the agency's domain, half free mail; company "Medical writer", "Healthcare consultant",
  "Freelance" or none; true organisation the agency); each member rates the target 9 and 3-6 talks of its track
  from a shared sheet (plausible scores, each member moving one or two by one) in one sitting (30-120 s a talk)
  in weekday office hours (the agency's clock) on one of five days.
- rival_unit (oppose): 5-25 staff of a hospital with a talk in the same track as a strong talk of another
  hospital (else any other hospital) rate it 1 over three days.
- guideline_dispute (new, oppose): 10-30 members of a SIG (no speaker of the talk, none of its speakers'
  organisations) rate a strong talk of the SIG's track (else any strong talk) 1 (80%), 2 or 3, Exp(8 h) after a
  mailing-list thread (cut at 48 h).
A kind that finds no instance is skipped. Campaign-only accounts' votes are all planted (cover votes too); an
existing member's planted vote replaces their honest vote of that talk.

Ground truth (`fresh10_conference(size, seed)`, a SyntheticConference): the blocs (kind, direction, every talk the
bloc's planted votes are on, members, boosted talk; an opposition bloc has none), which votes are planted, which are
a colleague's (the voter's true organisation is one of a speaker's; a key opinion leader's sponsor is not), which
are honest (not planted, cast by a real voter) and the honest groups (direction "honest"). Voters are ids 1..V,
campaign-only accounts V + 1 on. `plant` (e.g. bench/blocs_calibration.plant_nothing) replaces the campaigns and
may only plant nothing.
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
    WorldCampaigns,
    draw_in_segments,
    free_mail,
    fresh_world_conference,
    members_of,
    pick_mail,
    planted_over_honest,
    weighted_choice,
    weighted_segments,
)

DAY, HOUR, MINUTE = 86_400, 3_600, 60
OPENS = int(dt.datetime(2027, 3, 8, 8, tzinfo=dt.UTC).timestamp())  # a Monday
VOTE_DAYS = 21
CLOSES = OPENS + VOTE_DAYS * DAY
MIDNIGHT = OPENS - OPENS % DAY
NO_DST = 99
SCALE = VoteScale(
    minimum=1,
    maximum=9,
    wanted_min=7,
    labels=("1 not important", "2", "3", "4 important", "5", "6", "7 critical", "8", "9"),
)
CUTS = np.array([-1.8, -1.3, -0.8, -0.3, 0.15, 0.7, 1.35, 2.4])
TOP, BOTTOM = 9, 1
TRACKS = (
    "nursing practice", "patient experience", "education & training", "critical care", "emergency medicine",
    "cardiology", "infection", "oncology", "paediatrics", "surgery & perioperative", "anaesthesia", "primary care",
    "mental health", "older people's care", "patient safety & quality", "digital health",
)  # fmt: skip
NURSING, PATIENT, EDUCATION, CLINICAL = 0, 1, 2, 3
FORMATS = ("clinical", "nursing", "research", "industry", "patient", "education", "independent")
FORMAT_P = (0.40, 0.13, 0.14, 0.07, 0.06, 0.07, 0.13)
FORMAT_POP = np.array([1.2, 1.0, 0.7, 0.5, 1.3, 0.8, 0.9])
ROLES = ("nurse", "physician", "resident", "allied", "industry", "student", "academic", "patient")
ROLE_P = (0.30, 0.15, 0.11, 0.08, 0.06, 0.12, 0.06, 0.12)
NURSE, PHYSICIAN, RESIDENT, ALLIED, INDUSTRY, STUDENT, ACADEMIC, PATIENT_ROLE = range(8)
CLINICIANS = (NURSE, PHYSICIAN, RESIDENT, ALLIED)
HOSPITAL, PHARMA, AGENCY, UNIVERSITY, CHARITY = range(5)
TICKETS = (
    (0.45, 0.30, 0.25),
    (0.70, 0.20, 0.10),
    (0.50, 0.30, 0.20),
    (0.45, 0.30, 0.25),
    (0.80, 0.10, 0.10),
    (0.20, 0.40, 0.40),
    (0.60, 0.30, 0.10),
    (0.10, 0.25, 0.65),
)
WORK_MAIL = (0.45, 0.60, 0.55, 0.50, 0.75, 0.60, 0.75, 0.0)
FIELD_P = (0.50, 0.65, 0.55, 0.50, 0.70, 0.45, 0.60, 0.25)
SIG_P = (0.35, 0.60, 0.40, 0.40, 0.0, 0.0, 0.50, 0.0)
# Regions: voters' share, hospitals' share, UTC offsets in hours (standard time), the vote day clocks go forward.
UK, EUROPE, NA_EAST, NA_WEST, AUSTRALIA, ASIA, MEA, LATAM = range(8)
REGIONS = (
    (0.22, 0.30, (0,), 20),
    (0.22, 0.28, (1,), 20),
    (0.14, 0.15, (-5,), 6),
    (0.06, 0.06, (-8,), 6),
    (0.08, 0.08, (11,), NO_DST),
    (0.14, 0.08, (8, 9, 5.5), NO_DST),
    (0.08, 0.03, (2, 3, 4), NO_DST),
    (0.06, 0.02, (-3, -5), NO_DST),
)
COMMON_MAIL = (("gmail.com", 50), ("outlook.com", 12), ("hotmail.com", 10), ("yahoo.com", 8), ("icloud.com", 10))
REGIONAL_MAIL = {
    UK: (("btinternet.com", 8), ("sky.com", 5), ("hotmail.co.uk", 8)),
    EUROPE: (("gmx.de", 6), ("t-online.de", 4), ("orange.fr", 5), ("ziggo.nl", 3)),
    NA_EAST: (("aol.com", 6), ("comcast.net", 6)),
    NA_WEST: (("aol.com", 4), ("comcast.net", 8)),
    AUSTRALIA: (("bigpond.com", 12),),
    ASIA: (("yahoo.co.in", 8), ("rediffmail.com", 5), ("163.com", 8), ("naver.com", 5)),
    LATAM: (("uol.com.br", 10),),
}
FREE_MAIL = tuple(sorted({d for d, _ in COMMON_MAIL} | {d for m in REGIONAL_MAIL.values() for d, _ in m}))
SHARED_MAIL = {UK: ("nhs.net", 0.55), AUSTRALIA: ("health.nsw.gov.au", 0.70)}
DANISH_MAIL = ("regionh.dk", 0.60)
BLOC_KINDS = (
    "coworkers",
    "order",
    "friends_burst",
    "friends_spread",
    "sockpuppets",
    "kol_push",
    "rotation_cohort",
    "patient_drive",
    "society_slate",
    "medcomms_agency",
    "rival_unit",
    "guideline_dispute",
)
KIND_P = np.ones(len(BLOC_KINDS))
ACCOUNT_KINDS = frozenset({"friends_spread", "sockpuppets", "patient_drive", "medcomms_agency"})
HONEST_KINDS = (
    "ward_night_break",
    "journal_club",
    "nursing_class",
    "patient_forum",
    "podcast_mention",
    "editors_picks",
)
# tracks, hospitals, pharma, agencies, universities, charities, SIGs, programmes, podcasters, groups per honest kind
WORLD = {
    "small": (8, 12, 3, 1, 3, 3, 6, 2, 4, 1),
    "medium": (12, 80, 8, 3, 12, 10, 30, 10, 20, 3),
    "large": (16, 300, 20, 6, 35, 30, 80, 30, 60, 7),
}
# fmt: off
PLACE_HEADS = (
    "ash", "bram", "cal", "dun", "elm", "fen", "gran", "hale", "ivy", "kings", "lang", "mar", "nor", "oak", "pen",
    "ray", "stan", "thorn", "wex", "york", "bel", "car", "dal", "east", "fair", "glen", "har", "kel", "lin", "mid",
)
PLACE_TAILS = (
    "ford", "well", "dale", "bury", "ton", "field", "wick", "mouth", "ley", "minster", "brook", "stead", "worth",
    "ham", "gate", "moor",
)
PHARMA_HEADS = (
    "nova", "astra", "medi", "vita", "gena", "onco", "cardio", "thera", "bio", "lumi", "zeno", "cura", "sana",
    "helio", "orbi", "pura",
)
PHARMA_TAILS = ("rex", "lis", "zen", "gen", "vant", "tiq", "cor", "lyx", "mune", "xis", "pharm", "thera")
DISEASES = (
    ("Sepsis", 3), ("Heart Failure", 5), ("Kidney", 11), ("Stroke", 4), ("Lymphoma", 7), ("Diabetes", 11),
    ("Dementia", 13), ("Crohn's and Colitis", 11), ("Cystic Fibrosis", 8), ("Lupus", 6), ("Parkinson's", 13),
    ("Long Covid", 6), ("Childhood Cancer", 8), ("Mental Health", 12), ("ICU Survivors", 3), ("Trauma", 4),
)
CHARITY_SUFFIX = ("Alliance", "Foundation", "UK", "Network", "Trust", "Society")
# fmt: on
PATIENT_FIELD = ("Patient", "Carer", "Retired", "-", "Patient advocate")
AGENCY_FIELD = ("Medical writer", "Healthcare consultant", "Freelance", None)
# Relative chance of starting a sitting at each local hour, per rhythm.
RHYTHMS = {
    "day_shift": (0.3, 0.1, 0.05, 0.05, 0.05, 0.1, 0.4, 0.2, 0.1, 0.1, 0.15, 0.2,
                  0.7, 0.6, 0.2, 0.15, 0.15, 0.2, 0.3, 0.8, 1.0, 1.0, 0.9, 0.6),
    "night_shift": (0.6, 0.7, 1.0, 1.0, 0.9, 0.6, 0.3, 0.3, 0.8, 0.8, 0.6, 0.4,
                    0.2, 0.1, 0.3, 0.6, 0.7, 0.6, 0.3, 0.1, 0.1, 0.2, 0.3, 0.4),
    "clinician": (0.1, 0.05, 0.03, 0.03, 0.05, 0.3, 0.7, 0.5, 0.2, 0.15, 0.2, 0.3,
                  0.7, 0.6, 0.2, 0.2, 0.3, 0.6, 0.6, 0.8, 1.0, 1.0, 0.8, 0.4),
    "office": (0.05, 0.02, 0.02, 0.02, 0.02, 0.05, 0.1, 0.3, 0.7, 1.0, 1.0, 1.0,
               0.7, 0.9, 1.0, 1.0, 0.9, 0.6, 0.3, 0.3, 0.3, 0.25, 0.15, 0.1),
    "student": (0.6, 0.4, 0.2, 0.05, 0.03, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 0.5,
                0.6, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.6, 0.8, 1.0, 1.0, 0.9),
    "patient": (0.05, 0.02, 0.02, 0.02, 0.02, 0.03, 0.1, 0.3, 0.6, 0.8, 1.0, 1.0,
                0.8, 0.7, 0.7, 0.7, 0.6, 0.6, 0.7, 0.9, 0.9, 0.6, 0.3, 0.1),
}  # fmt: skip
RHYTHM_NAMES = tuple(RHYTHMS)


def _day_weights() -> np.ndarray:
    """Relative chance of a sitting on each local day (day 0 is the opening Monday)."""
    w = np.ones(VOTE_DAYS + 1)
    w[np.arange(VOTE_DAYS + 1) % 7 >= 5] *= 0.85  # weekends
    w[0] *= 3.0
    w[1] *= 1.8
    w[[7, 14]] *= 2.0
    w[VOTE_DAYS - 1 :] *= 2.5
    return w


@dataclass
class World:
    """The honest conference (positions 0-based): what the campaigns read, and the honest votes."""

    V: int
    T: int
    n_org: tuple[int, ...]  # hospitals, pharma groups, agencies, universities, charities
    org_kind: np.ndarray  # per organisation, 0..4
    org_names: list[str]
    org_domains: list[str]  # the main domain
    org_units: list[list[tuple[str, str]]]  # per organisation: its units' (name, domain); a hospital's domains
    org_size: np.ndarray
    org_region: np.ndarray
    academic: np.ndarray  # per organisation: an academic hospital
    charity_track: np.ndarray  # per charity (0-based among charities)
    track: np.ndarray
    fmt: np.ndarray
    quality: np.ndarray
    popularity: np.ndarray
    talk_org: np.ndarray  # the organisation a talk is from, or -1
    sponsor: np.ndarray  # the pharma group (organisation) whose key opinion leader speaks, or -1
    speaker: np.ndarray  # (T, 3) voter positions or -1
    speaker_org: np.ndarray  # (T, 3) organisations or -1 (outside speakers too)
    speaker_company_field: list[tuple[str, ...]]
    speaker_domains: list[tuple[str, ...]]
    role: np.ndarray
    org: np.ndarray  # the true organisation, or -1
    unit: np.ndarray  # a clinician's unit (track) or -1; a pharma voter's unit (subsidiary) index
    shift: np.ndarray  # 1: works nights
    rhythm: np.ndarray  # index into RHYTHMS
    former: np.ndarray  # a rotated resident's former hospital, or -1
    programme: np.ndarray  # a resident's training programme, or -1
    programmes: list[np.ndarray]  # per programme its hospitals
    sig: np.ndarray  # (V, 2) SIGs or -1
    sig_track: np.ndarray
    charity: np.ndarray  # the charity (organisation) a voter is a member of, or -1
    follows: np.ndarray  # the podcaster (index) followed, or -1
    podcasters: np.ndarray  # voter position of each podcaster
    kol: np.ndarray  # the pharma group (organisation) retaining the voter as a key opinion leader, or -1
    region: np.ndarray
    offset: np.ndarray  # seconds, standard time
    dst_day: np.ndarray  # the vote day the voter's clocks go forward, or NO_DST
    favourite: np.ndarray  # (V, 2)
    bias: np.ndarray
    coarse: np.ndarray  # uses only 1, 5 and 9
    weight: np.ndarray
    order: list[str | None]
    domain: list[str]
    company_field: list[str | None]
    joined: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    votes: np.ndarray = field(default_factory=lambda: np.empty((0, 4), dtype=np.int64))
    honest_groups: list[PlantedBloc] = field(default_factory=list)
    promoted: dict[int, list[int]] = field(default_factory=dict)


def _local(day, hour, offset, dst_day) -> np.ndarray:
    """A local day and hour as a timestamp, for a voter whose standard offset is `offset` and whose clocks go
    forward an hour from `dst_day` on."""
    day = np.asarray(day)
    shift = np.asarray(offset) + HOUR * (day >= np.asarray(dst_day))
    return (MIDNIGHT + day * DAY + np.asarray(hour) * HOUR - shift).astype(np.int64)


def _hospital(stem: str, region: int, academic: bool, r: int) -> tuple[str, list[str]]:
    cap = stem.capitalize()
    if region == UK:
        name = f"{cap} University Hospitals" if academic else f"{cap} {('General Hospital', 'Royal Infirmary')[r % 2]}"
        return name, [f"{stem}.nhs.uk", *([f"{stem}hospitals.nhs.uk"] if r % 5 < 2 else [])]
    if region == EUROPE:
        country = r % 4
        if country == 0:
            return (
                (f"Universitätsklinikum {cap}", [f"uk-{stem}.de"])
                if academic
                else (f"Klinikum {cap}", [f"klinikum-{stem}.de"])
            )
        if country == 1:
            return f"CHU de {cap}", [f"chu-{stem}.fr"]
        if country == 2:
            return f"{cap} Medisch Centrum", [f"{stem}mc.nl"]
        return f"{cap} Hospital", [f"{stem}hospital.dk", "regionh.dk"]  # the second marks a Danish hospital
    if region in (NA_EAST, NA_WEST):
        if academic:
            return f"{cap} University Medical Center", [f"{stem}health.org", f"{stem}.edu"]
        return f"{cap} Health", [f"{stem}health.org"]
    if region == AUSTRALIA:
        return f"{cap} Hospital", [f"{stem}.org.au"]
    if region == ASIA:
        return f"{cap} Medical Centre", [f"{stem}hospital.org"]
    return f"Hospital {cap}", [f"hospital{stem}.org"]


def _names(rng, counts: tuple[int, ...], region: np.ndarray, academic: np.ndarray):
    """Names and units (name, domain) of every organisation: hospitals, pharma, agencies, universities, charities.
    A hospital's units are its domains (one name); a pharma group's its parent and subsidiaries."""
    H, P, A, U, C = counts
    places = rng.choice(len(PLACE_HEADS) * len(PLACE_TAILS), size=H + U, replace=False)
    places = [PLACE_HEADS[c // len(PLACE_TAILS)] + PLACE_TAILS[c % len(PLACE_TAILS)] for c in places.tolist()]
    firms = rng.choice(len(PHARMA_HEADS) * len(PHARMA_TAILS), size=2 * P + A, replace=False)
    firms = [PHARMA_HEADS[c // len(PHARMA_TAILS)] + PHARMA_TAILS[c % len(PHARMA_TAILS)] for c in firms.tolist()]
    causes = rng.choice(len(DISEASES) * len(CHARITY_SUFFIX), size=C, replace=False).tolist()
    names, units, charity_track = [], [], []
    stems = places[:H] + firms[:P] + firms[2 * P :] + places[H:] + [""] * C
    for h in range(H):
        name, domains = _hospital(places[h], int(region[h]), bool(academic[h]), int(rng.integers(0, 20)))
        names.append(name)
        units.append([(name, d) for d in domains])
    for p in range(P):
        stem, cap = firms[p], firms[p].capitalize()
        name = f"{cap} {('Pharma', 'Therapeutics', 'Medical')[int(rng.integers(0, 3))]}"
        mine = [(name, f"{stem}.com")]
        for s in sorted(rng.choice(3, size=min(3, int(rng.poisson(1.0))), replace=False).tolist()):
            if s == 0:
                mine.append((f"{cap} Oncology", f"{stem}-oncology.com"))
            elif s == 1:
                mine.append((f"{cap} Diagnostics", f"{stem}dx.com"))
            else:
                other = firms[P + p].capitalize()
                mine.append((f"{other} Bio, a {cap} company", f"{firms[P + p]}bio.com"))
        names.append(name)
        units.append(mine)
    for a in range(A):
        stem = firms[2 * P + a]
        names.append(f"{stem.capitalize()} Health Communications")
        units.append([(names[-1], f"{stem}-health.com")])
    for u in range(U):
        stem = places[H + u]
        r = int(rng.integers(0, 4))
        tld = (f"{stem}.ac.uk", f"{stem}.edu", f"uni-{stem}.de", f"{stem}.edu.au")[r]
        names.append(f"University of {stem.capitalize()}")
        units.append([(names[-1], tld)])
    for c in causes:
        disease, track = DISEASES[c // len(CHARITY_SUFFIX)]
        suffix = CHARITY_SUFFIX[c % len(CHARITY_SUFFIX)]
        slug = "".join(ch for ch in disease.lower() if ch.isalpha())
        names.append(f"{disease} {suffix}")
        units.append([(names[-1], f"{slug}{suffix.lower()}.org")])
        charity_track.append(track)
    return names, units, stems, np.array(charity_track, dtype=np.int64)


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.replace("-", " ").split() if w[0].isalpha()).upper()


def _spelling(rng, name: str, kind: int, place: str, unit: str | None = None, student: bool = False) -> str:
    """One way a voter types their organisation's name (`place`: its capitalised stem)."""
    r = rng.random()
    if kind == HOSPITAL:
        if r < 0.35:
            return name
        if r < 0.45:
            return name.lower()
        if r < 0.57:
            return _initials(name)
        if r < 0.72 and unit:
            return f"{unit.capitalize()}, {name}" if r < 0.65 else f"Dept of {unit.title()}, {name}"
        if r < 0.82:
            return place
        if r < 0.9 and name.endswith(("Royal Infirmary", "General Hospital", "University Hospitals")):
            return f"{name} NHS Foundation Trust"
        i = int(rng.integers(1, len(name) - 1))
        return name[:i] + name[i + 1 :]  # a dropped letter
    if kind == PHARMA:
        if r < 0.55:
            return name
        if r < 0.7:
            return f"{name.split(',')[0]} GmbH" if "Pharma" in name else name.split(",")[0]
        if r < 0.85:
            return _initials(name.split(",")[0])
        return name.lower()
    if kind == UNIVERSITY and student:
        return (name, f"{place} Uni nursing student", "Student nurse", f"{place} University")[int(r * 4)]
    if kind == UNIVERSITY:
        return (name, f"{place} University", f"Faculty of Health, {name}", name.upper())[int(r * 4)]
    return name if r < 0.7 else name.lower()


def _structure(rng, size: str) -> dict:
    V = SIZES[size].voters
    D, H, P, A, U, C, G, R, PC, _ = WORLD[size]
    counts = (H, P, A, U, C)
    base = np.cumsum((0, *counts))
    n_org = int(base[-1])
    org_kind = np.repeat(np.arange(5), counts)
    size_w = np.empty(n_org)
    size_w[base[0] : base[1]] = np.arange(1, H + 1) ** -0.8
    size_w[base[1] : base[2]] = np.arange(1, P + 1) ** -1.0
    size_w[base[2] : base[3]] = np.minimum(rng.pareto(1.5, A) + 1, 6)
    size_w[base[3] : base[4]] = rng.pareto(1.0, U) + 1
    size_w[base[4] : base[5]] = rng.pareto(1.2, C) + 1
    academic = np.zeros(n_org, dtype=bool)
    academic[: int(np.ceil(0.3 * H))] = True
    org_region = weighted_choice(rng, [r[0] for r in REGIONS], n_org)
    org_region[:H] = weighted_choice(rng, [r[1] for r in REGIONS], H)
    org_region[base[1] : base[3]] = weighted_choice(rng, [0.4, 0.35, 0.25], P + A)
    names, units, stems, charity_track = _names(rng, counts, org_region, academic)
    charity_track = np.where(charity_track < D, charity_track, CLINICAL + charity_track % (D - CLINICAL))

    role = weighted_choice(rng, ROLE_P, V)
    org = np.full(V, -1, dtype=np.int64)

    def draw(rows: np.ndarray, kind: int) -> None:
        org[rows] = base[kind] + weighted_choice(rng, size_w[base[kind] : base[kind + 1]], len(rows))

    draw(np.flatnonzero(np.isin(role, CLINICIANS)), HOSPITAL)
    industry = np.flatnonzero(role == INDUSTRY)
    at_agency = rng.random(len(industry)) < 0.15
    draw(industry[~at_agency], PHARMA)
    draw(industry[at_agency], AGENCY)
    draw(np.flatnonzero((role == STUDENT) | (role == ACADEMIC)), UNIVERSITY)
    staff = np.flatnonzero((role == PATIENT_ROLE) & (rng.random(V) < 0.10))
    draw(staff, CHARITY)

    region = weighted_choice(rng, [r[0] for r in REGIONS], V)
    take = (org >= 0) & (rng.random(V) < 0.85)
    region[take] = org_region[org[take]]
    pick = rng.integers(0, 6, V)
    offset = np.array([REGIONS[r][2][i % len(REGIONS[r][2])] for r, i in zip(region, pick, strict=True)])
    offset = np.round(offset * HOUR).astype(np.int64)
    dst_day = np.array([REGIONS[r][3] for r in range(len(REGIONS))], dtype=np.int64)[region]

    track_w = rng.dirichlet(np.full(D, 1.5))
    clinical = np.isin(role, CLINICIANS)
    unit = np.full(V, -1, dtype=np.int64)
    unit[clinical] = CLINICAL + weighted_choice(rng, track_w[CLINICAL:], int(clinical.sum()))
    for v in industry[~at_agency].tolist():
        n_units = len(units[org[v]])
        unit[v] = 0 if n_units == 1 or rng.random() < 0.5 else int(rng.integers(1, n_units))
    shift = rng.random(V) < np.select([role == NURSE, role == RESIDENT, role == ALLIED], [0.35, 0.2, 0.1], 0.0)
    shift = shift.astype(np.int64)
    rhythm = np.select(
        [
            shift == 1,
            (role == NURSE) | (role == ALLIED),
            (role == PHYSICIAN) | (role == RESIDENT),
            (role == INDUSTRY) | (role == ACADEMIC),
            role == STUDENT,
        ],
        [1, 0, 2, 3, 4],
        5,
    ).astype(np.int64)

    # training programmes: hospitals of one region; residents rotated in from another of them
    in_programme = np.full(H, -1, dtype=np.int64)
    programmes: list[np.ndarray] = []
    for p in range(R):
        free = np.flatnonzero(in_programme < 0)
        if len(free) < 2:
            break
        seed_h = int(free[weighted_choice(rng, size_w[free], 1)[0]])
        near = [h for h in free.tolist() if h != seed_h and org_region[h] == org_region[seed_h]]
        near = near or [h for h in free.tolist() if h != seed_h]
        more = rng.choice(near, size=min(len(near), int(rng.integers(1, 6))), replace=False)
        mine = np.sort(np.r_[seed_h, more]).astype(np.int64)
        in_programme[mine] = p
        programmes.append(mine)
    programme = np.full(V, -1, dtype=np.int64)
    former = np.full(V, -1, dtype=np.int64)
    for v in np.flatnonzero((role == RESIDENT) & (org >= 0)).tolist():
        p = int(in_programme[org[v]])
        if p < 0:
            continue
        programme[v] = p
        others = programmes[p][programmes[p] != org[v]]
        if len(others) and rng.random() < 0.8:
            former[v] = int(rng.choice(others))

    sig_track = CLINICAL + weighted_choice(rng, track_w[CLINICAL:], G)
    sig_track[: min(G, 2)] = (NURSING, EDUCATION)[: min(G, 2)]
    sig_w = rng.pareto(1.2, G) + 1
    sig = np.full((V, 2), -1, dtype=np.int64)
    joins = rng.random(V) < np.array(SIG_P)[role]
    two = joins & (rng.random(V) < 0.3)
    sig[joins, 0] = weighted_choice(rng, sig_w, int(joins.sum()))
    own_track = joins & (unit >= 0) & (rng.random(V) < 0.6)
    for v in np.flatnonzero(own_track).tolist():
        mine = np.flatnonzero(sig_track == unit[v])
        if len(mine):
            sig[v, 0] = int(rng.choice(mine, p=sig_w[mine] / sig_w[mine].sum()))
    sig[two, 1] = weighted_choice(rng, sig_w, int(two.sum()))
    sig[sig[:, 1] == sig[:, 0], 1] = -1

    charity = np.full(V, -1, dtype=np.int64)
    members = np.flatnonzero((role == PATIENT_ROLE) & (org < 0) & (rng.random(V) < 0.65))
    charity[members] = base[4] + weighted_choice(rng, size_w[base[4] : base[5]], len(members))
    charity[staff] = org[staff]

    talkers = np.flatnonzero(np.isin(role, (NURSE, PHYSICIAN, RESIDENT)))
    podcasters = np.sort(rng.choice(talkers, size=PC, replace=False))
    audience = rng.pareto(1.0, PC) + 1
    p_follow = np.where(np.isin(role, (*CLINICIANS, STUDENT)), 0.20, 0.08)
    follows = np.where(rng.random(V) < p_follow, weighted_choice(rng, audience, V), -1)
    follows[podcasters] = -1

    favourite = np.stack([weighted_choice(rng, track_w, V), weighted_choice(rng, track_w, V)], axis=1)
    favourite[clinical, 0] = unit[clinical]
    lean = (role == NURSE) & (rng.random(V) < 0.4)
    favourite[lean, 0] = NURSING
    u = rng.random(V)
    favourite[(role == STUDENT) & (u < 0.3), 0] = EDUCATION
    favourite[(role == STUDENT) & (u >= 0.3) & (u < 0.6), 0] = NURSING
    pat = (role == PATIENT_ROLE) & (charity >= 0)
    favourite[pat, 0] = np.where(rng.random(int(pat.sum())) < 0.6, PATIENT, charity_track[charity[pat] - base[4]])
    favourite[(role == PATIENT_ROLE) & (charity < 0), 0] = PATIENT
    return {
        "D": D,
        "counts": counts,
        "base": base,
        "names": names,
        "stems": stems,
        "units": units,
        "org_kind": org_kind,
        "size_w": size_w,
        "org_region": org_region,
        "academic": academic,
        "charity_track": charity_track,
        "role": role,
        "org": org,
        "unit": unit,
        "shift": shift,
        "rhythm": rhythm,
        "region": region,
        "offset": offset,
        "dst_day": dst_day,
        "programme": programme,
        "programmes": programmes,
        "former": former,
        "sig": sig,
        "sig_track": sig_track,
        "charity": charity,
        "follows": follows,
        "podcasters": podcasters,
        "audience": audience,
        "track_w": track_w,
        "favourite": favourite,
        "topical": rng.lognormal(0, 0.3, D),
    }


def _work_domain(rng, s: dict, v: int) -> str:
    """The work domain a voter who uses work mail writes from."""
    o, role, units = int(s["org"][v]), int(s["role"][v]), s["units"]
    kind = int(s["org_kind"][o])
    if kind == PHARMA:
        return units[o][int(s["unit"][v])][1]
    if kind == UNIVERSITY and role == STUDENT and rng.random() < 0.5:
        return f"student.{units[o][0][1]}"
    if kind != HOSPITAL:
        return units[o][0][1]
    if s["former"][v] >= 0 and rng.random() < 0.3:
        o = int(s["former"][v])  # a rotated resident still writes from the last hospital
    region = int(s["org_region"][o])
    domains = [d for _, d in units[o]]
    if region in SHARED_MAIL and rng.random() < SHARED_MAIL[region][1]:
        return SHARED_MAIL[region][0]
    if DANISH_MAIL[0] in domains:
        return DANISH_MAIL[0] if rng.random() < DANISH_MAIL[1] else domains[0]
    if domains[-1].endswith(".edu") and role in (PHYSICIAN, RESIDENT) and rng.random() < 0.5:
        return domains[-1]
    if len(domains) > 1 and domains[1].endswith(".nhs.uk") and rng.random() < 0.3:
        return domains[1]
    return domains[0]


def _facts(rng, s: dict) -> dict:
    """Email domains, company fields, tickets and orders of the voters."""
    role, org, V = s["role"], s["org"], len(s["role"])
    names, base = s["names"], s["base"]
    domain = free_mail(rng, s["region"], COMMON_MAIL, REGIONAL_MAIL)
    work = (org >= 0) & (rng.random(V) < np.array(WORK_MAIL)[role])
    work |= (role == PATIENT_ROLE) & (org >= 0) & (rng.random(V) < 0.7)
    for v in np.flatnonzero(work).tolist():
        domain[v] = _work_domain(rng, s, v)
    family = ~work & (rng.random(V) < 0.03)
    for v in np.flatnonzero(family).tolist():
        stem = PLACE_HEADS[v % len(PLACE_HEADS)] + PLACE_TAILS[(v // 7) % len(PLACE_TAILS)]
        domain[v] = f"{stem}family.co.uk" if v % 2 else f"{stem}{v}.me"
    company: list[str | None] = [None] * V
    filled = rng.random(V) < np.array(FIELD_P)[role]
    for v in np.flatnonzero(filled).tolist():
        o, r = int(org[v]), int(role[v])
        if r == PATIENT_ROLE and o < 0:
            c = s["charity"][v]
            company[v] = f"{names[c]} volunteer" if c >= 0 and rng.random() < 0.3 else PATIENT_FIELD[v % 5]
            continue
        kind = int(s["org_kind"][o])
        if kind == AGENCY:
            company[v] = names[o] if rng.random() < 0.6 else "Medical writer"
            continue
        if kind == PHARMA:
            company[v] = _spelling(rng, s["units"][o][int(s["unit"][v])][0], PHARMA, s["stems"][o])
            continue
        if s["former"][v] >= 0 and rng.random() < 0.4:
            former = int(s["former"][v])
            if rng.random() < 0.625:
                company[v] = _spelling(rng, names[former], HOSPITAL, s["stems"][former].capitalize())
            else:
                first = int(s["programmes"][s["programme"][v]][0])
                company[v] = f"{s['stems'][first].capitalize()} training programme"
            continue
        unit = TRACKS[s["unit"][v]] if s["unit"][v] >= 0 and kind == HOSPITAL else None
        company[v] = _spelling(rng, names[o], kind, s["stems"][o].capitalize(), unit, r == STUDENT)

    ticket = np.empty(V, dtype=np.int64)
    for r, p in enumerate(TICKETS):
        rows = np.flatnonzero(role == r)
        ticket[rows] = weighted_choice(rng, p, len(rows))
    weight = np.array([1.0, 0.5, 0.0])[ticket]
    order: list[str | None] = [None] * V

    def packs(rows: np.ndarray, key: np.ndarray, prefix: str, sizes) -> None:
        rows = rows[np.argsort(key[rows], kind="stable")]
        for k in np.unique(key[rows]).tolist():
            mine = rows[key[rows] == k]
            chunk = int(rng.choice(sizes))
            for j, v in enumerate(mine.tolist()):
                order[v] = f"{prefix}-{k:04d}-{j // chunk:02d}"

    nursing = np.isin(role, (NURSE, ALLIED)) & (ticket == 0) & (rng.random(V) < 0.5)
    packs(np.flatnonzero(nursing), org, "HOSP", (10, 25, 50))
    doctors = np.isin(role, (PHYSICIAN, RESIDENT)) & (ticket == 0)
    sponsored = doctors & ((rng.random(V) < 0.08) | (s["kol"] >= 0) & (rng.random(V) < 0.8))
    sponsor = np.where(s["kol"] >= 0, s["kol"], base[1] + weighted_choice(rng, s["size_w"][base[1] : base[2]], V))
    packs(np.flatnonzero(sponsored), sponsor, "SPON", (20,))
    packs(np.flatnonzero((role == STUDENT) & (ticket == 1) & (rng.random(V) < 0.5)), org, "UNI", (30,))
    bursary = (s["charity"] >= 0) & (ticket < 2) & (rng.random(V) < 0.6)
    packs(np.flatnonzero(bursary), s["charity"], "BUR", (15,))
    for v in range(V):
        if order[v] is None and ticket[v] < 2:
            order[v] = f"{'REG' if ticket[v] == 0 else 'VIR'}-{v:07d}"
    return {"domain": domain.tolist(), "company": company, "weight": weight, "order": order}


def _talks(rng, s: dict, T: int) -> dict:
    base, size_w, role, org = s["base"], s["size_w"], s["role"], s["org"]
    H = s["counts"][0]
    fmt = weighted_choice(rng, FORMAT_P, T)
    track = weighted_choice(rng, s["track_w"], T)
    talk_org = np.full(T, -1, dtype=np.int64)
    for f, kind, power in ((0, 0, 1.2), (1, 0, 0.7), (2, 3, 1.0), (3, 1, 1.0), (4, 4, 1.0)):
        rows = np.flatnonzero(fmt == f)
        talk_org[rows] = base[kind] + weighted_choice(rng, size_w[base[kind] : base[kind + 1]] ** power, len(rows))
    edu = np.flatnonzero(fmt == 5)
    by_uni = rng.random(len(edu)) < 0.6
    talk_org[edu[by_uni]] = base[3] + weighted_choice(rng, size_w[base[3] : base[4]], int(by_uni.sum()))
    talk_org[edu[~by_uni]] = weighted_choice(rng, size_w[:H], int((~by_uni).sum()))
    nursing = (fmt == 1) & (rng.random(T) < 0.6)
    track[nursing] = NURSING
    patient = np.flatnonzero(fmt == 4)
    track[patient] = np.where(rng.random(len(patient)) < 0.7, PATIENT, s["charity_track"][talk_org[patient] - base[4]])
    track[edu] = EDUCATION
    quality = rng.normal(0, 1, T)
    popularity = np.exp(0.7 * quality + rng.normal(0, 0.6, T)) * s["topical"][track] * FORMAT_POP[fmt]

    staff = members_of(org, len(s["names"]))
    nurses = members_of(np.where(role == NURSE, org, -1), len(s["names"]))
    charity_members = members_of(s["charity"], len(s["names"]))
    clinicians = np.flatnonzero(np.isin(role, (NURSE, PHYSICIAN, RESIDENT, ALLIED)))
    n_speakers = 1 + weighted_choice(rng, [0.55, 0.30, 0.15], T)
    speaker = np.full((T, 3), -1, dtype=np.int64)
    speaker_org = np.full((T, 3), -1, dtype=np.int64)
    org_region = s["org_region"]
    for t in range(T):
        o = int(talk_org[t])
        for slot in range(int(n_speakers[t]) if fmt[t] != 4 else max(2, int(n_speakers[t]))):
            v = -1
            if fmt[t] == 4 and slot == 0:  # the patient partner
                if len(charity_members[o]) and rng.random() < 0.7:
                    v = int(rng.choice(charity_members[o]))
                    speaker[t, 0], speaker_org[t, 0] = v, org[v]
                continue
            if fmt[t] == 4 and slot == 1:  # a clinician beside them
                v = int(rng.choice(clinicians))
                if v not in speaker[t]:
                    speaker[t, 1], speaker_org[t, 1] = v, org[v]
                continue
            if fmt[t] == 6 and slot == 0:
                if rng.random() < 0.6:
                    v = int(rng.choice(clinicians))
                    speaker[t, 0], speaker_org[t, 0] = v, org[v]
                continue
            same = o >= 0 and (slot == 0 or rng.random() < 0.7)
            if same:
                pool = nurses[o] if fmt[t] == 1 and slot == 0 and len(nurses[o]) else staff[o]
                if len(pool) and rng.random() < (0.7 if slot == 0 else 0.6):
                    v = int(rng.choice(pool))
                    if v not in speaker[t]:
                        speaker[t, slot] = v
                speaker_org[t, slot] = o
            elif rng.random() < 0.5:
                region = org_region[o] if o >= 0 else int(rng.integers(len(REGIONS)))
                near = np.flatnonzero(org_region[:H] == region)
                other = int(rng.choice(near)) if len(near) else int(rng.integers(H))
                speaker_org[t, slot] = other
                if len(staff[other]) and rng.random() < 0.5:
                    v = int(rng.choice(staff[other]))
                    if v not in speaker[t]:
                        speaker[t, slot] = v

    # key opinion leaders: physician speakers of other organisations retained by a pharma group
    kol = np.full(len(role), -1, dtype=np.int64)
    speaking = np.unique(speaker[speaker >= 0])
    doctors = speaking[(role[speaking] == PHYSICIAN) & (org[speaking] >= 0)]
    doctors = doctors[np.argsort(~s["academic"][org[doctors]], kind="stable")]
    sponsor = np.full(T, -1, dtype=np.int64)
    for p in range(base[1], base[2]):
        free = doctors[kol[doctors] < 0]
        if not len(free):
            break
        top = free[: max(4, len(free) // 3)]
        chosen = rng.choice(top, size=min(len(top), int(rng.integers(1, 5))), replace=False)
        kol[chosen] = p
    for t in range(T):
        backers = [int(kol[v]) for v in speaker[t] if v >= 0 and kol[v] >= 0]
        if backers:
            sponsor[t] = backers[0]
        elif fmt[t] == 3:
            sponsor[t] = talk_org[t]
    return {
        "fmt": fmt,
        "track": track,
        "talk_org": talk_org,
        "quality": quality,
        "popularity": popularity,
        "speaker": speaker,
        "speaker_org": speaker_org,
        "sponsor": sponsor,
        "kol": kol,
    }


def _speaker_facts(rng, t: dict, s: dict, domain: list[str]):
    companies, mails = [], []
    for x in range(len(t["fmt"])):
        c, m = [], []
        for slot in range(3):
            o, v = int(t["speaker_org"][x, slot]), int(t["speaker"][x, slot])
            if o < 0 and v < 0:
                continue
            if o >= 0 and rng.random() < 0.75:
                c.append(s["names"][o])
            if v >= 0:
                m.append(domain[v])
            elif o >= 0 and rng.random() < 0.6:
                uk = s["org_kind"][o] == HOSPITAL and s["org_region"][o] == UK
                m.append("nhs.net" if uk and rng.random() < 0.5 else s["units"][o][0][1])
            else:
                m.append("gmail.com")
        if t["fmt"][x] == 4 and rng.random() < 0.6:
            c.append(s["names"][t["talk_org"][x]])
        if t["sponsor"][x] >= 0 and t["fmt"][x] != 3 and rng.random() < 0.3:
            c.append(s["names"][t["sponsor"][x]])  # a disclosed conflict of interest
        companies.append(tuple(dict.fromkeys(c)))
        mails.append(tuple(dict.fromkeys(m)))
    return companies, mails


def _ballot_lengths(rng, V: int, T: int, target: float) -> np.ndarray:
    kind = weighted_choice(rng, [0.20, 0.01, 0.79], V)
    light = 1 + weighted_choice(rng, [0.5, 0.3, 0.2], V)
    completionist = np.round(rng.uniform(0.2, 0.5, V) * min(T, 150)).astype(np.int64)
    rest_target = (target - light[kind == 0].sum() - completionist[kind == 1].sum()) / max(1, (kind == 2).sum())
    sigma = 1.0
    lengths = np.round(rng.lognormal(np.log(max(rest_target, 1.5)) - sigma**2 / 2, sigma, V)).astype(np.int64)
    n = np.where(kind == 0, light, np.where(kind == 1, completionist, lengths))
    return np.clip(n, 1, T // 2)


def _draw_talks(rng, w: World, n: np.ndarray) -> np.ndarray:
    """(voter, talk) pairs of the honest ballots: `n` distinct talks per voter."""
    V, T = w.V, w.T
    heavy = n > 0.15 * T
    m = np.where(heavy, 0, 2 * n + 4)
    voter = np.repeat(np.arange(V), m)
    u = rng.random(len(voter))
    talk = weighted_choice(rng, w.popularity, len(voter))
    tracks = weighted_segments(w.track, np.arange(T), w.popularity, int(max(w.track.max(), w.favourite.max())) + 1)
    slot = (rng.random(len(voter)) >= 0.7).astype(np.int64)
    by_track = draw_in_segments(rng, tracks, w.favourite[voter, slot])
    talk = np.where((u >= 0.45) & (u < 0.85) & (by_track >= 0), by_track, talk)
    pairs = np.stack([w.speaker_org.ravel(), np.repeat(np.arange(T), 3)], axis=1)
    pairs = np.unique(np.r_[pairs, np.stack([w.talk_org, np.arange(T)], axis=1)], axis=0)
    pairs = pairs[pairs[:, 0] >= 0]
    orgs = weighted_segments(pairs[:, 0], pairs[:, 1], w.popularity, len(w.org_names))
    home = np.where(w.charity[voter] >= 0, w.charity[voter], w.org[voter])
    home = np.where((w.former[voter] >= 0) & (rng.random(len(voter)) < 0.5), w.former[voter], home)
    aff = draw_in_segments(rng, orgs, home)
    talk = np.where((u >= 0.85) & (aff >= 0), aff, talk)
    priority = rng.random(len(voter))
    o = np.lexsort((priority, talk, voter))
    voter, talk, priority = voter[o], talk[o], priority[o]
    first = np.r_[True, (voter[1:] != voter[:-1]) | (talk[1:] != talk[:-1])]
    voter, talk, priority = voter[first], talk[first], priority[first]
    o = np.lexsort((priority, voter))
    voter, talk = voter[o], talk[o]
    rank = np.arange(len(voter)) - np.searchsorted(voter, voter)
    keep = rank < n[voter]
    out = [np.stack([voter[keep], talk[keep]], axis=1)]
    for v in np.flatnonzero(heavy).tolist():
        keys = np.log(w.popularity) + rng.gumbel(size=T)
        out.append(np.stack([np.full(n[v], v), np.argsort(-keys)[: n[v]]], axis=1))
    pairs = np.concatenate(out).astype(np.int64)
    return pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]


def _affiliated(w: World, voters: np.ndarray, talks: np.ndarray) -> np.ndarray:
    own = (w.org[voters, None] == w.speaker_org[talks]).any(axis=1) & (w.org[voters] >= 0)
    former = (w.former[voters, None] == w.speaker_org[talks]).any(axis=1) & (w.former[voters] >= 0)
    charity = (w.charity[voters] >= 0) & (w.charity[voters] == w.talk_org[talks])
    return own | former | charity


def _scores(rng, w: World, voters, talks, shift=None) -> np.ndarray:
    voters, talks = np.asarray(voters), np.asarray(talks)
    fav = (w.favourite[voters] == w.track[talks, None]).any(axis=1)
    latent = 0.8 * w.quality[talks] + 0.5 * fav + 0.9 * _affiliated(w, voters, talks) + w.bias[voters]
    latent = latent + rng.normal(0, 1, len(voters)) + (0 if shift is None else shift)
    latent = np.where(w.role[voters] == PATIENT_ROLE, 1.4 * latent, latent)
    score = np.searchsorted(CUTS, latent).astype(np.int64) + 1
    coarse = w.coarse[voters]
    return np.where(coarse, np.select([score <= 3, score <= 6], [1, 5], 9), score)


def _session_times(rng, w: World, voters: np.ndarray) -> np.ndarray:
    """When each vote (of `voters`, grouped by voter) is cast: sittings of the module docstring."""
    n = np.bincount(voters, minlength=w.V)
    sittings = 1 + np.minimum(rng.poisson(n / 10), 6)
    first = np.r_[0, np.cumsum(sittings)[:-1]]
    sid = first[voters] + np.floor(rng.random(len(voters)) ** 1.3 * sittings[voters]).astype(np.int64)
    owner = np.repeat(np.arange(w.V), sittings)
    day = weighted_choice(rng, _day_weights(), len(owner))
    hour = np.empty(len(owner), dtype=np.int64)
    for r, name in enumerate(RHYTHM_NAMES):
        rows = np.flatnonzero(w.rhythm[owner] == r)
        hour[rows] = weighted_choice(rng, RHYTHMS[name], len(rows))
    start = _local(day, hour + rng.random(len(owner)), w.offset[owner], w.dst_day[owner])
    start = np.where(start < OPENS, OPENS + rng.integers(0, 4 * HOUR, len(owner)), start)
    while (start >= CLOSES - 10 * MINUTE).any():
        start = np.where(start >= CLOSES - 10 * MINUTE, start - DAY, start)
    order = np.argsort(sid, kind="stable")
    gaps = 8 + rng.exponential(35, len(voters))
    sorted_sid = sid[order]
    cum = np.cumsum(gaps)
    begin = np.searchsorted(sorted_sid, sorted_sid)
    within = cum - cum[begin] + gaps[order][begin]
    duration = np.zeros(len(owner))
    np.maximum.at(duration, sorted_sid, within)
    start = np.maximum(np.minimum(start, CLOSES - 1 - np.ceil(duration).astype(np.int64)), OPENS)
    at = np.empty(len(voters), dtype=np.int64)
    at[order] = start[sorted_sid] + within.astype(np.int64)
    return at


def _honest(rng, size: str) -> World:
    spec = SIZES[size]
    V, T = spec.voters, spec.talks
    s = _structure(rng, size)
    t = _talks(rng, s, T)
    s["kol"] = t["kol"]
    f = _facts(rng, s)
    companies, mails = _speaker_facts(rng, t, s, f["domain"])
    bias = rng.normal(0, 0.45, V)
    mood = weighted_choice(rng, [0.89, 0.06, 0.05], V)
    bias = bias + np.array([0.0, -0.9, 0.9])[mood]
    talk_keys = ("track", "fmt", "quality", "popularity", "talk_org", "sponsor", "speaker", "speaker_org")
    voter_keys = (
        "role", "org", "unit", "shift", "rhythm", "former", "programme", "programmes", "sig", "sig_track", "charity",
        "follows", "podcasters", "region", "offset", "dst_day", "favourite",
    )  # fmt: skip
    w = World(
        V=V,
        T=T,
        n_org=s["counts"],
        org_kind=s["org_kind"],
        org_names=s["names"],
        org_domains=[u[0][1] for u in s["units"]],
        org_units=s["units"],
        org_size=s["size_w"],
        org_region=s["org_region"],
        academic=s["academic"],
        charity_track=s["charity_track"],
        kol=t["kol"],
        speaker_company_field=companies,
        speaker_domains=mails,
        bias=bias,
        coarse=rng.random(V) < 0.10,
        weight=f["weight"],
        order=f["order"],
        domain=f["domain"],
        company_field=f["company"],
        **{k: t[k] for k in talk_keys},
        **{k: s[k] for k in voter_keys},
    )
    lengths = _ballot_lengths(rng, V, T, 1.03 * spec.votes)
    pairs = _draw_talks(rng, w, lengths)
    score = _scores(rng, w, pairs[:, 0], pairs[:, 1])
    at = _session_times(rng, w, pairs[:, 0])
    base = np.stack([pairs[:, 0], pairs[:, 1], score, at], axis=1)
    joined_as = np.where(
        w.weight > 0, weighted_choice(rng, [0.40, 0.40, 0.20], V), weighted_choice(rng, [0.20, 0.20, 0.60], V)
    )
    rows = _honest_groups(rng, w, size)
    w.votes, _ = planted_over_honest(base, rows, T)
    first = np.full(V, CLOSES, dtype=np.int64)
    np.minimum.at(first, w.votes[:, 0], w.votes[:, 3])
    returning = OPENS - 365 * DAY - (rng.random(V) * 7 * 365 * DAY).astype(np.int64)
    registered = OPENS - (rng.random(V) * 60 * DAY).astype(np.int64)
    during = np.where(
        rng.random(V) < 0.7, first - rng.integers(MINUTE, 45 * MINUTE, V), first - rng.integers(HOUR, 2 * DAY, V)
    )
    made = np.where(joined_as == 0, returning, np.where(joined_as == 1, registered, during))
    w.joined = np.minimum(made, first - 2 * MINUTE)
    return w


def _honest_groups(rng, w: World, size: str) -> list[np.ndarray]:
    """The honest correlated groups of the module docstring: their vote rows; fills w.honest_groups."""
    V, T = w.V, w.T
    per_kind = WORLD[size][-1]
    used = np.zeros(V, dtype=bool)
    rows: list[np.ndarray] = []
    pop = w.popularity
    H = w.n_org[0]

    def add(kind: str, members: np.ndarray, talks: np.ndarray, p, when, taste) -> None:
        m, k = len(members), len(talks)
        take = rng.random((m, k)) < np.broadcast_to(np.asarray(p, dtype=np.float64), (m,))[:, None]
        take[np.arange(m), rng.integers(0, k, m)] = True
        mi, ti = np.nonzero(take)
        scores = _scores(rng, w, members[mi], talks[ti], shift=taste[ti])
        at = np.clip(np.asarray(when(mi, ti)), OPENS, CLOSES - 1).astype(np.int64)
        rows.append(np.stack([members[mi], talks[ti], scores, at], axis=1))
        used[members] = True
        w.honest_groups.append(
            PlantedBloc(
                kind, "honest", tuple(sorted((talks + 1).tolist())), tuple(sorted((members + 1).tolist())), None
            )
        )

    def count(kind: str) -> int:
        return sum(g.kind == kind for g in w.honest_groups)

    def talks_from(cand: np.ndarray, lo: int, hi: int) -> np.ndarray:
        k = min(len(cand), int(rng.integers(lo, hi + 1)))
        return np.sort(rng.choice(cand, size=k, replace=False, p=pop[cand] / pop[cand].sum())) if k else cand

    def some(pool: np.ndarray, lo: int, hi: int) -> np.ndarray:
        return np.sort(rng.choice(pool, size=min(len(pool), int(rng.integers(lo, hi + 1))), replace=False))

    def together(kind: str, members, talks, p: float, at0: int, spread: float, gap: int, taste) -> None:
        """A group's one sitting: each member starts within `spread` of `at0`, `gap` seconds per talk."""
        lag = rng.random(len(members)) * spread
        add(kind, members, talks, p, lambda mi, ti: at0 + lag[mi] + gap * ti, rng.normal(*taste, len(talks)))

    def local_time(members: np.ndarray, hour: float, days) -> int:
        day = int(rng.choice(list(days)))
        v = int(members[0])
        at = int(_local(day, hour, w.offset[v], w.dst_day[v]))
        return min(max(at, OPENS), CLOSES - 4 * HOUR)

    weekdays = [d for d in range(1, VOTE_DAYS) if d % 7 < 5]
    wards = np.where((w.role == NURSE) & (w.shift == 1) & (w.org >= 0), w.org * 100 + w.unit, -1)
    for ward in rng.permutation(np.unique(wards[wards >= 0])).tolist():
        if count("ward_night_break") == per_kind:
            break
        pool = np.flatnonzero((wards == ward) & ~used)
        cand = np.flatnonzero((w.track == ward % 100) | (w.track == NURSING))
        if len(pool) < 5 or len(cand) < 4:
            continue
        members = some(pool, 5, 12)
        talks = talks_from(cand, 4, 8)
        together("ward_night_break", members, talks, 0.7, local_time(members, 3, range(1, VOTE_DAYS)), HOUR, 70,
                 (0.3, 0.8))  # fmt: skip
    doctors = np.isin(w.role, (PHYSICIAN, RESIDENT)) & (w.org >= 0) & (w.org < H)
    units = np.where(doctors, w.org * 100 + w.unit, -1)
    big = np.unique(units[units >= 0], return_counts=True)
    for u in big[0][np.argsort(-big[1], kind="stable")].tolist():
        if count("journal_club") == per_kind:
            break
        pool = np.flatnonzero((units == u) & ~used)
        cand = np.flatnonzero(w.track == u % 100)
        if len(pool) < 8 or len(cand) < 6:
            continue
        members = some(pool, 8, 20)
        wednesdays = [d for d in weekdays if d % 7 == 2]
        together("journal_club", members, talks_from(cand, 6, 10), 0.6, local_time(members, 12.5, wednesdays),
                 90 * MINUTE, 60, (0.2, 0.7))  # fmt: skip
    base = np.cumsum((0, *w.n_org))
    for uni in rng.permutation(np.arange(base[3], base[4])).tolist():
        if count("nursing_class") == per_kind:
            break
        pool = np.flatnonzero((w.org == uni) & (w.role == STUDENT) & ~used)
        cand = np.flatnonzero(np.isin(w.track, (NURSING, EDUCATION)))
        if len(pool) < 15 or len(cand) < 4:
            continue
        members = some(pool, 15, 40)
        together("nursing_class", members, talks_from(cand, 4, 8), 0.6, local_time(members, 10, weekdays), HOUR, 50,
                 (0.4, 0.6))  # fmt: skip
    for c in rng.permutation(np.arange(base[4], base[5])).tolist():
        if count("patient_forum") == per_kind:
            break
        pool = np.flatnonzero((w.charity == c) & ~used)
        cand = np.flatnonzero(((w.track == PATIENT) | (w.track == w.charity_track[c - base[4]])) & (w.talk_org != c))
        if len(pool) < 10 or len(cand) < 3:
            continue
        members = some(pool, 10, 30)
        talks = talks_from(cand, 3, 6)
        thread = int(OPENS + rng.integers(1, VOTE_DAYS - 6) * DAY)
        lag = np.minimum(rng.exponential(DAY, (len(members), len(talks))), 5 * DAY)
        add("patient_forum", members, talks, 0.5, lambda mi, ti, a=thread, g=lag: a + g[mi, ti],
            rng.normal(0.5, 0.8, len(talks)))  # fmt: skip
    speaking = set(w.speaker[w.speaker >= 0].tolist())
    for pc in rng.permutation(len(w.podcasters)).tolist():
        if count("podcast_mention") == per_kind:
            break
        pool = np.flatnonzero((w.follows == pc) & ~used)
        if int(w.podcasters[pc]) in speaking or len(pool) < 10:
            continue
        k = min(len(pool), max(10, round(0.02 * V)))
        members = some(pool, k, k)
        talks = talks_from(np.arange(T), 4, 4)
        released = int(MIDNIGHT + int(rng.integers(3, 16)) * DAY + 6 * HOUR)
        c = rng.integers(1, 4, len(members)) / 4
        lag = np.minimum(rng.exponential(8 * HOUR, (len(members), len(talks))), 48 * HOUR)
        add("podcast_mention", members, talks, c, lambda mi, ti, a=released, g=lag: a + g[mi, ti],
            rng.normal(0.3, 0.6, len(talks)))  # fmt: skip
    ranks = np.argsort(np.argsort(pop)) / T
    cand = np.flatnonzero((ranks >= 0.4) & (ranks < 0.9))
    sent = int(MIDNIGHT + 10 * DAY + 9 * HOUR)
    for x in rng.choice(cand, size=6, replace=False).tolist():
        pool = np.flatnonzero(~used)
        members = np.sort(rng.choice(pool, size=max(5, round(0.012 * V)), replace=False))
        lag = np.minimum(rng.exponential(12 * HOUR, len(members)), 72 * HOUR)
        add("editors_picks", members, np.array([x]), 1.0, lambda mi, ti, a=sent, g=lag: a + g[mi], np.zeros(1))
        w.promoted.setdefault(x, []).append(sent)
    return rows


class _Campaigns(WorldCampaigns):
    """The planted campaigns of the module docstring, from their own random stream."""

    opens, closes, vote_days, top, common_mail = OPENS, CLOSES, VOTE_DAYS, TOP, COMMON_MAIL

    def __init__(self, rng, w: World):
        super().__init__(rng, w)
        self.base = np.cumsum((0, *w.n_org))

    def not_speaking(self, talks) -> np.ndarray:
        return ~np.isin(np.arange(self.w.V), self.w.speaker[np.atleast_1d(talks)].ravel())

    def plausible(self, talks: np.ndarray) -> np.ndarray:
        latent = 0.8 * self.w.quality[talks] + self.rng.normal(0, 1, len(talks)) + 0.3
        return np.searchsorted(CUTS, latent).astype(np.int64) + 1

    def office_hours(self, offset: np.ndarray, dst_day: np.ndarray, t0: int, days: int) -> np.ndarray:
        """Weekday office hours (09:00-17:30 local) on one of `days` days from `t0`'s, not before `t0`; one time per
        entry of `offset` and `dst_day` (the voters' clocks)."""
        n = len(offset)
        day = (t0 - MIDNIGHT) // DAY + self.rng.integers(0, days, n)
        day = np.where(day % 7 == 5, day + 2, np.where(day % 7 == 6, day + 1, day))
        return np.maximum(_local(day, 9 + 8.5 * self.rng.random(n), offset, dst_day), t0)

    def slate(self, kind: str, members: np.ndarray, talks: list[int], boosted: int, at: np.ndarray, p_top: float):
        """Every member rates every talk of a slate: the boosted one 9, the others 9 w.p. `p_top`, else 8."""
        vv, tt = np.repeat(members, len(talks)), np.tile(talks, len(members))
        ss = np.where((tt == boosted) | (self.rng.random(len(tt)) < p_top), TOP, TOP - 1)
        return self.done(kind, "support", members, self.rows(vv, tt, ss, at), boosted)

    # the kinds
    def coworkers(self):
        w = self.w
        for t in self.free_targets(self.contenders):
            for o in np.unique(w.speaker_org[t][w.speaker_org[t] >= 0]).tolist():
                t0 = self.start(4 * DAY)
                pool = self.eligible((w.org == o) & self.not_speaking(t), t0)
                if len(pool) < 3:
                    continue
                m = self.pick(pool, self.size())
                return self.support("coworkers", m, t, t0 + self.burst_or_spread(len(m), 0.5, HOUR, 4 * HOUR, 4 * DAY))
        return None

    def order(self):
        w, rng = self.w, self.rng
        t0 = self.start(2 * DAY)
        codes: dict[str, list[int]] = {}
        for v in self.eligible(np.ones(w.V, dtype=bool), t0).tolist():
            code = w.order[v]
            if code and code.split("-")[0] in ("HOSP", "SPON", "UNI", "BUR"):
                codes.setdefault(code, []).append(v)
        packs = [c for c, vs in sorted(codes.items()) if len(vs) >= 3]
        for code in rng.permutation(packs).tolist():
            pool = np.array(codes[code])
            orgs = set(w.org[pool].tolist()) - {-1}
            for t in self.free_targets(self.contenders):
                if not orgs & set(w.speaker_org[t].tolist()) and w.talk_org[t] not in orgs:
                    pool = pool[self.not_speaking(t)[pool]]
                    if len(pool) < 3:
                        break
                    m = self.pick(pool, self.size(3, 40))
                    if len(m) < 3:
                        m = self.pick(pool, 3)
                    return self.support("order", m, t, t0 + rng.random(len(m)) * 2 * DAY)
        return None

    def friends_burst(self):
        w, rng = self.w, self.rng
        t = (self.free_targets(self.contenders) or [None])[0]
        if t is None:
            return None
        t0 = self.start(2 * HOUR)
        pool = rng.permutation(self.eligible(self.not_speaking(t), t0))
        seen, m, k = set(), [], self.size()
        for v in pool.tolist():
            if w.order[v] in seen:
                continue
            if w.order[v]:
                seen.add(w.order[v])
            m.append(v)
            if len(m) == k:
                break
        m = np.sort(np.array(m))
        return self.support("friends_burst", m, t, t0 + rng.random(len(m)) * 90 * MINUTE)

    def friends_spread(self):
        w, rng = self.w, self.rng
        t = (self.free_targets(self.contenders) or [None])[0]
        if t is None:
            return None
        t0 = self.start(7 * DAY)
        k = self.size()
        n_old = min(int(rng.binomial(k, 0.5)), k - 1)  # at least one new account
        old = self.pick(self.eligible(self.not_speaking(t), t0), n_old)
        at_old = t0 + rng.random(len(old)) * 7 * DAY
        at_new = t0 + rng.random(k - len(old)) * 7 * DAY
        new = np.array([self.account(a, 2 * MINUTE, 30 * MINUTE) for a in at_new], dtype=np.int64)
        extra = []
        same_track = np.setdiff1d(np.flatnonzero(w.track == w.track[t]), [t])
        for v, a in zip(new.tolist(), at_new.tolist(), strict=True):
            if rng.random() < 0.4 and len(same_track):
                more = rng.choice(same_track, size=min(len(same_track), int(rng.integers(1, 3))), replace=False)
                extra.append(self.rows([v] * len(more), more, self.plausible(more), a + 40 + 30 * np.arange(len(more))))
        return self.support("friends_spread", np.r_[old, new], t, np.r_[at_old, at_new], extra)

    def sockpuppets(self):
        w, rng = self.w, self.rng
        t = (self.free_targets(self.contenders) or [None])[0]
        if t is None:
            return None
        k = self.size(3, 12)
        gaps = rng.uniform(3 * HOUR, 16 * HOUR, k)
        t0 = self.start(gaps.sum() + 3 * DAY)
        covers = rng.choice(np.setdiff1d(np.arange(w.T), [t]), size=int(rng.integers(4, 9)), replace=False)
        cover_scores = self.plausible(covers)
        made = t0 - int(rng.integers(DAY, 3 * DAY))
        members, parts = [], []
        sitting = t0 + np.r_[0, np.cumsum(gaps[:-1])]
        for j in range(k):
            v = self.account(made + int(rng.integers(0, 30 * MINUTE)), 0, 0, pick_mail(rng, COMMON_MAIL, 1)[0])
            mine = cover_scores.copy()
            moved = rng.choice(len(covers), size=int(rng.integers(0, 3)), replace=False)
            mine[moved] = np.clip(mine[moved] + rng.choice([-1, 1], len(moved)), BOTTOM, TOP)
            talks = np.r_[t, covers]
            order = rng.permutation(len(talks))
            at = sitting[j] + np.cumsum(rng.uniform(25, 60, len(talks)))[order]
            parts.append(self.rows([v] * len(talks), talks, np.r_[TOP, mine], np.minimum(at, sitting[j] + 10 * MINUTE)))
            members.append(v)
        return self.done("sockpuppets", "support", members, np.concatenate(parts), t)

    def rival_unit(self):
        w, rng = self.w, self.rng
        H = w.n_org[0]
        for t in self.free_targets(self.strong):
            own = set(w.speaker_org[t].tolist()) | {int(w.talk_org[t])}
            if not own & set(range(H)):
                continue
            same = np.unique(w.talk_org[(w.track == w.track[t]) & (w.talk_org >= 0) & (w.talk_org < H)]).tolist()
            rivals = [o for o in same if o not in own]
            rivals = rivals or [o for o in rng.permutation(H).tolist() if o not in own]
            t0 = self.start(3 * DAY)
            for o in rivals:
                pool = self.eligible(w.org == o, t0)
                if len(pool) < 5:
                    continue
                m = self.pick(pool, self.size(5, 25))
                rows = self.rows(m, [t] * len(m), np.full(len(m), BOTTOM), t0 + rng.random(len(m)) * 3 * DAY)
                return self.done("rival_unit", "oppose", m, rows, None)
        return None

    # new kinds
    def kol_push(self):
        w, rng = self.w, self.rng
        base = self.base
        for pharma in rng.permutation(np.arange(base[1], base[2])).tolist():
            talks = [t for t in np.flatnonzero(w.sponsor == pharma).tolist() if t not in self.taken and w.fmt[t] != 3]
            if not talks:
                continue
            talks = sorted(rng.choice(talks, size=min(len(talks), int(rng.integers(1, 4))), replace=False).tolist())
            t0 = self.start(5 * DAY)
            pool = self.eligible((w.org == pharma) & self.not_speaking(talks), t0)
            if len(pool) < 5:
                continue
            m = self.pick(pool, self.size(5, 40))
            contenders = [t for t in talks if t in set(self.contenders.tolist())]
            boosted = contenders[0] if contenders else talks[0]
            sitting = self.office_hours(w.offset[m], w.dst_day[m], t0, 5)
            at = np.repeat(sitting, len(talks)) + np.tile(45 * np.arange(len(talks)), len(m))
            self.taken.update(talks)
            return self.slate("kol_push", m, talks, boosted, at, 0.8)
        return None

    def rotation_cohort(self):
        w = self.w
        for p in self.rng.permutation(len(w.programmes)).tolist():
            hospitals = w.programmes[p]
            cand = [t for t in self.free_targets(self.contenders) if self._by_physician_of(t, hospitals)]
            cand += [
                t for t in self.free_targets(self.middling) if self._by_physician_of(t, hospitals) and t not in cand
            ]
            for t in cand:
                t0 = self.start(3 * DAY)
                speakers_orgs = w.speaker_org[t][w.speaker_org[t] >= 0]
                pool = self.eligible((w.programme == p) & ~np.isin(w.org, speakers_orgs) & self.not_speaking(t), t0)
                if len(pool) < 3:
                    continue
                m = self.pick(pool, self.size(3, 30))
                lag = self.burst_or_spread(len(m), 0.6, 3 * HOUR, 12 * HOUR, 3 * DAY)
                return self.support("rotation_cohort", m, t, t0 + lag)
        return None

    def _by_physician_of(self, t: int, hospitals: np.ndarray) -> bool:
        w = self.w
        return any(v >= 0 and w.role[v] == PHYSICIAN and w.org[v] in hospitals for v in w.speaker[t])

    def patient_drive(self):
        w, rng = self.w, self.rng
        patient_talks = np.flatnonzero(w.fmt == 4)
        options = self.free_targets(np.intersect1d(self.contenders, patient_talks))
        options += [t for t in self.free_targets(np.intersect1d(self.middling, patient_talks)) if t not in options]
        options += [t for t in self.free_targets(patient_talks) if t not in options]
        for t in options:
            c = int(w.talk_org[t])
            t0 = self.start(3 * DAY)
            k = self.size(10, 40)
            old = self.pick(self.eligible((w.charity == c) & self.not_speaking(t), t0), round(0.3 * k))
            lag = np.minimum(rng.exponential(10 * HOUR, k), 72 * HOUR)
            new = np.array([self.account(t0 + a, MINUTE, 30 * MINUTE) for a in lag[len(old) :]], dtype=np.int64)
            m = np.r_[old, new]
            others = np.setdiff1d(np.flatnonzero(w.track == PATIENT), [t])
            extra = []
            for v, a in zip(m.tolist(), (t0 + lag).tolist(), strict=True):
                if rng.random() < 0.3 and len(others):
                    more = rng.choice(others, size=min(len(others), int(rng.integers(1, 3))), replace=False)
                    extra.append(
                        self.rows([v] * len(more), more, self.plausible(more), a + 60 + 40 * np.arange(len(more)))
                    )
            return self.support("patient_drive", m, t, t0 + lag, extra)
        return None

    def society_slate(self):
        w, rng = self.w, self.rng
        contenders = set(self.contenders.tolist())
        for g in rng.permutation(len(w.sig_track)).tolist():
            inside = (w.sig == g).any(axis=1)
            by_member = np.where(w.speaker >= 0, inside[np.maximum(w.speaker, 0)], False).any(axis=1)
            talks = [t for t in np.flatnonzero(by_member).tolist() if t not in self.taken]
            boosts = [t for t in talks if t in contenders]
            if not boosts or len(talks) < 2:
                continue
            boosted = int(rng.choice(boosts))
            rest = [t for t in talks if t != boosted]
            more = rng.choice(rest, size=min(len(rest), int(rng.integers(1, 4))), replace=False).tolist()
            slate = sorted([boosted, *more])
            sent = int(MIDNIGHT + int(rng.integers(1, VOTE_DAYS - 2)) * DAY + 8 * HOUR)
            sent = max(sent, OPENS + HOUR)
            pool = self.eligible(inside & self.not_speaking(slate), sent)
            if len(pool) < 10:
                continue
            m = self.pick(pool, self.size(10, 40))
            lag = np.minimum(rng.exponential(6 * HOUR, len(m)), 48 * HOUR)
            at = np.repeat(sent + lag, len(slate)) + np.tile(40 * np.arange(len(slate)), len(m))
            self.taken.update(slate)
            return self.slate("society_slate", m, slate, boosted, at, 0.8)
        return None

    def medcomms_agency(self):
        w, rng = self.w, self.rng
        base = self.base
        for agency in rng.permutation(np.arange(base[2], base[3])).tolist():
            client_talks = [t for t in np.flatnonzero(w.sponsor >= 0).tolist() if t not in self.taken]
            if not client_talks:
                return None
            contenders = set(self.contenders.tolist())
            t = next((x for x in client_talks if x in contenders), client_talks[0])
            t0 = self.start(5 * DAY)
            staff = self.pick(self.eligible((w.org == agency) & self.not_speaking(t), t0), int(rng.integers(0, 4)))
            n_new = max(3 - len(staff), int(rng.integers(3, 10)))
            sheet_talks = np.setdiff1d(np.flatnonzero(w.track == w.track[t]), [t])
            if len(sheet_talks) < 3:
                sheet_talks = np.setdiff1d(np.arange(w.T), [t])
            sheet = rng.choice(sheet_talks, size=min(len(sheet_talks), int(rng.integers(3, 7))), replace=False)
            sheet_scores = self.plausible(sheet)
            domain = w.org_domains[agency]
            region = int(w.org_region[agency])
            clock = np.full(n_new, round(REGIONS[region][2][0] * HOUR)), np.full(n_new, REGIONS[region][3])
            firsts = self.office_hours(*clock, t0, 5)
            new = []
            for a in firsts.tolist():
                mail = domain if rng.random() < 0.5 else None
                company = AGENCY_FIELD[int(rng.integers(len(AGENCY_FIELD)))]
                new.append(self.account(int(a), 10 * MINUTE, 6 * HOUR, mail, company, agency))
            m = np.r_[staff, np.array(new, dtype=np.int64)]
            parts = []
            anchor = np.r_[self.office_hours(w.offset[staff], w.dst_day[staff], t0, 5), firsts]
            for v, a in zip(m.tolist(), anchor.tolist(), strict=True):
                mine = sheet_scores.copy()
                moved = rng.choice(len(sheet), size=int(rng.integers(1, 3)), replace=False)
                mine[moved] = np.clip(mine[moved] + rng.choice([-1, 1], len(moved)), BOTTOM, TOP)
                talks = np.r_[t, sheet]
                at = a + np.cumsum(rng.uniform(30, 120, len(talks)))
                parts.append(self.rows([v] * len(talks), talks, np.r_[TOP, mine], at))
            return self.done("medcomms_agency", "support", m, np.concatenate(parts), t)
        return None

    def guideline_dispute(self):
        w, rng = self.w, self.rng
        for g in rng.permutation(len(w.sig_track)).tolist():
            targets = [t for t in self.free_targets(self.strong) if w.track[t] == w.sig_track[g]]
            targets = targets or self.free_targets(self.strong)
            for t in targets[:3]:
                t0 = self.start(2 * DAY)
                orgs = w.speaker_org[t][w.speaker_org[t] >= 0]
                pool = self.eligible((w.sig == g).any(axis=1) & ~np.isin(w.org, orgs) & self.not_speaking(t), t0)
                if len(pool) < 10:
                    continue
                m = self.pick(pool, self.size(10, 30))
                scores = np.where(rng.random(len(m)) < 0.8, BOTTOM, rng.integers(2, 4, len(m)))
                scores[0] = BOTTOM
                lag = np.minimum(rng.exponential(8 * HOUR, len(m)), 48 * HOUR)
                return self.done("guideline_dispute", "oppose", m, self.rows(m, [t] * len(m), scores, t0 + lag), None)
        return None


def fresh10_conference(size: str = "small", seed: int = 1, plant: Callable | None = None) -> SyntheticConference:
    """The clinical congress of the module docstring with its campaigns. `plant` (for honest-only runs, e.g.
    bench/blocs_calibration.plant_nothing) replaces the campaigns and may only plant nothing."""
    return fresh_world_conference(
        size,
        seed,
        plant,
        name="fresh10",
        salt=10000,
        honest=_honest,
        campaigns=_Campaigns,
        kinds=BLOC_KINDS,
        kind_p=KIND_P,
        closes=CLOSES,
        scale=SCALE,
    )
