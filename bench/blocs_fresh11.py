"""An eleventh synthetic world for bloc detection: a national K-12 educators' conference (teachers, school leaders,
district staff, student teachers) whose community chooses the "Educators' choice" sessions by scoring the proposals
on a four-level rubric over three weeks of February, around Presidents' Day, a mid-winter break and a snow day.

Written apart from the detector (it reads only blocs_synthetic's dataclasses, SIZES, its weighted draws, its
campaign helpers and `world_conference`, BlocInput's format and confvote's free-mail list), and committed before
anything measured it: an out-of-sample test. Deterministic per (size, seed); pure numpy. Why this world: the ten
before it are tech, research, public-sector, open-source, hacker, data, games and clinical conferences. A K-12
conference's voters work for school districts, one employer behind hundreds of schools whose names repeat from
district to district ("Lincoln Elementary" is in every state), while a county's service agency (a BOCES, an ESC, an
intermediate unit) hosts the mail of several small districts on one domain; a whole state can be one district
(Hawaii); teachers vote at night, at the weekend, in their planning period and on school holidays, not in office
hours; principals forward mail to whole staff rooms, PD coordinators buy group registrations, unions and subject
associations mail their members, textbook and edtech publishers run "certified educator" ambassador programmes of
teachers they do not employ; many teachers sign up with personal mail, some with the internet provider's.
The model, pre-registered:

Event. A US conference; the vote opens Monday 2027-02-08 14:00 UTC (09:00 Eastern) and runs 21 days (closes Monday
2027-03-01 14:00 UTC) on the rubric 1-4 ("1 beginning", "2 developing", "3 proficient", "4 exemplary"), wanted from
3. No clock changes in the vote (the US moves on March 14). Vote day 7 (Monday February 15) is Presidents' Day, days
7-11 the mid-winter break of New York, Massachusetts and New Jersey, day 3 (Thursday February 11) a snow day in
Ohio, Michigan, Illinois and Wisconsin: schools are closed. Sizes as SIZES: small 1,000 voters / 200 talks / ~20k
votes, medium 20,000 / 1,000 / ~200k, large 100,000 / 5,000 / ~1M; campaign-only accounts come on top.

Structure (small / medium / large). Tracks 8 / 12 / 16 (elementary literacy, school leadership, new teachers, SEL &
wellbeing, edtech & AI, mathematics, science & STEM, special education, English learners, social studies & civics,
English language arts, early childhood, arts & music, career & technical, assessment & data, family & community;
weights Dirichlet(1.5), a topicality factor lognormal(0, 0.3) each). States (17, UTC offset, share): NY -5 8, MA -5
3, NJ -5 4, PA -5 5, VA -5 4, GA -5 5, FL -5 8, OH -5 5, MI -5 4, IL -6 6, WI -6 3, TX -6 12, CO -7 3, AZ -7 3, CA
-8 13, WA -8 4, HI -10 1. School districts 15 / 120 / 500 (size ∝ rank^-0.9, a state ∝ share, not Hawaii; in medium
and large the fourth largest is the "Hawaii State Department of Education", k12.hi.us); names and domains by the
state's style: "<Stem> Central School District|City Schools" / "<Stem> County Schools" "<stem>.k12.<st>.us" (NY,
GA), "<Stem> Public Schools" "<stem>schools.org|<stem>ps.org" (MA, NJ, VA, FL, OH, MI), "<Stem> School District"
"<stem>sd.org" (PA, IL, WI, CO, WA), "<Stem> Independent School District" "<stem>isd.org|.net" (TX), "<Stem>
Unified School District" "<stem>usd.org|<stem>.k12.<st>.us" (AZ, CA); 20% also a legacy "<stem>schools.net" of a
consolidation. In NY, PA, OH, MI and WI each district of the smaller half w.p. 0.8 belongs to a county service agency
of 2-5 such districts whose domain hosts their mail ("<county>boces.org", "iu<n>.org", "<county>esc.org",
"<county>isd.org", "cesa<n>.org"). Charter networks 1 / 5 / 15 ("<Brand> Prep Academies|Charter Schools|Academy
Network", "<brand>prep.org", 1-3 states, size Pareto(1.5) + 1); universities with teacher education 3 / 12 / 40
("University of <Stem>" or "<Stem> State University", "<stem>.edu", size Pareto(1.0) + 1); publishers and edtech
companies 3 / 12 / 35 (size ∝ rank^-1.0, "<Brand> Learning|Education|Press" "<brand>learning|ed|press.com", 50% a
digital imprint "<Brand> Digital" "<brand>digital.com", 40% an acquired app "<Other>ly, a <Brand> company"
"<other>ly.com"); a teachers' union per state ("<State> Education Association" "<st>ea.org" or "<State> Federation
of Teachers" "<st>ft.org", size ∝ the state's share). Organisations are numbered districts, charter networks,
universities, publishers, unions. Subject associations 8 / 20 / 40 (a track each, the first three literacy,
leadership, edtech; size Pareto(1.2) + 1); Facebook teacher groups 6 / 30 / 80 (a track each, the first two
literacy and new teachers; size Pareto(1.0) + 1); teacher influencers 4 / 20 / 60 (teacher voters, audience
Pareto(1.0) + 1; half of them offer talks as consultants).

Voters. Role: classroom teacher 50%, school leader (principal, assistant principal) 8%, district staff (PD
coordinators, coaches, curriculum) 7%, student teacher 8%, substitute 5%, teacher-education faculty 5%, publisher
or edtech staff 6%, union staff 2%, retired teacher 6%, other (parents, board members, nonprofits) 3%. Organisation:
teachers and leaders a charter network (8%) or a district ∝ size; district staff a district; student teachers and
faculty a university ∝ size; substitutes a district w.p. 0.6; vendors a publisher ∝ size (its parent 60%, else one of
its units); union staff a union ∝ share; retired and other none. State: the organisation's (a network's voter one of
its states); others ∝ share, and 30% of retired teachers live in Florida (70%) or Arizona. Schools: a district's or
network's teachers and leaders fill clip(ceil(n / 18), 1, 60) schools (elementary 55%, middle 20%, high 25%; names
"<Lincoln|Washington|...> Elementary|Middle School|High School" from 20 × 3, distinct within the organisation,
repeated across them), ∝ lognormal(0, 0.5) weights. A student teacher is placed at a school of a district of their
state ∝ size. Union locals: teachers 70%, leaders 20%, substitutes 50% of a district are members of its local;
retired 60% of a district of their state. Associations (teachers 30%, leaders 45%, district staff 40%, student
teachers 10%, substitutes 5%, faculty 50%, retired 15%): one (70%) or two, ∝ size, the first in the favourite track
w.p. 0.6 when there is one. Facebook groups (teachers 30%, student teachers 35%, substitutes 30%, leaders and
retired 10%): one, ∝ size, of the favourite track w.p. 0.7 when there is one. Followers of an influencer: teachers,
student teachers and substitutes 15%, others 4% (∝ audience). Ambassadors: each publisher's programme takes max(5,
round(3% of school staff × its size share)) teachers, leaders and district staff, one programme each. Favourite
tracks: two ∝ weight; a teacher's first by school level (elementary: literacy and early childhood ×3; middle and
high: mathematics, science, social studies, ELA, career & technical ×1.5, literacy ×0.3); leaders leadership
(60%), district staff leadership (25%) or edtech (25%), student teachers new teachers (50%), vendors edtech (50%).
Email, the first rule that applies: work mail w.p. teacher .50, leader .75, district staff .85, student teacher .70,
faculty .80, vendor .80, union staff .85 (substitutes, retired, others never): a district's staff the service
agency's domain (0.8) where there is one, else the legacy domain (0.3) where there is one, else the district's;
student teachers "my.<stem>.edu" half the time; vendors their unit's domain; else the organisation's. 2% of the rest
a family domain ("<head>family.net", "<head><tail><n>.us"); else free mail (gmail.com 55, yahoo.com 12, hotmail.com
6, outlook.com 6, icloud.com 12, aol.com 4), except an internet provider's by time zone: Eastern 13% (verizon.net,
optonline.net, bellsouth.net, comcast.net), Central 13% (sbcglobal.net, att.net, charter.net), Mountain 11% (cox.net,
q.com, comcast.net), Pacific 10% (sbcglobal.net, att.net, comcast.net), Hawaii 10% (hawaii.rr.com). Company field
(filled w.p. teacher .60, leader .75, district staff .70, student teacher .55, substitute .40, faculty .65, vendor
.70, union .60, retired .35, other .20): an ambassador "<Brand> Certified Educator" 20% (not the employer); teachers
and leaders the school 40% (a leader "Principal, <school>" half of that), "<school>, <district>" 15%, a teacher
"Teacher|Educator|Classroom teacher|N/A|Public school teacher" 10%, the district's initials 10% (a leader 20%),
else the district's name, lower case or "SD" for "School District"; student teachers the placement school 30%, the
university 50%, "Student teacher"; substitutes "Substitute teacher", "<District> (sub)", "Sub"; vendors their unit
(lower case, ", Inc."); retired "Retired, <district>" (20% of union members) or "Retired|Retired teacher|Retired
educator|-"; others "Parent|School board member|PTA|-|Nonprofit". True organisation: the employer (a student
teacher's university, a substitute's district). Tickets: full registration 1.0 / virtual 0.5 / free account 0.0 by
role (teacher .45/.30/.25, leader .65/.20/.15, district staff .70/.15/.15, student teacher .25/.35/.40, substitute
.15/.30/.55, faculty .55/.30/.15, vendor .80/.10/.10, union .60/.25/.15, retired .20/.30/.50, other .05/.20/.75).
Orders, the first that applies: school staff of a district or network with a full registration 55% on its PD
coordinator's group orders ("PD-", chunks of 10, 20 or 40 per organisation); ambassadors with a full registration
50% and vendors 70% on the publisher's comp orders ("COMP-", chunks of 15); union members with a full registration
20% on the state union's subsidised orders ("UNION-", chunks of 25); student teachers with a ticket 60% on their
university's order ("UNIV-", chunks of 20); the rest alone ("IND-" full, "VIRT-" virtual). Accounts: ticket holders
returning 35% (1-6 years before), registered 45% (0-75 days before), made during the vote 20%; free accounts
15/25/60%; made during the vote 1-30 min before the first vote (75%) or 1 h-3 days; always two minutes before it.

Talks. Format: classroom 42% (a district or network ∝ size^1.1), leadership 12% (a district ∝ size^0.8; track
leadership w.p. 0.7), research 10% (a university), vendor 7% (a publisher; edtech w.p. 0.45), union 5% (a state
union), early career 5% (a university 50% or a district; new teachers w.p. 0.8), ambassador 6% (a publisher; edtech
w.p. 0.45), independent 13%; other tracks by weight. Quality q ~ N(0, 1). Popularity = exp(0.7 q + N(0, 0.6)) ×
topicality × (classroom 1.2, leadership 1.0, research 0.7, vendor 0.5, union 0.8, early career 0.9, ambassador 1.0,
independent 1.1). Speakers 1 (50%), 2 (35%) or 3 (15%): the first of the talk's organisation, a voter of it w.p. 0.75
(a classroom talk's a teacher, a leadership talk's a leader or district staff, research faculty, vendor a vendor,
union union staff when it has one); further ones of it 60% (a voter 60%), else 50% a district of the same state (a
voter half the time), else none. An ambassador talk: one of the publisher's ambassadors (of their own district)
and the publisher (a voter of it half the time); vendor and ambassador talks are sponsored by the publisher. An
independent talk: 60% the next consultant (the influencers who offer talks, retired and other voters, shuffled),
else no known speaker.
Speaker facts: a school voter's school name 40%, else the organisation's name 70%; domain: a voter speaker's own,
else the organisation's main domain 60%, else gmail.com.

Honest ballots. Length: 22% light (1-3), 1% completionists (U(0.2, 0.5)·min(T, 150)), the rest lognormal (σ 0.9)
with the mean that brings the ballots to 99% of the size's votes; at most T / 2. Talks: each draw from the whole
programme ∝ popularity (45%), a favourite track (0.65/0.35) ∝ popularity (40%), or an affiliation's talks (15%: the
organisation's; an ambassador's publisher's half the time); first n distinct; completionists by Gumbel keys. Score:
latent = 0.8 q + 0.5·(a favourite track) + 0.8·(own organisation's or own publisher's talk) + bias + N(0, 1), bias
N(0.1, 0.4) (7% cheerleaders +1.2, 5% harsh -0.9); cut at -0.6, 0.55, 1.75 into 1-4. Time: 1 + min(Poisson(n / 8),
6) sittings per voter; a vote's sitting floor(U^1.4·s); a sitting's local day ∝ 1 (day 0 ×2.5: the opening mail, day
1 ×1.5, day 9 ×1.8 and day 16 ×1.6: reminders, days 19-20 ×2.2: last call; Saturdays ×1.1 and Sundays ×1.5 for school
staff and substitutes, ×0.4 for office workers: faculty, vendors, union staff); 15% of the sittings of school staff
and substitutes of a snow state move to the snow day. A day is at home on weekends and, for school staff, student
teachers and substitutes with an organisation, on Presidents' Day, their state's break and snow day. Local hour by
profile: at home (retired and others: daytime 08-20; everyone else: home, 09-15 and 19-22), teachers on school days
(06-07 before school, 11-12 lunch, 15-16 after school, 19-22 evenings; 12% of sittings in the teacher's own planning
period, an hour 08-14), leaders and substitutes (05-06 and 19-23), office (district staff, faculty, vendors, union:
09-17), student teachers (16-01), retired and others on weekdays (daytime). A sitting before the opening starts U(0,
3 h) after it, one past the close whole days earlier; votes 6 s + Exp(25 s) apart.

Honest correlated groups (honest stream; each voter in one group at most, in no bloc; their votes replace the
members' own draws of the same talks). Per kind small 1, medium 3, large 7; the spotlight's nine talks always.
- staff_room_forward (NOT recorded): a principal forwards the conference's mail with 3-6 talks of a track the school
  favours at 07:15 local on a weekday of days 1-18; 10-40 teachers of the school (none speaking) rate each w.p.
  0.55 at lunch (+4.5 h, 30%), in a planning period (+1-7 h, 30%) or that evening (+12.5 h, 40%), plus U(0, 36 min),
  30% of them the next day; shared taste N(0.3, 0.6).
- plc_meeting: a professional learning community, 4-8 teachers of one school sharing a favourite track, on a
  Tuesday at 15:30 local (within 40 min, 50 s a talk) rate 3-6 talks of that track, each w.p. 0.85; N(0.3, 0.6).
- pd_day: a district's in-service Friday (day 4, 11 or 18) at 13:00 local: 15-40 of its teachers (within 1 h, 45 s a
  talk) rate 5-8 talks of a track or SEL shown by the PD coordinator, each w.p. 0.7; N(0.2, 0.7).
- methods_course: 12-30 student teachers of one university in a Tuesday or Thursday 18:30 local class (within 50
  min, 40 s a talk) rate 4-8 new-teacher talks, each w.p. 0.7; N(0.4, 0.6).
- facebook_group (NOT recorded): an admin's post at 20:00 Eastern (day 2-16) names 3-5 talks of the group's track;
  15-40 members rate each w.p. 0.5, Exp(20 h) after (cut at 4 days); N(0.4, 0.7).
- influencer_video (NOT recorded): an influencer with no talk names 3 talks in a video at 17:00 Pacific (day 2-17);
  min(followers, max(12, 2.5% of V)) followers rate each w.p. c/3 (c uniform 1-3, at least one) Exp(5 h) after (cut
  at 36 h); N(0.3, 0.6).
- spotlight: the organisers' "Spotlight" mail (RECORDED as a promotion of its talks) on days 4, 11 and 18 at 15:00
  UTC with 3 talks each (popularity 40-90th percentile); per talk 1% of the voters (at least 5; in no other group)
  rate it Exp(10 h) after (cut at 72 h), own scores.

Planted campaigns (their own random stream: the honest world is the same with or without them). A bloc has 3-40
members (log-uniform in the kind's range, then what the kind finds); members are voters in no honest group and no
other bloc whose account existed two minutes before the campaign began. A contender has quality between the 65th
and 90th percentile, a middling talk between the 40th and 90th, a strong talk is in the top 15%; "ranked" targets are
contenders first, then middling, then any. Campaigns: each kind once, then kinds drawn at random until there are
max(size's blocs, 12) blocs. Support votes are 4; opposition votes 1 (a reading war's 25% 2). "Outsiders" of a talk
speak at none of it and work at none of its speakers' organisations.
- coworkers: 3-40 staff of the organisation of a contender's speaker (or the talk's), whatever domain they use: 50%
  within Exp(1 h) of a message in the staff's group text (cut at 4 h), 50% spread over four days.
- order: 3-40 eligible members of one PD, COMP, UNION or UNIV order, outsiders of a contender, over two days.
- friends_burst: unrelated existing voters (one per order and one per school at most), within 90 minutes.
- friends_spread: a teacher's posts over seven days: 50% existing voters, 50% new free-mail accounts (free; joined
  2-30 min before their vote; 40% also rate 1-2 talks of the target's track, plausibly scored).
- sockpuppets: one teacher's 3-12 free-mail accounts made within 30 minutes 1-3 days before the first sitting; a
  common ballot (the target 4 and 4-8 cover talks scored plausibly), each account moving 0-2 cover scores by one;
  each account after the first votes on the next evening w.p. 0.5, else on the same evening, 19:30-23:30 in the
  operator's time zone, 15-50 s a vote.
- ambassador_network (new): a publisher's community manager posts to its ambassadors at 19:00 Eastern: 5-40
  ambassadors (teachers of other districts, outsiders) rate 1-3 of its sponsored talks (ranked; the first boosted 4,
  the others 4 w.p. 0.75, else 3) in one sitting (40 s a talk) Exp(12 h) after (cut at 72 h).
- union_slate (new): a state union mails a slate at 16:00 local: 2-4 talks of the union's or by its members in the
  state (ranked; a middling talk or better boosted 4, others 4 w.p. 0.7, else 3); 10-40 union members of the state,
  outsiders, rate every slate talk Exp(8 h) after (cut at 48 h), 35 s a talk.
- coordinator_proxy (new): a PD coordinator who holds the logins of the teachers on her district's (or network's)
  largest eligible PD order casts the vote from 5-30 of their accounts for a middling-or-better talk by the
  organisation's staff (ranked), one after the other (40-120 s apart), at 06:30-07:30 local on a weekday of the five
  days from the campaign's start: colleagues, in one sitting, nothing else voted.
- extra_credit (new): a teacher-education professor gives extra credit for voting: 3-30 student teachers of the
  university rate a talk of its faculty (ranked) 4 and 1-2 new-teacher talks (plausible scores, 30 and 90 s later)
  at 19:00-24:00 local on one of six days: colleagues (the university).
- rival_publisher (new, oppose): 4-20 staff of a publisher (outsiders) rate 1 a strong talk sponsored by another
  publisher (else a strong edtech talk, else any strong) in weekday office hours (09:00-17:00 local) over three days.
- reading_war (new, oppose): members of a literacy Facebook group (else a literacy association), 10-35 outsiders,
  rate a strong literacy talk (else any strong) 1 (75%) or 2, Exp(10 h) after a post at 20:00 Eastern (cut at 48 h).
- parent_outrage (new, oppose): a parents' group posts about a strong SEL talk (else social studies or family &
  community, else any strong): 0-3 existing "other" voters and new free-mail accounts (10-40 members in all; free,
  company "Parent", "Concerned parent", "Mom of 3" or none, joined 1-20 min before their vote) rate it 1 Exp(6 h)
  after (cut at 36 h).
A kind that finds no instance is skipped. Campaign-only accounts' votes are all planted (cover votes too); an
existing member's planted vote replaces their honest vote of that talk.

Ground truth (`fresh11_conference(size, seed)`, a SyntheticConference): the blocs (kind, direction, every talk the
bloc's planted votes are on, members, boosted talk; an opposition bloc has none), which votes are planted, which are
a colleague's (the voter's true organisation is one of a speaker's: a district, network, university, publisher or
union; an ambassador's publisher is not their organisation), which are honest (not planted, cast by a real voter)
and the honest groups (direction "honest"). Voters are ids 1..V, campaign-only accounts V + 1 on. `plant` (e.g.
bench/blocs_calibration.plant_nothing) replaces the campaigns and may only plant nothing.
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
DAY0 = int(dt.datetime(2027, 2, 8, tzinfo=dt.UTC).timestamp())  # UTC midnight of the opening Monday
OPENS = DAY0 + 14 * HOUR  # 09:00 Eastern
VOTE_DAYS = 21
CLOSES = OPENS + VOTE_DAYS * DAY
PRESIDENTS_DAY, WINTER_BREAK, SNOW_DAY = 7, (7, 8, 9, 10, 11), 3
SCALE = VoteScale(
    minimum=1, maximum=4, wanted_min=3, labels=("1 beginning", "2 developing", "3 proficient", "4 exemplary")
)
CUTS = np.array([-0.6, 0.55, 1.75])
TOP, BOTTOM = 4, 1
TRACKS = (
    "elementary literacy", "school leadership", "new teachers", "SEL & wellbeing", "edtech & AI", "mathematics",
    "science & STEM", "special education", "English learners", "social studies & civics", "English language arts",
    "early childhood", "arts & music", "career & technical", "assessment & data", "family & community",
)  # fmt: skip
LITERACY, LEADERSHIP, NEW_TEACHERS, SEL, EDTECH = range(5)
FORMATS = ("classroom", "leadership", "research", "vendor", "union", "early career", "ambassador", "independent")
FORMAT_P = (0.42, 0.12, 0.10, 0.07, 0.05, 0.05, 0.06, 0.13)
FORMAT_POP = np.array([1.2, 1.0, 0.7, 0.5, 0.8, 0.9, 1.0, 1.1])
CLASSROOM, LEAD_TALK, RESEARCH, VENDOR_TALK, UNION_TALK, EARLY, AMBASSADOR, INDEPENDENT = range(8)
ROLES = ("teacher", "leader", "district staff", "student teacher", "substitute", "faculty", "vendor", "union staff",
         "retired", "other")  # fmt: skip
ROLE_P = (0.50, 0.08, 0.07, 0.08, 0.05, 0.05, 0.06, 0.02, 0.06, 0.03)
TEACHER, LEADER, DISTRICT_STAFF, STUDENT_TEACHER, SUBSTITUTE, FACULTY, VENDOR, UNION_STAFF, RETIRED, OTHER = range(10)
SCHOOL_STAFF = (TEACHER, LEADER, DISTRICT_STAFF)
DISTRICT, CHARTER, UNIVERSITY, PUBLISHER, UNION = range(5)
# full registration / virtual / free account, per role
TICKETS = (
    (0.45, 0.30, 0.25), (0.65, 0.20, 0.15), (0.70, 0.15, 0.15), (0.25, 0.35, 0.40), (0.15, 0.30, 0.55),
    (0.55, 0.30, 0.15), (0.80, 0.10, 0.10), (0.60, 0.25, 0.15), (0.20, 0.30, 0.50), (0.05, 0.20, 0.75),
)  # fmt: skip
WORK_MAIL = (0.50, 0.75, 0.85, 0.70, 0.0, 0.80, 0.80, 0.85, 0.0, 0.0)
FIELD_P = (0.60, 0.75, 0.70, 0.55, 0.40, 0.65, 0.70, 0.60, 0.35, 0.20)
UNION_P = (0.70, 0.20, 0.0, 0.0, 0.50, 0.0, 0.0, 0.0, 0.60, 0.0)
ASSOCIATION_P = (0.30, 0.45, 0.40, 0.10, 0.05, 0.50, 0.0, 0.0, 0.15, 0.0)
# code, name, UTC offset (hours, no daylight-saving change in the vote), share, district domain style, the service
# agency domain small districts share ("" none), a mid-winter break week, a snow day
STATES = (
    ("ny", "New York", -5, 8, "k12", "{}boces.org", True, False),
    ("ma", "Massachusetts", -5, 3, "schools", "", True, False),
    ("nj", "New Jersey", -5, 4, "schools", "", True, False),
    ("pa", "Pennsylvania", -5, 5, "sd", "iu{}.org", False, False),
    ("va", "Virginia", -5, 4, "schools", "", False, False),
    ("ga", "Georgia", -5, 5, "k12", "", False, False),
    ("fl", "Florida", -5, 8, "schools", "", False, False),
    ("oh", "Ohio", -5, 5, "schools", "{}esc.org", False, True),
    ("mi", "Michigan", -5, 4, "schools", "{}isd.org", False, True),
    ("il", "Illinois", -6, 6, "sd", "", False, True),
    ("wi", "Wisconsin", -6, 3, "sd", "cesa{}.org", False, True),
    ("tx", "Texas", -6, 12, "isd", "", False, False),
    ("co", "Colorado", -7, 3, "sd", "", False, False),
    ("az", "Arizona", -7, 3, "usd", "", False, False),
    ("ca", "California", -8, 13, "usd", "", False, False),
    ("wa", "Washington", -8, 4, "sd", "", False, False),
    ("hi", "Hawaii", -10, 1, "statewide", "", False, False),
)
STATE_P = np.array([s[3] for s in STATES], dtype=np.float64)
STATE_OFFSET = np.array([s[2] * HOUR for s in STATES], dtype=np.int64)
BREAK_STATE = np.array([s[6] for s in STATES])
SNOW_STATE = np.array([s[7] for s in STATES])
HAWAII = len(STATES) - 1
EASTERN = -5 * HOUR
COMMON_MAIL = (("gmail.com", 55), ("yahoo.com", 12), ("hotmail.com", 6), ("outlook.com", 6), ("icloud.com", 12),
               ("aol.com", 4))  # fmt: skip
ISP_MAIL = {  # by UTC offset: the internet providers' mail people kept
    -5: (("verizon.net", 4), ("optonline.net", 2), ("bellsouth.net", 3), ("comcast.net", 4)),
    -6: (("sbcglobal.net", 5), ("att.net", 5), ("charter.net", 3)),
    -7: (("cox.net", 5), ("q.com", 3), ("comcast.net", 3)),
    -8: (("sbcglobal.net", 3), ("att.net", 3), ("comcast.net", 4)),
    -10: (("hawaii.rr.com", 10),),
}
FREE_MAIL = tuple(sorted({d for d, _ in COMMON_MAIL} | {d for m in ISP_MAIL.values() for d, _ in m}))
BLOC_KINDS = (
    "coworkers",
    "order",
    "friends_burst",
    "friends_spread",
    "sockpuppets",
    "ambassador_network",
    "union_slate",
    "coordinator_proxy",
    "extra_credit",
    "rival_publisher",
    "reading_war",
    "parent_outrage",
)
KIND_P = np.ones(len(BLOC_KINDS))
ACCOUNT_KINDS = frozenset({"friends_spread", "sockpuppets", "parent_outrage"})
HONEST_KINDS = (
    "staff_room_forward",
    "plc_meeting",
    "pd_day",
    "methods_course",
    "facebook_group",
    "influencer_video",
    "spotlight",
)
# tracks, districts, charter networks, universities, publishers, associations, Facebook groups, influencers,
# honest groups per kind
WORLD = {
    "small": (8, 15, 1, 3, 3, 8, 6, 4, 1),
    "medium": (12, 120, 5, 12, 12, 20, 30, 20, 3),
    "large": (16, 500, 15, 40, 35, 40, 80, 60, 7),
}
# fmt: off
HEADS = (
    "spring", "oak", "maple", "cedar", "river", "lake", "pine", "fair", "green", "clear", "mill", "brook", "glen",
    "ash", "elm", "willow", "stone", "red", "silver", "rock", "iron", "bay", "sun", "hazel", "granite", "walnut",
    "hick", "burl", "fox", "deer", "eagle", "hawk", "bell", "clay", "cotton", "frank", "lex", "marl", "new", "pleas",
)
TAILS = (
    "field", "wood", "ville", "dale", "view", "ton", "land", "creek", "port", "burg", "ford", "mont", "crest",
    "haven", "side", "water",
)
COUNTIES = (
    "adams", "clark", "franklin", "jefferson", "lake", "marion", "monroe", "union", "warren", "wayne", "madison",
    "greene", "hamilton", "jackson", "lincoln", "montgomery", "washington", "orange", "putnam", "ulster",
)
SCHOOL_NAMES = (
    "Lincoln", "Washington", "Jefferson", "Roosevelt", "Franklin", "Kennedy", "Madison", "Lakeview", "Riverside",
    "Oak Grove", "Central", "Eastside", "Westview", "Hillcrest", "Pine Ridge", "Maple", "Sunset", "Highland",
    "Meadowbrook", "Valley View",
)
LEVELS = ("Elementary", "Middle School", "High School")
BRANDS = (
    "bright", "clever", "nova", "quill", "spark", "lumen", "scholar", "kite", "mosaic", "beacon", "summit", "pathway",
    "atlas", "compass", "harbor", "prism", "tandem", "orbit", "fable", "cadence",
)
# fmt: on
GENERIC_FIELD = ("Teacher", "Educator", "Classroom teacher", "N/A", "Public school teacher")
RETIRED_FIELD = ("Retired", "Retired teacher", "Retired educator", "-")
OTHER_FIELD = ("Parent", "School board member", "PTA", "-", "Nonprofit")
PARENT_FIELD = ("Parent", "Concerned parent", "Mom of 3", None, None)
# Relative chance of starting a sitting at each local hour.
PROFILES = {
    "teacher_day": (0.05, 0.01, 0.01, 0.01, 0.01, 0.15, 0.5, 0.35, 0.1, 0.1, 0.1, 0.3,
                    0.2, 0.1, 0.15, 0.5, 0.45, 0.3, 0.35, 0.8, 1.0, 1.0, 0.6, 0.25),
    "leader_day": (0.05, 0.01, 0.01, 0.01, 0.1, 0.7, 0.8, 0.2, 0.05, 0.05, 0.05, 0.1,
                   0.2, 0.05, 0.05, 0.1, 0.2, 0.3, 0.4, 0.6, 1.0, 1.0, 0.8, 0.4),
    "office": (0.03, 0.01, 0.01, 0.01, 0.01, 0.02, 0.05, 0.2, 0.5, 1.0, 1.0, 1.0,
               0.6, 1.0, 1.0, 1.0, 0.9, 0.4, 0.15, 0.15, 0.15, 0.15, 0.1, 0.05),
    "home": (0.1, 0.03, 0.01, 0.01, 0.01, 0.01, 0.1, 0.25, 0.5, 0.8, 0.9, 0.8,
             0.6, 0.7, 0.8, 0.7, 0.6, 0.5, 0.5, 0.8, 1.0, 0.9, 0.5, 0.2),
    "student": (0.6, 0.3, 0.05, 0.01, 0.01, 0.05, 0.2, 0.1, 0.05, 0.05, 0.05, 0.1,
                0.2, 0.05, 0.05, 0.1, 0.4, 0.5, 0.5, 0.7, 0.9, 1.0, 1.0, 0.9),
    "daytime": (0.02, 0.01, 0.01, 0.01, 0.01, 0.02, 0.1, 0.4, 0.7, 0.9, 1.0, 1.0,
                0.8, 0.9, 0.9, 0.8, 0.7, 0.6, 0.5, 0.6, 0.6, 0.4, 0.2, 0.05),
}  # fmt: skip
PROFILE_NAMES = tuple(PROFILES)


def _local(day, hour, offset) -> np.ndarray:
    """A local day (0: the opening Monday) and hour as a timestamp, for a voter `offset` seconds from UTC."""
    return (DAY0 + np.asarray(day) * DAY + np.asarray(hour) * HOUR - np.asarray(offset)).astype(np.int64)


@dataclass
class World:
    """The honest conference (positions 0-based): what the campaigns read, and the honest votes."""

    V: int
    T: int
    n_org: tuple[int, ...]  # districts, charter networks, universities, publishers, unions
    org_kind: np.ndarray
    org_names: list[str]
    org_domains: list[str]  # the main domain
    org_state: np.ndarray
    track: np.ndarray
    fmt: np.ndarray
    quality: np.ndarray
    popularity: np.ndarray
    talk_org: np.ndarray  # the organisation a talk is from, or -1
    sponsor: np.ndarray  # the publisher behind a vendor or ambassador talk, or -1
    speaker: np.ndarray  # (T, 3) voter positions or -1
    speaker_org: np.ndarray  # (T, 3) organisations or -1
    speaker_company_field: list[tuple[str, ...]]
    speaker_domains: list[tuple[str, ...]]
    role: np.ndarray
    org: np.ndarray  # the true organisation (employer; a student teacher's university), or -1
    school: np.ndarray  # a school-based voter's school (global index), or -1
    school_level: np.ndarray  # per school: 0 elementary, 1 middle, 2 high
    school_district: np.ndarray  # per school: its organisation
    placement: np.ndarray  # a student teacher's placement school, or -1
    state: np.ndarray  # index into STATES
    offset: np.ndarray  # seconds from UTC
    planning: np.ndarray  # a teacher's planning period (local hour)
    union: np.ndarray  # the union local (the district) a voter is a member of, or -1
    association: np.ndarray  # (V, 2) subject associations or -1
    association_track: np.ndarray
    fb_group: np.ndarray  # the Facebook teacher group a voter is in, or -1
    fb_track: np.ndarray
    follows: np.ndarray  # the influencer (index) followed, or -1
    influencers: np.ndarray  # voter position of each influencer
    ambassador: np.ndarray  # the publisher (organisation) whose ambassador programme a voter is in, or -1
    favourite: np.ndarray  # (V, 2)
    bias: np.ndarray
    weight: np.ndarray
    ticket: np.ndarray
    order: list[str | None]
    domain: list[str]
    company_field: list[str | None]
    joined: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    votes: np.ndarray = field(default_factory=lambda: np.empty((0, 4), dtype=np.int64))
    honest_groups: list[PlantedBloc] = field(default_factory=list)
    promoted: dict[int, list[int]] = field(default_factory=dict)


def _district_names(rng, D: int, state: np.ndarray, stems: list[str]):
    """Per district: name, main domain, a legacy domain or None (a consolidation), and its shared service agency's
    domain or None. Small districts of a state with service agencies share one per county (2-5 districts)."""
    names, main, legacy = [], [], []
    for d in range(D):
        code, _, _, _, style, _, _, _ = STATES[int(state[d])]
        stem, cap = stems[d], stems[d].capitalize()
        r = int(rng.integers(0, 2))
        if style == "statewide":
            names.append("Hawaii State Department of Education")
            main.append("k12.hi.us")
        elif style == "k12":
            names.append(
                f"{cap} {('Central School District', 'City Schools')[r]}" if code == "ny" else f"{cap} County Schools"
            )
            main.append(f"{stem}.k12.{code}.us")
        elif style == "schools":
            names.append(f"{cap} Public Schools")
            main.append((f"{stem}schools.org", f"{stem}ps.org")[r])
        elif style == "sd":
            names.append(f"{cap} School District")
            main.append(f"{stem}sd.org")
        elif style == "isd":
            names.append(f"{cap} Independent School District")
            main.append((f"{stem}isd.org", f"{stem}isd.net")[r])
        else:
            names.append(f"{cap} Unified School District")
            main.append((f"{stem}usd.org", f"{stem}.k12.{code}.us")[r])
        legacy.append(f"{stem}schools.net" if style != "statewide" and rng.random() < 0.2 else None)
    agency: list[str | None] = [None] * D
    counties = iter(rng.permutation(len(COUNTIES)).tolist() * 20)
    for s, (_, _, _, _, _, pattern, _, _) in enumerate(STATES):
        if not pattern:
            continue
        mine = np.flatnonzero(state == s)
        small = mine[len(mine) // 2 :][rng.random(len(mine) - len(mine) // 2) < 0.8]  # the smaller half
        small = rng.permutation(small)
        n = 0
        while n < len(small):
            k = int(rng.integers(2, 6))
            c = next(counties)
            label = COUNTIES[c] if "{}" in pattern and not pattern.startswith(("iu", "cesa")) else str(c + 1)
            for d in small[n : n + k].tolist():
                agency[d] = pattern.format(label)
            n += k
    return names, main, legacy, agency


def _organisations(rng, size: str) -> dict:
    D, C, U, P = WORLD[size][1:5]
    S = len(STATES)
    counts = (D, C, U, P, S)
    base = np.cumsum((0, *counts))
    n_org = int(base[-1])
    kind = np.repeat(np.arange(5), counts)
    size_w = np.empty(n_org)
    size_w[: base[1]] = np.arange(1, D + 1) ** -0.9
    size_w[base[1] : base[2]] = rng.pareto(1.5, C) + 1
    size_w[base[2] : base[3]] = rng.pareto(1.0, U) + 1
    size_w[base[3] : base[4]] = np.arange(1, P + 1) ** -1.0
    size_w[base[4] :] = STATE_P
    not_hawaii = STATE_P * (np.arange(S) != HAWAII)
    state = weighted_choice(rng, not_hawaii, n_org)
    state[base[4] :] = np.arange(S)
    if D >= 40:
        state[3] = HAWAII  # one statewide district, among the largest
    charter_states = [np.unique(np.r_[state[base[1] + c], weighted_choice(rng, not_hawaii, 2)]) for c in range(C)]
    stems = [HEADS[i // len(TAILS)] + TAILS[i % len(TAILS)] for i in rng.permutation(len(HEADS) * len(TAILS))]
    brands = rng.permutation(len(BRANDS)).tolist() * 3
    d_names, d_main, d_legacy, d_agency = _district_names(rng, D, state[:D], stems[:D])
    names, units = list(d_names), [[(n, m)] for n, m in zip(d_names, d_main, strict=True)]
    for c in range(C):
        stem = BRANDS[brands[c]] if c < len(BRANDS) else stems[D + U + c]
        names.append(f"{stem.capitalize()} {('Prep Academies', 'Charter Schools', 'Academy Network')[c % 3]}")
        units.append([(names[-1], f"{stem}prep.org")])
    for u in range(U):
        stem = stems[D + u]
        names.append((f"University of {stem.capitalize()}", f"{stem.capitalize()} State University")[u % 2])
        units.append([(names[-1], f"{stem}.edu")])
    for p in range(P):
        brand = BRANDS[p % len(BRANDS)] + ("" if p < len(BRANDS) else "ia")
        suffix = int(rng.integers(0, 3))
        names.append(f"{brand.capitalize()} {('Learning', 'Education', 'Press')[suffix]}")
        mine = [(names[-1], f"{brand}{('learning', 'ed', 'press')[suffix]}.com")]
        if rng.random() < 0.5:
            mine.append((f"{brand.capitalize()} Digital", f"{brand}digital.com"))
        if rng.random() < 0.4:
            other = BRANDS[(p + 7) % len(BRANDS)]
            mine.append((f"{other.capitalize()}ly, a {brand.capitalize()} company", f"{other}ly.com"))
        units.append(mine)
    for s, (code, name, *_rest) in enumerate(STATES):
        nea = (s * 7) % 10 < 6
        names.append(f"{name} {'Education Association' if nea else 'Federation of Teachers'}")
        units.append([(names[-1], f"{code}{'ea' if nea else 'ft'}.org")])
    return {
        "counts": counts,
        "base": base,
        "kind": kind,
        "size_w": size_w,
        "state": state,
        "charter_states": charter_states,
        "names": names,
        "units": units,
        "legacy": d_legacy,
        "agency": d_agency,
    }


def _people(rng, size: str, o: dict) -> dict:
    """Roles, employers, states, schools, memberships and favourite tracks of the voters."""
    V = SIZES[size].voters
    n_tracks, D, _, _, P, A, G, n_influencers, _ = WORLD[size]
    base, size_w, kind = o["base"], o["size_w"], o["kind"]
    role = weighted_choice(rng, ROLE_P, V)
    org = np.full(V, -1, dtype=np.int64)

    def draw(rows: np.ndarray, k: int, power: float = 1.0) -> None:
        org[rows] = base[k] + weighted_choice(rng, size_w[base[k] : base[k + 1]] ** power, len(rows))

    staff = np.flatnonzero(np.isin(role, (TEACHER, LEADER)))
    charter = rng.random(len(staff)) < 0.08
    draw(staff[~charter], DISTRICT)
    draw(staff[charter], CHARTER)
    draw(np.flatnonzero(role == DISTRICT_STAFF), DISTRICT)
    draw(np.flatnonzero(np.isin(role, (STUDENT_TEACHER, FACULTY))), UNIVERSITY)
    subs = np.flatnonzero(role == SUBSTITUTE)
    draw(subs[rng.random(len(subs)) < 0.6], DISTRICT)
    draw(np.flatnonzero(role == VENDOR), PUBLISHER)
    draw(np.flatnonzero(role == UNION_STAFF), UNION)

    state = weighted_choice(rng, STATE_P, V)
    has = org >= 0
    state[has] = o["state"][org[has]]
    for v in np.flatnonzero(has & (kind[np.maximum(org, 0)] == CHARTER)).tolist():
        state[v] = int(rng.choice(o["charter_states"][org[v] - base[1]]))
    retirees = np.flatnonzero((role == RETIRED) & (rng.random(V) < 0.3))
    state[retirees] = np.where(rng.random(len(retirees)) < 0.7, 6, 13)  # Florida, Arizona
    unit = np.zeros(V, dtype=np.int64)  # a vendor's unit of the publisher
    for v in np.flatnonzero(role == VENDOR).tolist():
        n_units = len(o["units"][org[v]])
        unit[v] = 0 if n_units == 1 or rng.random() < 0.6 else int(rng.integers(1, n_units))

    # schools: a district's or network's teachers and leaders, ~18 voters a school
    school = np.full(V, -1, dtype=np.int64)
    school_org, school_level, school_name = [], [], []
    level_p = np.tile([0.55, 0.20, 0.25], len(SCHOOL_NAMES))
    by_org = members_of(np.where(np.isin(role, (TEACHER, LEADER)), org, -1), len(o["names"]))
    for g in range(base[2]):
        mine = by_org[g]
        if not len(mine):
            continue
        n = int(np.clip(np.ceil(len(mine) / 18), 1, 60))
        combos = rng.choice(len(level_p), size=n, replace=False, p=level_p / level_p.sum())
        first = len(school_org)
        for c in combos.tolist():
            school_org.append(g)
            school_level.append(c % 3)
            school_name.append(f"{SCHOOL_NAMES[c // 3]} {LEVELS[c % 3]}")
        school[mine] = first + weighted_choice(rng, rng.lognormal(0, 0.5, n), len(mine))
    school_org = np.array(school_org, dtype=np.int64)
    placement = np.full(V, -1, dtype=np.int64)
    schools_of = members_of(school_org, base[2])
    for v in np.flatnonzero(role == STUDENT_TEACHER).tolist():
        near = [d for d in range(D) if o["state"][d] == state[v] and len(schools_of[d])]
        near = near or [d for d in range(D) if len(schools_of[d])]
        d = near[int(weighted_choice(rng, size_w[near], 1)[0])]
        placement[v] = int(rng.choice(schools_of[d]))

    union = np.full(V, -1, dtype=np.int64)
    joins = rng.random(V) < np.array(UNION_P)[role]
    in_district = joins & (org >= 0) & (org < D)
    union[in_district] = org[in_district]
    retired = np.flatnonzero(joins & (role == RETIRED))
    for v in retired.tolist():
        near = np.flatnonzero(o["state"][:D] == state[v])
        union[v] = int(rng.choice(near)) if len(near) else int(rng.integers(D))

    track_w = rng.dirichlet(np.full(n_tracks, 1.5))
    topical = rng.lognormal(0, 0.3, n_tracks)
    level = np.where(school >= 0, np.array([*school_level, 0])[school], -1)
    favourite = np.stack([weighted_choice(rng, track_w, V), weighted_choice(rng, track_w, V)], axis=1)
    elementary, secondary = track_w.copy(), track_w.copy()
    elementary[[t for t in (LITERACY, 11) if t < n_tracks]] *= 3
    secondary[[t for t in (5, 6, 9, 10, 13) if t < n_tracks]] *= 1.5
    secondary[LITERACY] *= 0.3
    teach = np.flatnonzero(role == TEACHER)
    favourite[teach, 0] = np.where(
        level[teach] == 0,
        weighted_choice(rng, elementary, len(teach)),
        weighted_choice(rng, secondary, len(teach)),
    )
    u = rng.random(V)
    favourite[(role == LEADER) & (u < 0.6), 0] = LEADERSHIP
    favourite[(role == DISTRICT_STAFF) & (u < 0.5), 0] = np.where(
        u[(role == DISTRICT_STAFF) & (u < 0.5)] < 0.25, EDTECH, LEADERSHIP
    )
    favourite[(role == STUDENT_TEACHER) & (u < 0.5), 0] = NEW_TEACHERS
    favourite[(role == VENDOR) & (u < 0.5), 0] = EDTECH

    association_track = weighted_choice(rng, track_w, A)
    association_track[:3] = (LITERACY, LEADERSHIP, EDTECH)
    association_w = rng.pareto(1.2, A) + 1
    association = np.full((V, 2), -1, dtype=np.int64)
    member = rng.random(V) < np.array(ASSOCIATION_P)[role]
    association[member, 0] = weighted_choice(rng, association_w, int(member.sum()))
    for v in np.flatnonzero(member & (rng.random(V) < 0.6)).tolist():
        mine = np.flatnonzero(association_track == favourite[v, 0])
        if len(mine):
            association[v, 0] = int(rng.choice(mine, p=association_w[mine] / association_w[mine].sum()))
    second = member & (rng.random(V) < 0.3)
    association[second, 1] = weighted_choice(rng, association_w, int(second.sum()))
    association[association[:, 1] == association[:, 0], 1] = -1

    fb_track = weighted_choice(rng, track_w, G)
    fb_track[:2] = (LITERACY, NEW_TEACHERS)
    fb_w = rng.pareto(1.0, G) + 1
    p_fb = np.select([role == TEACHER, role == STUDENT_TEACHER, role == SUBSTITUTE], [0.3, 0.35, 0.3], 0.1)
    in_fb = rng.random(V) < np.where(np.isin(role, (TEACHER, STUDENT_TEACHER, SUBSTITUTE, LEADER, RETIRED)), p_fb, 0)
    fb_group = np.where(in_fb, weighted_choice(rng, fb_w, V), -1)
    for v in np.flatnonzero(in_fb & (rng.random(V) < 0.7)).tolist():
        mine = np.flatnonzero(fb_track == favourite[v, 0])
        if len(mine):
            fb_group[v] = int(rng.choice(mine, p=fb_w[mine] / fb_w[mine].sum()))

    influencers = np.sort(rng.choice(np.flatnonzero(role == TEACHER), size=n_influencers, replace=False))
    audience = rng.pareto(1.0, n_influencers) + 1
    p_follow = np.where(np.isin(role, (TEACHER, STUDENT_TEACHER, SUBSTITUTE)), 0.15, 0.04)
    follows = np.where(rng.random(V) < p_follow, weighted_choice(rng, audience, V), -1)
    follows[influencers] = -1

    ambassador = np.full(V, -1, dtype=np.int64)
    candidates = rng.permutation(np.flatnonzero(np.isin(role, SCHOOL_STAFF)))
    share = size_w[base[3] : base[4]] / size_w[base[3] : base[4]].sum()
    taken = 0
    for p in range(P):
        k = max(5, round(0.03 * len(candidates) * share[p]))
        ambassador[candidates[taken : taken + k]] = base[3] + p
        taken += k
    return {
        "role": role,
        "org": org,
        "unit": unit,
        "state": state,
        "offset": STATE_OFFSET[state],
        "school": school,
        "school_org": school_org,
        "school_level": np.array(school_level, dtype=np.int64),
        "school_name": school_name,
        "placement": placement,
        "planning": rng.integers(8, 15, V),
        "union": union,
        "association": association,
        "association_track": association_track,
        "fb_group": fb_group,
        "fb_track": fb_track,
        "follows": follows,
        "influencers": influencers,
        "ambassador": ambassador,
        "track_w": track_w,
        "topical": topical,
        "favourite": favourite,
    }


def _work_domain(rng, o: dict, p: dict, v: int) -> str:
    g, role = int(p["org"][v]), int(p["role"][v])
    kind = int(o["kind"][g])
    if kind == DISTRICT:
        if o["agency"][g] and rng.random() < 0.8:
            return o["agency"][g]  # the county's service agency hosts the small district's mail
        if o["legacy"][g] and rng.random() < 0.3:
            return o["legacy"][g]
    main = o["units"][g][0][1]
    if kind == UNIVERSITY and role == STUDENT_TEACHER and rng.random() < 0.5:
        return f"my.{main}"
    if kind == PUBLISHER:
        return o["units"][g][int(p["unit"][v])][1]
    return main


def _abbreviation(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[0].isupper())


def _company(rng, o: dict, p: dict, v: int) -> str | None:
    """What a voter types in the company field."""
    g, role, r = int(p["org"][v]), int(p["role"][v]), rng.random()
    names = o["names"]
    school = p["school_name"][p["school"][v]] if p["school"][v] >= 0 else None
    if role == RETIRED:
        if r < 0.2 and p["union"][v] >= 0:
            return f"Retired, {names[p['union'][v]]}"
        return RETIRED_FIELD[int(rng.integers(len(RETIRED_FIELD)))]
    if role == OTHER:
        return OTHER_FIELD[int(rng.integers(len(OTHER_FIELD)))]
    if role == SUBSTITUTE:
        return "Substitute teacher" if g < 0 or r < 0.5 else (f"{names[g]} (sub)" if r < 0.8 else "Sub")
    if p["ambassador"][v] >= 0 and r < 0.2:
        return f"{names[p['ambassador'][v]].split()[0]} Certified Educator"  # not the employer
    if role == STUDENT_TEACHER:
        if r < 0.3 and p["placement"][v] >= 0:
            return p["school_name"][p["placement"][v]]
        return names[g] if r < 0.8 else "Student teacher"
    if role == VENDOR:
        unit = o["units"][g][int(p["unit"][v])][0].split(",")[0]
        return unit if r < 0.6 else (unit.lower() if r < 0.8 else f"{unit}, Inc.")
    if role in (TEACHER, LEADER) and school is not None:
        if r < 0.4:
            return f"Principal, {school}" if role == LEADER and r < 0.2 else school
        if r < 0.55:
            return f"{school}, {names[g]}"
        if r < 0.65 and role == TEACHER:
            return GENERIC_FIELD[int(rng.integers(len(GENERIC_FIELD)))]
        if r < 0.75:
            return _abbreviation(names[g])
    if r < 0.85:
        return names[g]
    return names[g].lower() if r < 0.93 else names[g].replace("School District", "SD")


def _facts(rng, o: dict, p: dict) -> dict:
    """Email domains, company fields, tickets and orders of the voters."""
    role, org = p["role"], p["org"]
    V = len(role)
    domain = free_mail(rng, STATE_OFFSET[p["state"]] // HOUR, COMMON_MAIL, ISP_MAIL)
    work = (org >= 0) & (rng.random(V) < np.array(WORK_MAIL)[role])
    for v in np.flatnonzero(work).tolist():
        domain[v] = _work_domain(rng, o, p, v)
    family = ~work & (rng.random(V) < 0.02)
    for v in np.flatnonzero(family).tolist():
        head, tail = HEADS[v % len(HEADS)], TAILS[(v // 11) % len(TAILS)]
        domain[v] = f"{head}family.net" if v % 2 else f"{head}{tail}{v % 97}.us"
    company: list[str | None] = [None] * V
    for v in np.flatnonzero(rng.random(V) < np.array(FIELD_P)[role]).tolist():
        company[v] = _company(rng, o, p, v)

    ticket = np.empty(V, dtype=np.int64)
    for r, probs in enumerate(TICKETS):
        rows = np.flatnonzero(role == r)
        ticket[rows] = weighted_choice(rng, probs, len(rows))
    order: list[str | None] = [None] * V

    def group_orders(rows: np.ndarray, key: np.ndarray, prefix: str, chunks) -> None:
        rows = rows[np.argsort(key[rows], kind="stable")]
        starts = np.searchsorted(key[rows], np.unique(key[rows]))
        for a, b in zip(starts.tolist(), [*starts[1:].tolist(), len(rows)], strict=True):
            chunk = int(rng.choice(chunks))
            for j, v in enumerate(rows[a:b].tolist()):
                order[v] = f"{prefix}-{int(key[v]):04d}-{j // chunk:02d}"

    full = ticket == 0
    school_org = np.isin(role, SCHOOL_STAFF) & (org >= 0) & (org < o["base"][2])
    pd = full & school_org & (rng.random(V) < 0.55)
    group_orders(np.flatnonzero(pd), org, "PD", (10, 20, 40))
    comp = ~pd & (
        ((p["ambassador"] >= 0) & full & (rng.random(V) < 0.5)) | ((role == VENDOR) & full & (rng.random(V) < 0.7))
    )
    group_orders(np.flatnonzero(comp), np.where(role == VENDOR, org, p["ambassador"]), "COMP", (15,))
    union = ~pd & ~comp & full & (p["union"] >= 0) & (rng.random(V) < 0.2)
    group_orders(np.flatnonzero(union), p["state"], "UNION", (25,))
    univ = (role == STUDENT_TEACHER) & (ticket < 2) & (rng.random(V) < 0.6)
    group_orders(np.flatnonzero(univ), org, "UNIV", (20,))
    for v in range(V):
        if order[v] is None and ticket[v] < 2:
            order[v] = f"{('IND', 'VIRT')[ticket[v]]}-{v:07d}"
    return {"domain": domain.tolist(), "company": company, "ticket": ticket, "order": order}


def _talks(rng, o: dict, p: dict, T: int) -> dict:
    base, size_w, role, org = o["base"], o["size_w"], p["role"], p["org"]
    fmt = weighted_choice(rng, FORMAT_P, T)
    track = weighted_choice(rng, p["track_w"], T)
    talk_org = np.full(T, -1, dtype=np.int64)
    schools = np.r_[size_w[: base[2]] ** 1.1]
    for f, lo, weights in (
        (CLASSROOM, 0, schools),
        (LEAD_TALK, 0, size_w[: base[1]] ** 0.8),
        (RESEARCH, base[2], size_w[base[2] : base[3]]),
        (VENDOR_TALK, base[3], size_w[base[3] : base[4]]),
        (AMBASSADOR, base[3], size_w[base[3] : base[4]]),
        (UNION_TALK, base[4], size_w[base[4] : base[5]]),
    ):
        rows = np.flatnonzero(fmt == f)
        talk_org[rows] = lo + weighted_choice(rng, weights, len(rows))
    early = np.flatnonzero(fmt == EARLY)
    by_uni = rng.random(len(early)) < 0.5
    talk_org[early[by_uni]] = base[2] + weighted_choice(rng, size_w[base[2] : base[3]], int(by_uni.sum()))
    talk_org[early[~by_uni]] = weighted_choice(rng, size_w[: base[1]], int((~by_uni).sum()))
    u = rng.random(T)
    track[(fmt == LEAD_TALK) & (u < 0.7)] = LEADERSHIP
    track[np.isin(fmt, (VENDOR_TALK, AMBASSADOR)) & (u < 0.45)] = EDTECH
    track[(fmt == EARLY) & (u < 0.8)] = NEW_TEACHERS
    quality = rng.normal(0, 1, T)
    popularity = np.exp(0.7 * quality + rng.normal(0, 0.6, T)) * p["topical"][track] * FORMAT_POP[fmt]

    n_orgs = len(o["names"])
    staff = members_of(org, n_orgs)
    lead = members_of(np.where(np.isin(role, (LEADER, DISTRICT_STAFF)), org, -1), n_orgs)
    ambassadors = members_of(p["ambassador"], n_orgs)
    preferred = {CLASSROOM: TEACHER, RESEARCH: FACULTY, VENDOR_TALK: VENDOR, UNION_TALK: UNION_STAFF}
    by_role = {f: members_of(np.where(role == r, org, -1), n_orgs) for f, r in preferred.items()}
    speaking = set(p["influencers"][rng.random(len(p["influencers"])) < 0.5].tolist())  # half of them have a talk
    consultants = rng.permutation(np.r_[sorted(speaking), np.flatnonzero(np.isin(role, (RETIRED, OTHER)))])
    n_speakers = 1 + weighted_choice(rng, [0.50, 0.35, 0.15], T)
    speaker = np.full((T, 3), -1, dtype=np.int64)
    speaker_org = np.full((T, 3), -1, dtype=np.int64)
    state = o["state"]
    next_consultant = 0

    def seat(t: int, slot: int, pool, chance: float, g: int) -> None:
        speaker_org[t, slot] = g
        if len(pool) and rng.random() < chance:
            v = int(rng.choice(pool))
            if v not in speaker[t]:
                speaker[t, slot] = v

    for t in range(T):
        g, f = int(talk_org[t]), int(fmt[t])
        if f == AMBASSADOR:
            if len(ambassadors[g]):
                v = int(rng.choice(ambassadors[g]))
                speaker[t, 0], speaker_org[t, 0] = v, org[v]
            seat(t, 1, staff[g], 0.5, g)
            continue
        if f == INDEPENDENT:
            if rng.random() < 0.6 and next_consultant < len(consultants):
                v = int(consultants[next_consultant])
                next_consultant += 1
                speaker[t, 0], speaker_org[t, 0] = v, org[v]
            continue
        for slot in range(int(n_speakers[t])):
            if slot == 0:
                pool = lead[g] if f == LEAD_TALK else by_role[f][g] if f in by_role else staff[g]
                seat(t, 0, pool if len(pool) else staff[g], 0.75, g)
            elif rng.random() < 0.6:
                seat(t, slot, staff[g], 0.6, g)
            elif rng.random() < 0.5:
                near = np.flatnonzero(state[: base[1]] == state[g])
                other = int(rng.choice(near)) if len(near) else int(rng.integers(base[1]))
                seat(t, slot, staff[other], 0.5, other)
    sponsor = np.where(np.isin(fmt, (VENDOR_TALK, AMBASSADOR)), talk_org, -1)
    return {
        "fmt": fmt,
        "track": track,
        "talk_org": talk_org,
        "quality": quality,
        "popularity": popularity,
        "speaker": speaker,
        "speaker_org": speaker_org,
        "sponsor": sponsor,
    }


def _speaker_facts(rng, t: dict, o: dict, p: dict, domain: list[str]):
    companies, mails = [], []
    for x in range(len(t["fmt"])):
        c, m = [], []
        for g, v in zip(t["speaker_org"][x].tolist(), t["speaker"][x].tolist(), strict=True):
            if g < 0 and v < 0:
                continue
            if v >= 0 and p["school"][v] >= 0 and rng.random() < 0.4:
                c.append(p["school_name"][p["school"][v]])  # the school, not the district
            elif g >= 0 and rng.random() < 0.7:
                c.append(o["names"][g])
            if v >= 0:
                m.append(domain[v])
            elif g >= 0 and rng.random() < 0.6:
                m.append(o["units"][g][0][1])
            else:
                m.append("gmail.com")
        companies.append(tuple(dict.fromkeys(c)))
        mails.append(tuple(dict.fromkeys(m)))
    return companies, mails


def _lengths(rng, V: int, T: int, target: float) -> np.ndarray:
    """Ballot lengths: 22% light (1-3), 1% completionists, the rest lognormal with the mean that meets `target`."""
    kind = weighted_choice(rng, [0.22, 0.01, 0.77], V)
    light = weighted_choice(rng, [0.45, 0.35, 0.20], V) + 1
    full = np.round(rng.uniform(0.2, 0.5, V) * min(T, 150)).astype(np.int64)
    left = target - light[kind == 0].sum() - full[kind == 1].sum()
    mean = max(left / max(1, int((kind == 2).sum())), 1.5)
    rest = np.round(rng.lognormal(np.log(mean) - 0.9**2 / 2, 0.9, V)).astype(np.int64)
    return np.clip(np.select([kind == 0, kind == 1], [light, full], rest), 1, T // 2)


def _ballots(rng, w: World, n: np.ndarray) -> np.ndarray:
    """(voter, talk) rows of the honest ballots, `n` distinct talks a voter, ordered by voter and talk."""
    V, T = w.V, w.T
    heavy = n > 0.15 * T
    tries = np.where(heavy, 0, 2 * n + 5)
    voter = np.repeat(np.arange(V), tries)
    source = rng.random(len(voter))
    talk = weighted_choice(rng, w.popularity, len(voter))
    n_tracks = int(max(w.track.max(), w.favourite.max())) + 1
    key = w.favourite[voter, (rng.random(len(voter)) >= 0.65).astype(np.int64)]
    liked = draw_in_segments(rng, weighted_segments(w.track, np.arange(T), w.popularity, n_tracks), key)
    talk = np.where((source >= 0.45) & (source < 0.85) & (liked >= 0), liked, talk)
    links = np.r_[
        np.stack([w.speaker_org.ravel(), np.repeat(np.arange(T), 3)], axis=1),
        np.stack([w.talk_org, np.arange(T)], axis=1),
    ]
    links = np.unique(links[links[:, 0] >= 0], axis=0)
    home = np.where((w.ambassador[voter] >= 0) & (rng.random(len(voter)) < 0.5), w.ambassador[voter], w.org[voter])
    own = draw_in_segments(rng, weighted_segments(links[:, 0], links[:, 1], w.popularity, len(w.org_names)), home)
    talk = np.where((source >= 0.85) & (own >= 0), own, talk)
    keys = voter * T + talk
    turn = rng.random(len(voter))
    by_turn = np.lexsort((turn, voter))
    _, first = np.unique(keys[by_turn], return_index=True)
    kept = np.sort(by_turn[first])  # the first draw of each (voter, talk), drawing order kept within a voter
    kept = kept[np.lexsort((turn[kept], voter[kept]))]
    rank = np.arange(len(kept)) - np.searchsorted(voter[kept], voter[kept])
    kept = kept[rank < n[voter[kept]]]
    parts = [np.stack([voter[kept], talk[kept]], axis=1)]
    for v in np.flatnonzero(heavy).tolist():
        best = np.argpartition(-(np.log(w.popularity) + rng.gumbel(size=T)), n[v])[: n[v]]
        parts.append(np.stack([np.full(n[v], v), best], axis=1))
    rows = np.concatenate(parts).astype(np.int64)
    return rows[np.lexsort((rows[:, 1], rows[:, 0]))]


def _loyal(w: World, voters: np.ndarray, talks: np.ndarray) -> np.ndarray:
    """A talk of the voter's own organisation, or of the publisher whose ambassador they are."""
    own = ((w.org[voters, None] == w.speaker_org[talks]).any(axis=1) | (w.org[voters] == w.talk_org[talks])) & (
        w.org[voters] >= 0
    )
    return own | ((w.ambassador[voters] >= 0) & (w.ambassador[voters] == w.sponsor[talks]))


