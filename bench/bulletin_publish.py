"""Times publishing a tally with its chained bulletin board on a seeded demo conference.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/confvote_bench .venv/bin/python bench/bulletin_publish.py \
        --slug demo --repeat 3 [--record]

The demo loads its votes in bulk, without receipts. Voters casting the same votes one by one in the
browser would get one receipt per vote, so the script first gives every demo vote its history row
and receipt, in casting order (once; later runs find them). Each run then publishes the tally (the
snapshot is computed once and reused) and times the board's three steps: reading the receipts and
working out weights and statuses, chaining, and storing; the publication is undone after each run.
Then it publishes as the admin does, through a publication run (bloc detection first, then the tally,
the board read / chained / stored, the anonymised ballots, the commit), and prints the seconds the run
recorded for each step, with the anonymised ballots split into building the document and encoding it.
Each figure is the median of --repeat runs."""

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "confvote.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from apps.ballots import services  # noqa: E402
from apps.ballots.domain.bulletin import bulletin_chain, bulletin_genesis, bulletin_verify  # noqa: E402
from apps.ballots.domain.receipts import receipt_code, receipt_nonce_new  # noqa: E402
from apps.ballots.models import Ballot, BallotReceipt, BulletinEntry, TallySnapshot, Vote, VoteEvent  # noqa: E402
from apps.ballots.selectors.bulletin import bulletin_chained_entries  # noqa: E402
from apps.ballots.services import tallies  # noqa: E402
from apps.talks.models import Conference  # noqa: E402
from bench.record import record  # noqa: E402


def receipts_ensure(conference: Conference) -> int:
    """One history row and one receipt per demo vote, as if each had been cast on its own."""
    existing = BallotReceipt.objects.filter(ballot__conference=conference).count()
    if existing:
        return existing
    votes = Vote.objects.filter(talk__conference=conference).order_by("user_id", "created_at", "talk_id")
    by_user: dict[int, list[tuple[int, int, object]]] = defaultdict(list)
    for user_id, talk_id, score, at in votes.values_list("user_id", "talk_id", "score", "created_at").iterator():
        by_user[user_id].append((talk_id, score, at))
    with transaction.atomic():
        ballots = Ballot.objects.bulk_create(
            [Ballot(conference=conference, user_id=u, changes=len(v), created_at=v[0][2]) for u, v in by_user.items()],
            batch_size=5000,
        )
        events = VoteEvent.objects.bulk_create(
            [
                VoteEvent(user_id=u, talk_id=t, kind="cast", new_score=s, at=at)
                for u, v in by_user.items()
                for t, s, at in v
            ],
            batch_size=5000,
        )
        receipts, index = [], 0
        for ballot, (_, cast) in zip(ballots, by_user.items(), strict=True):
            for sequence in range(1, len(cast) + 1):
                nonce = receipt_nonce_new()
                votes_so_far = [(t, s) for t, s, _ in cast[:sequence]]
                code = receipt_code(conference_id=conference.pk, sequence=sequence, votes=votes_so_far, nonce=nonce)
                receipts.append(
                    BallotReceipt(
                        ballot=ballot,
                        sequence=sequence,
                        event=events[index],
                        code=code,
                        nonce=nonce,
                        vote_count=sequence,
                        at=cast[sequence - 1][2],
                    )
                )
                index += 1
        BallotReceipt.objects.bulk_create(receipts, batch_size=5000)
    return len(receipts)


def unpublish(snapshot: TallySnapshot) -> None:
    BulletinEntry.objects.filter(snapshot=snapshot).delete()
    TallySnapshot.objects.filter(pk=snapshot.pk).update(published_at=None, bulletin_head="", bulletin_size=None)


