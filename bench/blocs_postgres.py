"""End-to-end bloc detection time from PostgreSQL: read a conference, build the input, detect, discount.

    .venv/bin/python bench/blocs_postgres.py [--dsn postgresql://postgres@127.0.0.1:5432/confvote_bench]
                                             [--slug demo] [--record]

Read-only plain SQL (nothing is written to the database). The votes arrive as one packed value that
PostgreSQL builds, as the tally's selector does, so a million rows cost no Python loop. Voter
classes come from the eligibility rule (apps/attendance/domain/eligibility.py) applied to each
voter's ticket and pledge, so this is the weight the tally would use. The rest is what the selector
(apps/ballots/selectors/blocs.py) passes: each vote's first-cast time, a valid ticket's order and
company, the email domain (a free-mail account's own ticket's work address instead), the account's
creation time (User.date_joined, round 18) and the talks' recorded promotions (round 20).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.attendance.domain.eligibility import EligibilityFacts, voter_status_decide
from apps.ballots.domain.blocs import bloc_discounts, blocs_detect
from apps.ballots.domain.blocs_input import BlocRule, TalkFacts, VoterFacts, VoteScale, bloc_input_build
from apps.ballots.domain.weights import ClassWeights
from bench.record import record
from confvote.free_mail import FREE_MAIL_DOMAINS

PACKED = np.dtype([("voter", ">i8"), ("talk", ">i8"), ("score", ">i2"), ("at", ">i8")])
VOTES_SQL = (
    "SELECT string_agg(int8send(v.user_id) || int8send(v.talk_id) || int2send(v.score) "
    "|| int8send(extract(epoch FROM v.created_at)::int8), ''::bytea) "
    "FROM ballots_vote v JOIN talks_talk t ON t.id = v.talk_id WHERE t.conference_id = %s"
)
VOTERS_SQL = """
WITH shared AS (  -- an address on several tickets of one order: the booker's, not each attendee's
    SELECT order_code, lower(holder_email) AS email FROM attendance_ticket
    WHERE conference_id = %(c)s AND holder_email <> '' GROUP BY 1, 2 HAVING count(*) > 1
)
SELECT u.id, lower(split_part(u.email, '@', 2)), tk.order_code, tk.status, tt.may_vote,
       extract(epoch FROM u.date_joined)::int8, tk.holder_company, lower(split_part(tk.holder_email, '@', 2)),
       sh.order_code IS NOT NULL,
       EXISTS (SELECT 1 FROM attendance_pledge p
               WHERE p.user_id = u.id AND p.conference_id = %(c)s AND p.status = 'active')
FROM attendance_user u
LEFT JOIN attendance_ticketclaim c ON c.user_id = u.id AND c.conference_id = %(c)s
LEFT JOIN attendance_ticket tk ON tk.id = c.ticket_id
LEFT JOIN attendance_tickettype tt ON tt.id = tk.ticket_type_id
LEFT JOIN shared sh ON sh.order_code = tk.order_code AND sh.email = lower(tk.holder_email)
WHERE u.id IN (SELECT DISTINCT v.user_id FROM ballots_vote v JOIN talks_talk t ON t.id = v.talk_id
               WHERE t.conference_id = %(c)s)