def _scores(rng, w: World, voters, talks, shift=None) -> np.ndarray:
    voters, talks = np.asarray(voters), np.asarray(talks)
    liked = (w.favourite[voters] == w.track[talks, None]).any(axis=1)
    latent = 0.8 * w.quality[talks] + 0.5 * liked + 0.8 * _loyal(w, voters, talks) + w.bias[voters]
    latent = latent + rng.normal(0, 1, len(voters)) + (0 if shift is None else shift)
    return np.searchsorted(CUTS, latent).astype(np.int64) + 1


def _home_days(w: World, owner: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Whether a day is spent at home: weekends, and for school staff Presidents' Day, the mid-winter break of their
    state and its snow day."""
    weekend = day % 7 >= 5
    school = np.isin(w.role[owner], (*SCHOOL_STAFF, STUDENT_TEACHER, SUBSTITUTE)) & (w.org[owner] >= 0)
    off = (day == PRESIDENTS_DAY) | (BREAK_STATE[w.state[owner]] & np.isin(day, WINTER_BREAK))
    off |= SNOW_STATE[w.state[owner]] & (day == SNOW_DAY)
    return weekend | (school & off)


def _day_weights(group: int) -> np.ndarray:
    """Relative chance of a sitting on each local day (0: the opening Monday), for school staff (0), office workers
    (1) and others (2)."""
    w = np.ones(VOTE_DAYS + 1)
    w[0], w[1], w[9], w[16] = 2.5, 1.5, 1.8, 1.6
    w[VOTE_DAYS - 2 : VOTE_DAYS] = 2.2
    days = np.arange(VOTE_DAYS + 1)
    w[days % 7 == 5] *= (1.1, 0.4, 1.0)[group]
    w[days % 7 == 6] *= (1.5, 0.4, 1.0)[group]
    return w


def _times(rng, w: World, voters: np.ndarray) -> np.ndarray:
    """When each vote (of `voters`, grouped by voter) is cast: the sittings of the module docstring."""
    per_voter = np.bincount(voters, minlength=w.V)
    sittings = 1 + np.minimum(rng.poisson(per_voter / 8), 6)
    first = np.r_[0, np.cumsum(sittings)[:-1]]
    sid = first[voters] + np.floor(rng.random(len(voters)) ** 1.4 * sittings[voters]).astype(np.int64)
    owner = np.repeat(np.arange(w.V), sittings)
    role = w.role[owner]
    group = np.select([np.isin(role, (*SCHOOL_STAFF, SUBSTITUTE)), np.isin(role, (FACULTY, VENDOR, UNION_STAFF))],
                      [0, 1], 2)  # fmt: skip
    day = np.empty(len(owner), dtype=np.int64)
    for g in range(3):
        rows = np.flatnonzero(group == g)
        day[rows] = weighted_choice(rng, _day_weights(g), len(rows))
    snowed = SNOW_STATE[w.state[owner]] & (group == 0) & (rng.random(len(owner)) < 0.15)
    day[snowed] = SNOW_DAY
    home = _home_days(w, owner, day)
    profile = np.select(
        [
            home & np.isin(role, (RETIRED, OTHER)),
            home,
            role == TEACHER,
            np.isin(role, (LEADER, SUBSTITUTE)),
            np.isin(role, (DISTRICT_STAFF, FACULTY, VENDOR, UNION_STAFF)),
            role == STUDENT_TEACHER,
        ],
        [5, 3, 0, 1, 2, 4],
        5,
    )
    hour = np.empty(len(owner), dtype=np.float64)
    for k, name in enumerate(PROFILE_NAMES):
        rows = np.flatnonzero(profile == k)
        hour[rows] = weighted_choice(rng, PROFILES[name], len(rows))
    planned = (profile == 0) & (rng.random(len(owner)) < 0.12)
    hour[planned] = w.planning[owner[planned]]
    start = _local(day, hour + rng.random(len(owner)), w.offset[owner])
    start = np.where(start < OPENS, OPENS + rng.integers(0, 3 * HOUR, len(owner)), start)
    late = start - (CLOSES - 15 * MINUTE)
    start = np.where(late >= 0, start - DAY * (late // DAY + 1), start)  # whole days earlier
    by_sitting = np.argsort(sid, kind="stable")
    gap = 6 + rng.exponential(25, len(voters))
    elapsed = np.cumsum(gap[by_sitting])
    opened = np.searchsorted(sid[by_sitting], sid[by_sitting])
    within = elapsed - elapsed[opened] + gap[by_sitting][opened]
    longest = np.zeros(len(owner))
    np.maximum.at(longest, sid[by_sitting], within)
    start = np.clip(start, OPENS, CLOSES - 1 - np.ceil(longest).astype(np.int64))
    at = np.empty(len(voters), dtype=np.int64)
    at[by_sitting] = start[sid[by_sitting]] + within.astype(np.int64)
    return at


def _honest_groups(rng, w: World, size: str) -> list[np.ndarray]:
    """The honest correlated groups of the module docstring: their vote rows; fills w.honest_groups."""
    V, T = w.V, w.T
    per_kind = WORLD[size][-1]
    used = np.zeros(V, dtype=bool)
    rows: list[np.ndarray] = []
    pop = w.popularity
    speaking = np.zeros(V, dtype=bool)
    speaking[w.speaker[w.speaker >= 0]] = True

    def record(kind: str, members: np.ndarray, talks: np.ndarray, p, when, taste) -> None:
        """Each member rates each talk w.p. `p` (at least one), at `when(member index, talk index)`."""
        chance = np.broadcast_to(np.asarray(p, dtype=np.float64), (len(members),))
        take = rng.random((len(members), len(talks))) < chance[:, None]
        take[np.arange(len(members)), rng.integers(0, len(talks), len(members))] = True
        mi, ti = np.nonzero(take)
        score = _scores(rng, w, members[mi], talks[ti], shift=taste[ti])
        at = np.clip(np.asarray(when(mi, ti), dtype=np.float64), OPENS, CLOSES - 1).astype(np.int64)
        rows.append(np.stack([members[mi], talks[ti], score, at], axis=1))
        used[members] = True
        bloc = PlantedBloc(kind, "honest", tuple((np.unique(talks) + 1).tolist()), tuple((members + 1).tolist()), None)
        w.honest_groups.append(bloc)

    def done(kind: str) -> bool:
        return sum(g.kind == kind for g in w.honest_groups) >= per_kind

    def choose(pool: np.ndarray, lo: int, hi: int) -> np.ndarray:
        return np.sort(rng.choice(pool, size=min(len(pool), int(rng.integers(lo, hi + 1))), replace=False))

    def programme_talks(cand: np.ndarray, lo: int, hi: int) -> np.ndarray:
        k = min(len(cand), int(rng.integers(lo, hi + 1)))
        return np.sort(rng.choice(cand, size=k, replace=False, p=pop[cand] / pop[cand].sum()))

    def weekday(days) -> int:
        options = [d for d in days if d % 7 < 5 and d != PRESIDENTS_DAY]
        return int(rng.choice(options))

    schools = np.unique(w.school[w.school >= 0])
    for s in rng.permutation(schools).tolist():
        if done("staff_room_forward"):
            break
        pool = np.flatnonzero((w.school == s) & (w.role == TEACHER) & ~used & ~speaking)
        focus = int(rng.choice(np.unique(w.favourite[w.school == s, 0])))
        cand = np.flatnonzero(w.track == focus)
        if len(pool) < 10 or len(cand) < 3:
            continue
        members, talks = choose(pool, 10, 40), programme_talks(cand, 3, 6)
        sent = int(_local(weekday(range(1, VOTE_DAYS - 2)), 7.25, w.offset[members[0]]))
        moment = rng.choice([4.5, 0.0, 12.5], size=(len(members), len(talks)), p=[0.3, 0.3, 0.4])
        moment = np.where(moment == 0.0, rng.uniform(1, 7, moment.shape), moment) + rng.random(moment.shape) * 0.6
        moment += 24 * (rng.random((len(members), 1)) < 0.3)  # the next day
        record("staff_room_forward", members, talks, 0.55, lambda mi, ti, a=sent, m=moment: a + HOUR * m[mi, ti],
               rng.normal(0.3, 0.6, len(talks)))  # fmt: skip
    teams = np.where((w.school >= 0) & (w.role == TEACHER), w.school * 16 + w.favourite[:, 0], -1)
    for team in rng.permutation(np.unique(teams[teams >= 0])).tolist():
        if done("plc_meeting"):
            break
        pool = np.flatnonzero((teams == team) & ~used)
        cand = np.flatnonzero(w.track == team % 16)
        if len(pool) < 4 or len(cand) < 3:
            continue
        members, talks = choose(pool, 4, 8), programme_talks(cand, 3, 6)
        tuesdays = [d for d in range(1, VOTE_DAYS) if d % 7 == 1]
        met = int(_local(weekday(tuesdays), 15.5, w.offset[members[0]]))
        lag = rng.random(len(members)) * 40 * MINUTE
        record("plc_meeting", members, talks, 0.85, lambda mi, ti, a=met, g=lag: a + g[mi] + 50 * ti,
               rng.normal(0.3, 0.6, len(talks)))  # fmt: skip
    districts = np.arange(w.n_org[0])
    for d in rng.permutation(districts).tolist():
        if done("pd_day"):
            break
        pool = np.flatnonzero((w.org == d) & (w.role == TEACHER) & ~used)
        cand = np.flatnonzero(np.isin(w.track, (int(rng.integers(0, int(w.track.max()) + 1)), SEL)))
        if len(pool) < 15 or len(cand) < 5:
            continue
        members, talks = choose(pool, 15, 40), programme_talks(cand, 5, 8)
        session = int(_local(int(rng.choice([4, 11, 18])), 13, w.offset[members[0]]))
        lag = rng.random(len(members)) * HOUR
        record("pd_day", members, talks, 0.7, lambda mi, ti, a=session, g=lag: a + g[mi] + 45 * ti,
               rng.normal(0.2, 0.7, len(talks)))  # fmt: skip
    base = np.cumsum((0, *w.n_org))
    for uni in rng.permutation(np.arange(base[2], base[3])).tolist():
        if done("methods_course"):
            break
        pool = np.flatnonzero((w.org == uni) & (w.role == STUDENT_TEACHER) & ~used)
        cand = np.flatnonzero(w.track == NEW_TEACHERS)
        cand = cand if len(cand) >= 4 else np.flatnonzero(np.isin(w.track, (NEW_TEACHERS, LITERACY, SEL)))
        if len(pool) < 12 or len(cand) < 4:
            continue
        members, talks = choose(pool, 12, 30), programme_talks(cand, 4, 8)
        evenings = [d for d in range(1, VOTE_DAYS) if d % 7 in (1, 3)]
        met = int(_local(weekday(evenings), 18.5, w.offset[members[0]]))
        lag = rng.random(len(members)) * 50 * MINUTE
        record("methods_course", members, talks, 0.7, lambda mi, ti, a=met, g=lag: a + g[mi] + 40 * ti,
               rng.normal(0.4, 0.6, len(talks)))  # fmt: skip
    for g in rng.permutation(len(w.fb_track)).tolist():
        if done("facebook_group"):
            break
        pool = np.flatnonzero((w.fb_group == g) & ~used)
        cand = np.flatnonzero(w.track == w.fb_track[g])
        if len(pool) < 15 or len(cand) < 3:
            continue
        members, talks = choose(pool, 15, 40), programme_talks(cand, 3, 5)
        posted = int(_local(int(rng.integers(2, 17)), 20, EASTERN))
        lag = np.minimum(rng.exponential(20 * HOUR, (len(members), len(talks))), 4 * DAY)
        record("facebook_group", members, talks, 0.5, lambda mi, ti, a=posted, x=lag: a + x[mi, ti],
               rng.normal(0.4, 0.7, len(talks)))  # fmt: skip
    for i in rng.permutation(len(w.influencers)).tolist():
        if done("influencer_video"):
            break
        pool = np.flatnonzero((w.follows == i) & ~used)
        if speaking[w.influencers[i]] or len(pool) < 12:
            continue
        k = min(len(pool), max(12, round(0.025 * V)))
        members, talks = choose(pool, k, k), programme_talks(np.arange(T), 3, 3)
        posted = int(_local(int(rng.integers(2, 18)), 17, -8 * HOUR))
        chance = rng.integers(1, 4, len(members)) / 3
        lag = np.minimum(rng.exponential(5 * HOUR, (len(members), len(talks))), 36 * HOUR)
        record("influencer_video", members, talks, chance, lambda mi, ti, a=posted, x=lag: a + x[mi, ti],
               rng.normal(0.3, 0.6, len(talks)))  # fmt: skip
    ranks = np.argsort(np.argsort(pop)) / T
    picks = rng.choice(np.flatnonzero((ranks >= 0.4) & (ranks < 0.9)), size=9, replace=False)
    for j, x in enumerate(picks.tolist()):
        sent = int(DAY0 + (4, 11, 18)[j // 3] * DAY + 15 * HOUR)  # 10:00 Eastern
        members = np.sort(rng.choice(np.flatnonzero(~used), size=max(5, round(0.01 * V)), replace=False))
        lag = np.minimum(rng.exponential(10 * HOUR, len(members)), 72 * HOUR)
        record("spotlight", members, np.array([x]), 1.0, lambda mi, ti, a=sent, x=lag: a + x[mi], np.zeros(1))
        w.promoted.setdefault(x, []).append(sent)
    return rows


def _honest(rng, size: str) -> World:
    spec = SIZES[size]
    V, T = spec.voters, spec.talks
    o = _organisations(rng, size)
    p = _people(rng, size, o)
    t = _talks(rng, o, p, T)
    f = _facts(rng, o, p)
    companies, mails = _speaker_facts(rng, t, o, p, f["domain"])
    mood = weighted_choice(rng, [0.88, 0.07, 0.05], V)  # ordinary, cheerleaders, harsh
    bias = rng.normal(0.1, 0.4, V) + np.array([0.0, 1.2, -0.9])[mood]
    people = ("role", "org", "school", "school_level", "placement", "state", "offset", "planning", "union",
              "association", "association_track", "fb_group", "fb_track", "follows", "influencers", "ambassador",
              "favourite")  # fmt: skip
    w = World(
        V=V,
        T=T,
        n_org=o["counts"],
        org_kind=o["kind"],
        org_names=o["names"],
        org_domains=[u[0][1] for u in o["units"]],
        org_state=o["state"],
        school_district=p["school_org"],
        speaker_company_field=companies,
        speaker_domains=mails,
        bias=bias,
        weight=np.array([1.0, 0.5, 0.0])[f["ticket"]],
        ticket=f["ticket"],
        order=f["order"],
        domain=f["domain"],
        company_field=f["company"],
        **t,
        **{k: p[k] for k in people},
    )
    pairs = _ballots(rng, w, _lengths(rng, V, T, 0.99 * spec.votes))
    drawn = np.stack(
        [pairs[:, 0], pairs[:, 1], _scores(rng, w, pairs[:, 0], pairs[:, 1]), _times(rng, w, pairs[:, 0])], 1
    )
    story = np.where(
        f["ticket"] < 2, weighted_choice(rng, [0.35, 0.45, 0.20], V), weighted_choice(rng, [0.15, 0.25, 0.60], V)
    )
    w.votes, _ = planted_over_honest(drawn, _honest_groups(rng, w, size), T)
    first = np.full(V, CLOSES, dtype=np.int64)
    np.minimum.at(first, w.votes[:, 0], w.votes[:, 3])
    returning = OPENS - 365 * DAY - (rng.random(V) * 5 * 365 * DAY).astype(np.int64)
    registered = OPENS - (rng.random(V) * 75 * DAY).astype(np.int64)
    soon = rng.random(V) < 0.75
    during = first - np.where(soon, rng.integers(MINUTE, 30 * MINUTE, V), rng.integers(HOUR, 3 * DAY, V))
    made = np.select([story == 0, story == 1], [returning, registered], during)
    w.joined = np.minimum(made, first - 2 * MINUTE)
    return w


class _Campaigns(WorldCampaigns):
    """The planted campaigns of the module docstring, from their own random stream."""

    opens, closes, vote_days, top, common_mail = OPENS, CLOSES, VOTE_DAYS, TOP, COMMON_MAIL

    def __init__(self, rng, w: World):
        super().__init__(rng, w)
        self.base = np.cumsum((0, *w.n_org))

    def outsiders(self, talks) -> np.ndarray:
        """Voters who speak at none of `talks` and work at none of their speakers' organisations."""
        w = self.w
        talks = np.atleast_1d(talks)
        orgs = np.r_[w.speaker_org[talks].ravel(), w.talk_org[talks]]
        mask = ~np.isin(w.org, orgs[orgs >= 0]) | (w.org < 0)
        mask[w.speaker[talks][w.speaker[talks] >= 0]] = False
        return mask

    def not_speaking(self, talks) -> np.ndarray:
        mask = np.ones(self.w.V, dtype=bool)
        chosen = self.w.speaker[np.atleast_1d(talks)]
        mask[chosen[chosen >= 0]] = False
        return mask

    def plausible(self, talks: np.ndarray) -> np.ndarray:
        latent = 0.8 * self.w.quality[talks] + 0.3 + self.rng.normal(0, 1, len(talks))
        return np.searchsorted(CUTS, latent).astype(np.int64) + 1

    def local_day(self, t0: int, offset) -> np.ndarray:
        return (t0 + np.asarray(offset) - DAY0) // DAY

    def weekday_hours(self, offset, t0: int, days: int, lo: float, hi: float) -> np.ndarray:
        """A local time between `lo` and `hi` o'clock on a weekday among the `days` days from `t0`'s, not before
        `t0`, per entry of `offset`."""
        offset = np.asarray(offset)
        day = self.local_day(t0, offset) + self.rng.integers(0, days, len(offset))
        day = day + np.select([day % 7 == 5, day % 7 == 6], [2, 1], 0)
        return np.maximum(_local(day, lo + (hi - lo) * self.rng.random(len(offset)), offset), t0)

    def ranked(self, talks) -> list[int]:
        """Free talks among `talks`: contenders first, then middling ones, then the rest."""
        talks = np.asarray(talks, dtype=np.int64)
        out = self.free_targets(np.intersect1d(talks, self.contenders))
        out += [t for t in self.free_targets(np.intersect1d(talks, self.middling)) if t not in out]
        return out + [t for t in self.free_targets(talks) if t not in out]

    def slate(self, kind: str, members, talks: list[int], boosted: int, at: np.ndarray, p_top: float):
        """Every member rates every talk of a slate (`at`: member-major): `boosted` the top, the others the top w.p.
        `p_top`, else one below."""
        members = np.asarray(members)
        who, what = np.repeat(members, len(talks)), np.tile(np.asarray(talks), len(members))
        score = np.where((what == boosted) | (self.rng.random(len(what)) < p_top), TOP, TOP - 1)
        self.taken.update(talks)
        return self.done(kind, "support", members, self.rows(who, what, score, at), boosted)

    def oppose(self, kind: str, members, t: int, scores, at):
        members = np.asarray(members)
        return self.done(kind, "oppose", members, self.rows(members, [t] * len(members), scores, at), None)

    # the kinds
    def coworkers(self):
        w = self.w
        for t in self.free_targets(self.contenders):
            orgs = np.unique(np.r_[w.speaker_org[t], w.talk_org[t]])
            for g in orgs[orgs >= 0].tolist():
                t0 = self.start(4 * DAY)
                pool = self.eligible((w.org == g) & self.not_speaking(t), t0)
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
            if code and code.split("-")[0] in ("PD", "UNION", "UNIV", "COMP"):
                codes.setdefault(code, []).append(v)
        for code in rng.permutation(sorted(c for c, vs in codes.items() if len(vs) >= 3)).tolist():
            pool = np.array(codes[code])
            for t in self.free_targets(self.contenders):
                mine = pool[self.outsiders(t)[pool]]
                if len(mine) >= 3:
                    m = self.pick(mine, max(3, self.size()))
                    return self.support("order", m, t, t0 + rng.random(len(m)) * 2 * DAY)
        return None

    def friends_burst(self):
        w, rng = self.w, self.rng
        t = (self.free_targets(self.contenders) or [None])[0]
        if t is None:
            return None
        t0 = self.start(2 * HOUR)
        k, m, orders, schools = self.size(), [], set(), set()
        for v in rng.permutation(self.eligible(self.not_speaking(t), t0)).tolist():
            if (w.order[v] and w.order[v] in orders) or (w.school[v] >= 0 and w.school[v] in schools):
                continue
            orders.add(w.order[v])
            schools.add(int(w.school[v]))
            m.append(v)
            if len(m) == k:
                break
        m = np.sort(np.array(m, dtype=np.int64))
        return self.support("friends_burst", m, t, t0 + rng.random(len(m)) * 90 * MINUTE)

    def friends_spread(self):
        w, rng = self.w, self.rng
        t = (self.free_targets(self.contenders) or [None])[0]
        if t is None:
            return None
        t0 = self.start(7 * DAY)
        k = self.size()
        old = self.pick(self.eligible(self.not_speaking(t), t0), min(int(rng.binomial(k, 0.5)), k - 1))
        at = t0 + rng.random(k) * 7 * DAY
        new = np.array([self.account(a, 2 * MINUTE, 30 * MINUTE) for a in at[len(old) :]], dtype=np.int64)
        more = np.setdiff1d(np.flatnonzero(w.track == w.track[t]), [t])
        extra = []
        for v, a in zip(new.tolist(), at[len(old) :].tolist(), strict=True):
            if len(more) and rng.random() < 0.4:
                x = rng.choice(more, size=min(len(more), int(rng.integers(1, 3))), replace=False)
                extra.append(self.rows([v] * len(x), x, self.plausible(x), a + 45 + 35 * np.arange(len(x))))
        return self.support("friends_spread", np.r_[old, new], t, at, extra)

    def sockpuppets(self):
        w, rng = self.w, self.rng
        t = (self.free_targets(self.contenders) or [None])[0]
        if t is None:
            return None
        k = self.size(3, 12)
        evening = np.cumsum(rng.integers(1, 3, k) == 1)  # one or two accounts an evening
        evening = evening - evening[0]
        offset = int(STATE_OFFSET[int(weighted_choice(rng, STATE_P, 1)[0])])
        first_day = int(rng.integers(1, max(2, VOTE_DAYS - 1 - int(evening[-1]))))
        sitting = _local(first_day + evening, 19.5 + 4 * rng.random(k), offset)
        covers = rng.choice(np.setdiff1d(np.arange(w.T), [t]), size=int(rng.integers(4, 9)), replace=False)
        sheet = self.plausible(covers)
        made = int(sitting.min()) - int(rng.integers(DAY, 3 * DAY))
        members, parts = [], []
        for j in range(k):
            v = self.account(made + int(rng.integers(0, 30 * MINUTE)), 0, 0, pick_mail(rng, COMMON_MAIL, 1)[0])
            mine = sheet.copy()
            moved = rng.choice(len(covers), size=int(rng.integers(0, 3)), replace=False)
            mine[moved] = np.clip(mine[moved] + rng.choice([-1, 1], len(moved)), BOTTOM, TOP)
            talks = np.r_[t, covers]
            at = sitting[j] + np.cumsum(rng.uniform(15, 50, len(talks)))[rng.permutation(len(talks))]
            parts.append(self.rows([v] * len(talks), talks, np.r_[TOP, mine], at))
            members.append(v)
        return self.done("sockpuppets", "support", members, np.concatenate(parts), t)

    # new kinds
    def ambassador_network(self):
        w, rng = self.w, self.rng
        for pub in rng.permutation(np.arange(self.base[3], self.base[4])).tolist():
            talks = self.ranked(np.flatnonzero(w.sponsor == pub))
            if not talks:
                continue
            boosted = talks[0]
            slate = sorted([boosted, *talks[1 : int(rng.integers(1, 4))]])
            posted = int(_local(self.local_day(self.start(3 * DAY), EASTERN), 19, EASTERN))
            posted = max(posted, OPENS + HOUR)
            pool = self.eligible((w.ambassador == pub) & self.outsiders(slate), posted)
            if len(pool) < 4:
                continue
            m = self.pick(pool, self.size(5, 40))
            lag = np.minimum(rng.exponential(12 * HOUR, len(m)), 72 * HOUR)
            at = np.repeat(posted + lag, len(slate)) + np.tile(40 * np.arange(len(slate)), len(m))
            return self.slate("ambassador_network", m, slate, boosted, at, 0.75)
        return None

    def union_slate(self):
        w, rng = self.w, self.rng
        speaker_union = np.where(w.speaker >= 0, w.union[np.maximum(w.speaker, 0)], -1)
        speaker_state = np.where(w.speaker >= 0, w.state[np.maximum(w.speaker, 0)], -1)
        for s in rng.permutation(len(STATES)).tolist():
            union = self.base[4] + s
            by_members = ((speaker_union >= 0) & (speaker_state == s)).any(axis=1)
            talks = self.ranked(np.flatnonzero((w.talk_org == union) | by_members))
            boosts = [x for x in talks if x in set(self.middling.tolist())]
            if not boosts or len(talks) < 2:
                continue
            boosted = boosts[0]
            rest = [x for x in talks if x != boosted]
            slate = sorted([boosted, *rng.choice(rest, size=min(len(rest), int(rng.integers(1, 4))), replace=False)])
            offset = int(STATE_OFFSET[s])
            sent = max(int(_local(self.local_day(self.start(2 * DAY), offset), 16, offset)), OPENS + HOUR)
            pool = self.eligible((w.union >= 0) & (w.state == s) & self.outsiders(slate), sent)
            if len(pool) < 10:
                continue
            m = self.pick(pool, self.size(10, 40))
            lag = np.minimum(rng.exponential(8 * HOUR, len(m)), 48 * HOUR)
            at = np.repeat(sent + lag, len(slate)) + np.tile(35 * np.arange(len(slate)), len(m))
            return self.slate("union_slate", m, [int(x) for x in slate], boosted, at, 0.7)
        return None

    def coordinator_proxy(self):
        w, rng = self.w, self.rng
        for g in rng.permutation(self.base[2]).tolist():
            talks = self.ranked(np.flatnonzero((w.speaker_org == g).any(axis=1) | (w.talk_org == g)))
            talks = [x for x in talks if x in set(self.middling.tolist())]
            if not talks:
                continue
            t = talks[0]
            offset = int(np.median(w.offset[w.org == g]))
            sitting = int(self.weekday_hours([offset], self.start(DAY), 5, 6.5, 7.5)[0])
            prefix = f"PD-{g:04d}-"
            pool = self.eligible((w.org == g) & self.not_speaking(t), sitting)
            by_order: dict[str, list[int]] = {}
            for v in pool.tolist():
                if w.order[v] and w.order[v].startswith(prefix):
                    by_order.setdefault(w.order[v], []).append(v)
            best = max(sorted(by_order), key=lambda c: len(by_order[c]), default=None)
            if best is None or len(by_order[best]) < 5:
                continue
            m = self.pick(np.array(by_order[best]), self.size(5, 30))
            at = sitting + np.cumsum(rng.uniform(40, 120, len(m)))
            return self.support("coordinator_proxy", m, t, at)
        return None

    def extra_credit(self):
        w, rng = self.w, self.rng
        for uni in rng.permutation(np.arange(self.base[2], self.base[3])).tolist():
            faculty = (w.role == FACULTY) & (w.org == uni)
            by_faculty = np.where(w.speaker >= 0, faculty[np.maximum(w.speaker, 0)], False).any(axis=1)
            talks = self.ranked(np.flatnonzero(by_faculty))
            if not talks:
                continue
            t = talks[0]
            t0 = self.start(6 * DAY)
            pool = self.eligible((w.org == uni) & (w.role == STUDENT_TEACHER) & self.not_speaking(t), t0)
            if len(pool) < 3:
                continue
            m = self.pick(pool, self.size(3, 30))
            day = self.local_day(t0, w.offset[m]) + rng.integers(0, 6, len(m))
            at = np.maximum(_local(day, 19 + 5 * rng.random(len(m)), w.offset[m]), t0)
            more = np.setdiff1d(np.flatnonzero(w.track == NEW_TEACHERS), [t])
            more = more if len(more) else np.setdiff1d(np.arange(w.T), [t])
            extra = []
            for v, a in zip(m.tolist(), at.tolist(), strict=True):
                x = rng.choice(more, size=min(len(more), int(rng.integers(1, 3))), replace=False)
                extra.append(self.rows([v] * len(x), x, self.plausible(x), a + 30 + 60 * np.arange(len(x))))
            return self.support("extra_credit", m, t, at, extra)
        return None

    def rival_publisher(self):
        w, rng = self.w, self.rng
        for pub in rng.permutation(np.arange(self.base[3], self.base[4])).tolist():
            theirs = [x for x in self.free_targets(self.strong) if w.sponsor[x] >= 0 and w.sponsor[x] != pub]
            theirs += [x for x in self.free_targets(self.strong) if w.track[x] == EDTECH and x not in theirs]
            for t in theirs + self.free_targets(self.strong)[:3]:
                t0 = self.start(3 * DAY)
                pool = self.eligible((w.org == pub) & self.outsiders(t), t0)
                if len(pool) < 4:
                    break
                m = self.pick(pool, self.size(4, 20))
                return self.oppose("rival_publisher", m, t, np.full(len(m), BOTTOM),
                                   self.weekday_hours(w.offset[m], t0, 3, 9, 17))  # fmt: skip
        return None

    def reading_war(self):
        w, rng = self.w, self.rng
        groups = [(w.fb_group == g) for g in np.flatnonzero(w.fb_track == LITERACY).tolist()]
        groups += [(w.association == a).any(axis=1) for a in np.flatnonzero(w.association_track == LITERACY).tolist()]
        targets = [x for x in self.free_targets(self.strong) if w.track[x] == LITERACY] or self.free_targets(
            self.strong
        )
        for inside in groups:
            for t in targets[:3]:
                posted = max(int(_local(self.local_day(self.start(2 * DAY), EASTERN), 20, EASTERN)), OPENS + HOUR)
                pool = self.eligible(inside & self.outsiders(t), posted)
                if len(pool) < 10:
                    continue
                m = self.pick(pool, self.size(10, 35))
                scores = np.where(rng.random(len(m)) < 0.75, BOTTOM, BOTTOM + 1)
                scores[0] = BOTTOM
                lag = np.minimum(rng.exponential(10 * HOUR, len(m)), 48 * HOUR)
                return self.oppose("reading_war", m, t, scores, posted + lag)
        return None

    def parent_outrage(self):
        w, rng = self.w, self.rng
        hot = [x for x in self.free_targets(self.strong) if w.track[x] == SEL]
        hot += [x for x in self.free_targets(self.strong) if w.track[x] in (9, 15) and x not in hot]
        t = (hot or self.free_targets(self.strong) or [None])[0]
        if t is None:
            return None
        posted = self.start(2 * DAY)
        k = self.size(10, 40)
        old = self.pick(self.eligible((w.role == OTHER) & self.outsiders(t), posted), int(rng.integers(0, 4)))
        lag = np.minimum(rng.exponential(6 * HOUR, k), 36 * HOUR)
        new = []
        for a in (posted + lag[len(old) :]).tolist():
            company = PARENT_FIELD[int(rng.integers(len(PARENT_FIELD)))]
            new.append(self.account(int(a), MINUTE, 20 * MINUTE, None, company))
        m = np.r_[old, np.array(new, dtype=np.int64)]
        return self.oppose("parent_outrage", m, t, np.full(len(m), BOTTOM), posted + lag)


def fresh11_conference(size: str = "small", seed: int = 1, plant: Callable | None = None) -> SyntheticConference:
    """The K-12 educators' conference of the module docstring with its campaigns. `plant` (for honest-only runs,
    e.g. bench/blocs_calibration.plant_nothing) replaces the campaigns and may only plant nothing."""
    return fresh_world_conference(
        size,
        seed,
        plant,
        name="fresh11",
        salt=11000,
        honest=_honest,
        campaigns=_Campaigns,
        kinds=BLOC_KINDS,
        kind_p=KIND_P,
        closes=CLOSES,
        scale=SCALE,
    )