def publish_timed(conference: Conference) -> dict[str, float]:
    """The publication as tally_publish does it, step by step (the snapshot exists already)."""
    policy = services.weight_policy_ensure(conference=conference)
    data = tallies.tally_input(conference=conference, policy=policy, discounts=None)
    snapshot, _ = tallies._snapshot_for(conference=conference, policy=policy, data=data)
    times = {}
    started = time.perf_counter()
    with transaction.atomic():
        receipt_ids, board = tallies._bulletin(snapshot, data)
        times["read receipts, weights and statuses"] = time.perf_counter() - started
        mark = time.perf_counter()
        genesis = bulletin_genesis(conference_id=conference.pk, input_digest=snapshot.input_digest)
        chained = bulletin_chain(board, genesis=genesis)
        times["chain"] = time.perf_counter() - mark
        mark = time.perf_counter()
        tallies._bulletin_store(snapshot, chained, receipt_ids)
        times["store"] = time.perf_counter() - mark
    times["board total"] = time.perf_counter() - started
    unpublish(snapshot)
    started = time.perf_counter()
    published = services.tally_publish(conference=conference)
    times["tally_publish end to end"] = time.perf_counter() - started
    mark = time.perf_counter()
    check = bulletin_verify(
        bulletin_chained_entries(snapshot=published),
        genesis=genesis,
        head=published.bulletin_head,
        size=published.bulletin_size,
    )
    times["verify from the database"] = time.perf_counter() - mark
    assert check.ok and check.checked == len(chained), check.problem
    unpublish(published)
    return times


def publication_run_timed(conference: Conference) -> dict[str, float]:
    """A publication run end to end, in this process, with the seconds it recorded per step."""
    import hashlib
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    from apps.ballots.selectors.export import anonymised_ballots_of
    from apps.ballots.services.blocs import bloc_discount_mappings
    from apps.ballots.services.publication import PUBLICATION, STEPS, tally_publication_execute

    run, _ = PUBLICATION.create(conference=conference)
    started = time.perf_counter()
    tally_publication_execute(run_id=run.pk)
    total = time.perf_counter() - started
    run.refresh_from_db()
    times = {f"run: {step}": run.step_seconds.get(step, 0.0) for step in STEPS}
    times["run: end to end"] = total
    # The anonymised ballots step, split: building the document, then encoding and hashing it.
    multipliers, _ = bloc_discount_mappings(conference=conference)
    policy = services.weight_policy_ensure(conference=conference)
    data = tallies.tally_input(conference=conference, policy=policy, discounts=multipliers)
    mark = time.perf_counter()
    export = anonymised_ballots_of(conference=conference, snapshot=run.snapshot, data=data)
    times["anonymised: build"] = time.perf_counter() - mark
    mark = time.perf_counter()
    content = json.dumps(export, cls=DjangoJSONEncoder).encode()
    hashlib.sha256(content).hexdigest()
    times["anonymised: encode and hash"] = time.perf_counter() - mark
    times["anonymised: megabytes"] = len(content) / 1e6
    unpublish(run.snapshot)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--slug", default="demo")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    conference = Conference.objects.get(slug=args.slug)
    started = time.perf_counter()
    entries = receipts_ensure(conference)
    print(f"{entries:,} receipts ready in {time.perf_counter() - started:.1f} s")
    services.tally_snapshot_compute(conference=conference)
    runs = [publish_timed(conference) for _ in range(args.repeat)]
    median = {step: statistics.median(run[step] for run in runs) for step in runs[0]}
    for step, seconds in median.items():
        print(f"{step}: {seconds:.2f} s")
    steps = ", ".join(f"{step} {median[step]:.2f} s" for step in list(median)[:3])
    line = (
        f"| publish {args.slug} | {connection.vendor} | {entries:,} receipts | {steps} | "
        f"{median['tally_publish end to end']:.2f} s | {median['verify from the database']:.2f} s | "
        f"median of {args.repeat} |"
    )
    print(line)
    runs = [publication_run_timed(conference) for _ in range(args.repeat)]
    for step in runs[0]:
        print(f"{step}: {statistics.median(run[step] for run in runs):.2f}")
    if args.record:
        record(
            "Publishing the tally with its chained bulletin board (bench/bulletin_publish.py)",
            "| run | database | board | board steps | tally_publish end to end | verify the chain | runs |",
            line,
            key=f"publish {args.slug} | {connection.vendor}",
        )


if __name__ == "__main__":
    main()
