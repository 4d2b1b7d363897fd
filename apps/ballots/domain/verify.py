"""Recomputing a published tally from the anonymised ballots alone, and a published bulletin board's
hash chain from the board alone.

The export lists, for every ballot, its receipt and each vote as (talk, score, weight), where the
weight is everything the tally applied to that vote: the voter's class weight times any bloc
discount. Anyone can run the same Bayesian-average tally over those numbers and compare every
talk's score and rank with what was published; a difference means the published tally is not the
tally of these ballots."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from apps.attendance.domain.eligibility import VoterClass

from .bulletin import BULLETIN_SCHEME, BoardCheck, ChainedEntry, bulletin_genesis, bulletin_verify
from .tally import CLASS_CODES, TallyInput, tally_compute
from .weights import ClassWeights

TOLERANCE = 1e-9


@dataclass(frozen=True)
class Difference:
    talk_id: int
    what: str

    def __str__(self) -> str:
        return f"talk {self.talk_id}: {self.what}"


def tally_verify(export: dict) -> tuple[int, list[Difference]]:
    """(talks checked, differences). Raises ValueError for a file that is not an export."""
    if export.get("format") != "confvote-anonymised-ballots/1":
        raise ValueError("Not a confvote anonymised-ballots export (format confvote-anonymised-ballots/1).")
    voters, talks, scores, weights = [], [], [], []
    for index, ballot in enumerate(export["ballots"]):
        for talk_id, score, weight in ballot["votes"]:
            voters.append(index)
            talks.append(int(talk_id))
            scores.append(int(score))
            weights.append(float(weight))
    published = {int(row["talk_id"]): row for row in export["tally"]["talks"]}
    data = TallyInput(
        talk_ids=np.array(sorted(int(t) for t in export["talk_ids"]), dtype=np.int64),
        voter_ids=np.array(voters, dtype=np.int64),
        vote_talk_ids=np.array(talks, dtype=np.int64),
        scores=np.array(scores, dtype=np.int16),
        # Every weight is carried by the vote itself: one class worth 1, times the vote's weight.
        voter_class=np.full(len(voters), CLASS_CODES[VoterClass.TICKET_HOLDER], dtype=np.int8),
        scale_min=int(export["scale"]["min"]),
        scale_max=int(export["scale"]["max"]),
        weights=ClassWeights(ticket_holder=1.0, pledger=1.0),
        prior_weight=float(export["policy"]["prior_weight"]),
        discount=np.array(weights, dtype=np.float64),
    )
    result = tally_compute(data)
    differences = []
    for rank, (talk_id, bayes) in enumerate(
        zip(result.talk_ids.tolist(), result.bayes_average.tolist(), strict=True), start=1
    ):
        row = published.get(talk_id)
        if row is None:
            differences.append(Difference(talk_id, "in the ballots but not in the published tally"))
            continue
        if abs(row["bayes_average"] - bayes) > TOLERANCE:
            differences.append(
                Difference(talk_id, f"score {row['bayes_average']:.12g} published, {bayes:.12g} recomputed")
            )
        if int(row["rank"]) != rank:
            differences.append(Difference(talk_id, f"rank {row['rank']} published, {rank} recomputed"))
    for talk_id in sorted(set(published) - set(result.talk_ids.tolist())):
        differences.append(Difference(talk_id, "in the published tally but not in the ballots"))
    return len(published), differences


def bulletin_verify_export(export: dict | list, *, head: str | None = None) -> BoardCheck:
    """Checks a bulletin board as the public API serves it: one answer `{"board": …, "results": […]}`
    holding every entry, or the list of its pages in order. The genesis is recomputed from the
    board's conference id and input digest, the chain from the entries; `head` is the value the
    checker wrote down at publication (by default the one the board states).
    Raises ValueError for something that is not a bulletin board."""
    pages = export if isinstance(export, list) else [export]
    if not pages or not all(isinstance(page, dict) and "board" in page and "results" in page for page in pages):
        raise ValueError('Not a bulletin board: expected {"board": …, "results": […]} or a list of those pages.')
    board = pages[0]["board"]
    if any(page["board"] != board for page in pages):
        raise ValueError("The pages are from different bulletin boards (their board headers differ).")
    if board.get("scheme") != BULLETIN_SCHEME:
        raise ValueError(f"Unknown chain scheme {board.get('scheme')!r} (this checker knows {BULLETIN_SCHEME}).")
    if not board.get("head"):
        raise ValueError("This board was published before the bulletin board was chained: there is nothing to check.")
    genesis = bulletin_genesis(conference_id=int(board["conference_id"]), input_digest=str(board["input_digest"]))
    entries = (
        ChainedEntry(
            position=int(row["position"]),
            receipt=str(row["receipt"]),
            weight=float(row["weight"]),
            status=str(row["status"]),
            chain=str(row["chain"]),
        )
        for page in pages
        for row in page["results"]
    )
    return bulletin_verify(entries, genesis=genesis, head=(head or board["head"]).strip().lower(), size=board["size"])
