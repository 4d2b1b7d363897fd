"""The anonymised ballots of a published tally: receipts, votes and their weights, nothing that names anyone."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict

from django.db.models import F

from apps.talks.models import Conference

from ..domain.tally import CLASS_CODES, TallyInput
from ..models import AnonymisedBallotsDocument, BallotReceipt, TallyRow, TallySnapshot
from .tally import tally_input

FORMAT = "confvote-anonymised-ballots/1"


def anonymised_ballots(*, conference: Conference, snapshot: TallySnapshot) -> dict:
    """The document of `snapshot` from the current votes, classes and bloc discounts: what publishing
    stores is `anonymised_ballots_of` the very inputs it published (`anonymised_ballots_key`); this is for
    a tally published before documents were stored with it."""
    from ..services.blocs import bloc_discount_mappings

    multipliers, _ = bloc_discount_mappings(conference=conference)
    data = tally_input(conference=conference, policy=snapshot.policy, discounts=multipliers)
    return anonymised_ballots_of(conference=conference, snapshot=snapshot, data=data)


def anonymised_ballots_of(*, conference: Conference, snapshot: TallySnapshot, data: TallyInput) -> dict:
    """Every ballot of `data` (the tally's input) as its newest receipt (or none for ballots loaded in
    bulk) and its votes as (talk, score, weight), in an order that reveals nothing (sorted by receipt, then
    talk), with the snapshot's published scores and ranks."""
    policy = snapshot.policy
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
    # One per voter (one ballot per voter, one receipt per sequence), so in no order: the receipts' own
    # order would sort them all.
    newest = BallotReceipt.objects.filter(ballot__conference=conference, sequence=F("ballot__changes")).order_by()
    receipts = dict(newest.values_list("ballot__user_id", "code"))
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


def anonymised_ballots_key(*, snapshot: TallySnapshot) -> str:
    """The published tally a document belongs to: publishing builds it from the inputs it published, so
    nothing that changes afterwards (a ticket claimed late, a bloc decision, a detection run) is part of
    it; the next publication gives the next document."""
    parts = {
        "format": FORMAT,
        "snapshot": [
            snapshot.conference_id,
            snapshot.pk,
            snapshot.input_digest,
            snapshot.published_at.isoformat(),
            snapshot.bulletin_head,
        ],
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def anonymised_ballots_stored(*, conference: Conference, key: str) -> AnonymisedBallotsDocument | None:
    """The stored document if it was built from exactly these inputs, without its content."""
    return AnonymisedBallotsDocument.objects.filter(conference=conference, key=key).defer("content").first()


def anonymised_ballots_content(*, document: AnonymisedBallotsDocument) -> bytes:
    content = AnonymisedBallotsDocument.objects.filter(pk=document.pk).values_list("content", flat=True).get()
    return bytes(content)
