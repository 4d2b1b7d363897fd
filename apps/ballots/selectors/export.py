"""The anonymised ballots of a published tally: receipts, votes and their weights, nothing that names anyone."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict

from django.db.models import Count, F, Sum

from apps.talks.models import Conference

from ..domain.tally import CLASS_CODES
from ..models import AnonymisedBallotsDocument, Ballot, BallotReceipt, TallyRow, TallySnapshot
from .tally import candidate_talk_ids, tally_input

FORMAT = "confvote-anonymised-ballots/1"


def anonymised_ballots(*, conference: Conference, snapshot: TallySnapshot) -> dict:
    """Every ballot as its newest receipt (or none for ballots loaded in bulk) and its votes as
    (talk, score, weight), in an order that reveals nothing (sorted by receipt, then talk)."""
    from ..services.blocs import bloc_discount_mappings

    policy = snapshot.policy
    multipliers, _ = bloc_discount_mappings(conference=conference)
    data = tally_input(conference=conference, policy=policy, discounts=multipliers)
    per_class = {
        CLASS_CODES["ticket_holder"]: float(policy.ticket_holder_weight),
        CLASS_CODES["pledger"]: float(policy.pledger_weight),
    }
    discount = data.discount.tolist() if data.discount is not None else [1.0] * len(data.voter_ids)
    votes: dict[int, list] = defaultdict(list)
    for voter, talk, score, code, multiplier in zip(
        data.voter_ids.tolist(),
        data.vote_talk_ids.tolist(),
        data.scores.tolist(),
        data.voter_class.tolist(),
        discount,
        strict=True,
    ):
        votes[voter].append([talk, score, round(per_class.get(code, 0.0) * multiplier, 12)])
    # Each ballot's newest receipt is the one numbered as its count of changes: read only those (a
    # tenth of the receipts on the large demo, where reading all and keeping these took 4 s).
    receipts = dict(
        BallotReceipt.objects.filter(ballot__conference=conference, sequence=F("ballot__changes")).values_list(
            "ballot__user_id", "code"
        )
    )
    ballots = sorted(
        ({"receipt": receipts.get(voter, ""), "votes": sorted(v)} for voter, v in votes.items()),
        key=lambda b: (b["receipt"], b["votes"]),
    )
    rows = TallyRow.objects.filter(snapshot=snapshot).values("talk_id", "rank", "bayes_average", "weighted_mean")
    return {
        "format": FORMAT,
        "conference": conference.slug,
        "scale": {"min": conference.scale_min, "max": conference.scale_max},
        "policy": {
            "version": policy.version,
            "ticket_holder_weight": float(policy.ticket_holder_weight),
            "pledger_weight": float(policy.pledger_weight),
            "prior_weight": float(policy.prior_weight),
        },
        "talk_ids": sorted(int(t) for t in data.talk_ids.tolist()),
        "tally": {
            "input_digest": snapshot.input_digest,
            "published_at": snapshot.published_at.isoformat(),
            "bulletin_head": snapshot.bulletin_head or None,
            "talks": sorted(rows, key=lambda r: r["rank"]),
        },
        "ballots": ballots,
    }


def anonymised_ballots_key(*, conference: Conference, snapshot: TallySnapshot) -> str:
    """A digest of everything `anonymised_ballots` reads, cheap to compute (tens of milliseconds on a
    million votes): the published snapshot and its policy, the conference's slug and scale, the
    candidate talks, the current bloc discounts (a bloc confirmed, dismissed or no longer found changes
    them) and each ballot's count of changes (which moves with every vote and its newest receipt)."""
    from ..services.blocs import bloc_discount_mappings

    policy = snapshot.policy
    multipliers, _ = bloc_discount_mappings(conference=conference)
    ballots = Ballot.objects.filter(conference=conference).aggregate(n=Count("pk"), changes=Sum("changes"))
    parts = {
        "format": FORMAT,
        "conference": [conference.pk, conference.slug, conference.scale_min, conference.scale_max],
        "snapshot": [snapshot.pk, snapshot.input_digest, snapshot.published_at.isoformat(), snapshot.bulletin_head],
        "policy": [
            policy.pk,
            policy.version,
            str(policy.ticket_holder_weight),
            str(policy.pledger_weight),
            str(policy.prior_weight),
        ],
        "talks": sorted(candidate_talk_ids(conference=conference).tolist()),
        "discounts": sorted([voter, talk, repr(float(m))] for (voter, talk), m in multipliers.items()),
        "ballots": [ballots["n"], ballots["changes"] or 0],
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def anonymised_ballots_stored(*, conference: Conference, key: str) -> AnonymisedBallotsDocument | None:
    """The stored document if it was built from exactly these inputs, without its content."""
    return AnonymisedBallotsDocument.objects.filter(conference=conference, key=key).defer("content").first()


def anonymised_ballots_content(*, document: AnonymisedBallotsDocument) -> bytes:
    content = AnonymisedBallotsDocument.objects.filter(pk=document.pk).values_list("content", flat=True).get()
    return bytes(content)