"""
PROMOTIONS_SQL = """
SELECT pt.talk_id, extract(epoch FROM p.sent_at)::int8 FROM ballots_promotion p
JOIN ballots_promotion_talks pt ON pt.promotion_id = p.id WHERE p.conference_id = %s ORDER BY 1, 2
"""
TALKS_SQL = """
SELECT t.id, s.email_domain, s.company, s.user_id FROM talks_talk t
LEFT JOIN talks_talk_speakers ts ON ts.talk_id = t.id LEFT JOIN talks_speaker s ON s.id = ts.speaker_id
WHERE t.conference_id = %s ORDER BY t.id
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dsn", default="postgresql://postgres@127.0.0.1:5432/confvote_bench")
    parser.add_argument("--slug", default="demo")
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    weights = ClassWeights()
    started = time.perf_counter()
    with psycopg.connect(args.dsn) as conn, conn.cursor(binary=True) as cur:
        cur.execute(
            "SELECT id, scale_min, scale_max, wanted_min_score, scale_labels FROM talks_conference WHERE slug = %s",
            (args.slug,),
        )
        conference_id, scale_min, scale_max, wanted, labels = cur.fetchone()
        cur.execute(VOTES_SQL, (conference_id,))
        votes = np.frombuffer(cur.fetchone()[0] or b"", dtype=PACKED)
        read_votes = time.perf_counter()
        cur.execute(VOTERS_SQL, {"c": conference_id})
        voters = []
        for row in cur.fetchall():
            user_id, domain, order_code, status, may_vote, joined, company, ticket_domain, shared, pledged = row
            facts = EligibilityFacts(
                has_valid_voting_ticket=status == "valid" and bool(may_vote),
                has_non_voting_ticket=status == "valid" and not may_vote,
                has_cancelled_ticket=status == "cancelled",
                has_active_pledge=bool(pledged),
            )
            weight = weights.of(voter_status_decide(facts).voter_class)
            valid = status == "valid"
            # As the selector: a free-mail account is known by its own ticket's work address.
            if domain in FREE_MAIL_DOMAINS and valid and ticket_domain and ticket_domain not in FREE_MAIL_DOMAINS:
                domain = domain if shared else ticket_domain
            voters.append(
                VoterFacts(
                    voter_id=user_id,
                    weight=weight,
                    order_code=order_code if valid else None,
                    email_domain=domain,
                    company=(company or None) if valid else None,
                    joined_at=joined,
                )
            )
        cur.execute(TALKS_SQL, (conference_id,))
        domains: dict[int, list[str]] = {}
        companies: dict[int, list[str]] = {}
        accounts: dict[int, list[int]] = {}
        for talk_id, domain, company, user_id in cur.fetchall():
            domains.setdefault(talk_id, [])
            companies.setdefault(talk_id, [])
            accounts.setdefault(talk_id, [])
            if domain:
                domains[talk_id].append(domain)
            if company:
                companies[talk_id].append(company)
            if user_id is not None:
                accounts[talk_id].append(user_id)
        cur.execute(PROMOTIONS_SQL, (conference_id,))
        promoted: dict[int, list[int]] = {}
        for talk_id, sent_at in cur.fetchall():
            promoted.setdefault(talk_id, []).append(sent_at)
    talks = [
        TalkFacts(t, tuple(domains[t]), tuple(companies[t]), tuple(accounts[t]), tuple(promoted.get(t, ())))
        for t in sorted(domains)
    ]
    read_all = time.perf_counter()
    data = bloc_input_build(
        voter_ids=votes["voter"].astype(np.int64),
        talk_ids=votes["talk"].astype(np.int64),
        scores=votes["score"].astype(np.int16),
        at_seconds=votes["at"].astype(np.int64),
        voters=voters,
        talks=talks,
        scale=VoteScale(scale_min, scale_max, wanted, tuple(labels)),
        free_mail_domains=FREE_MAIL_DOMAINS,  # the app's list, as the selector passes it
    )
    built = time.perf_counter()
    rule = BlocRule()
    report = blocs_detect(data, rule)
    discounts = bloc_discounts(report.blocs, rule)
    done = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    line = (
        f"| end to end from PostgreSQL ({args.slug}) | {len(votes):,} | {len(report.blocs)} blocs, "
        f"{int((discounts.multipliers < 1).sum()):,} votes discounted | read votes {read_votes - started:.1f} s, "
        f"voters and talks {read_all - read_votes:.1f} s, build {built - read_all:.1f} s, "
        f"detect and discount {done - built:.1f} s | {done - started:.1f} s | peak RSS {peak_mb:,.0f} MB |"
    )
    header = "| run | votes | result | steps | total | memory |"
    print(header)
    print(line)
    if args.record:
        record("Bloc detection from PostgreSQL (bench/blocs_postgres.py)", header, line, key=line.split(" | ")[0][2:])


if __name__ == "__main__":
    main()
