"""How many of the talks voters want they can actually attend.

A voter wants some talks. A wanted talk counts as *attendable* when it is in the program and the
voter is not already counted at another wanted talk in the same period: in each period a voter can
attend one talk, so a voter with wanted talks in k different periods can attend k of them. Every
(voter, wanted talk) pair is weighted by the voter's weight. No schedule can beat the trivial bound
where every voter sees min(their wanted talks, periods).

Co-attendance — for two talks, the weight of voters who want both — is what the time phase keeps
apart and what the report quotes ("38% of its voters also want X").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from apps.scheduling.domain.model import Ballot, Satisfaction


@dataclass(frozen=True)
class BallotMatrix:
    """Voters × talks, 1 where the voter wants the talk; weights per voter."""

    talk_ids: tuple[int, ...]
    column: dict[int, int]  # talk id -> column
    wants: sparse.csr_matrix  # voters × talks, float 0/1
    weights: np.ndarray  # per voter

    @property
    def voters(self) -> int:
        return self.wants.shape[0]


def ballot_matrix(ballots: Iterable[Ballot], talk_ids: Iterable[int]) -> BallotMatrix:
    """Counted ballots only (weight > 0); wishes for talks not in `talk_ids` are ignored."""
    ids = tuple(sorted(set(talk_ids)))
    column = {t: i for i, t in enumerate(ids)}
    rows: list[int] = []
    cols: list[int] = []
    weights: list[float] = []
    for ballot in sorted(ballots, key=lambda b: b.voter_id):
        if ballot.weight <= 0:
            continue
        wanted = sorted({column[t] for t in ballot.wanted if t in column})
        if not wanted:
            continue
        r = len(weights)
        weights.append(float(ballot.weight))
        rows.extend([r] * len(wanted))
        cols.extend(wanted)
    data = np.ones(len(rows), dtype=np.float64)
    wants = sparse.csr_matrix((data, (rows, cols)), shape=(len(weights), len(ids)))
    return BallotMatrix(ids, column, wants, np.asarray(weights, dtype=np.float64))


def co_attendance(matrix: BallotMatrix) -> np.ndarray:
    """Talks × talks: the weight of voters who want both (the diagonal: who want the talk)."""
    weighted = sparse.diags(matrix.weights) @ matrix.wants
    return np.asarray((matrix.wants.T @ weighted).todense())


def satisfaction_measure(
    matrix: BallotMatrix,
    period_of_talk: Mapping[int, int],
    periods: int,
    overflow_people: float = 0.0,
    overflowing_talks: int = 0,
) -> Satisfaction:
    """Exact count from the ballots for a program given as talk id -> period."""
    w = matrix.weights
    per_voter_wanted = np.asarray(matrix.wants.sum(axis=1)).ravel()
    wanted = float(w @ per_voter_wanted)
    upper = float(w @ np.minimum(per_voter_wanted, periods))
    placed = [(matrix.column[t], p) for t, p in period_of_talk.items() if t in matrix.column]
    if not placed or matrix.voters == 0:
        return Satisfaction(wanted, 0.0, 0.0, upper, overflow_people, overflowing_talks)
    cols = np.array([c for c, _ in placed])
    pers = np.array([p for _, p in placed])
    onehot = sparse.csr_matrix((np.ones(len(cols)), (cols, pers)), shape=(len(matrix.talk_ids), max(periods, 1)))
    per_period = (matrix.wants @ onehot).tocsr()  # voters × periods: wanted talks there
    scheduled = float(w @ np.asarray(per_period.sum(axis=1)).ravel())
    per_period.data = np.minimum(per_period.data, 1.0)
    attendable = float(w @ np.asarray(per_period.sum(axis=1)).ravel())
    return Satisfaction(wanted, scheduled, attendable, upper, overflow_people, overflowing_talks)


def attendance_bound(matrix: BallotMatrix, accepted: Iterable[int], periods: int) -> float:
    """Proven upper bound for a fixed set of accepted talks: each voter attends at most
    min(their accepted wanted talks, periods)."""
    cols = [matrix.column[t] for t in accepted if t in matrix.column]
    if not cols or matrix.voters == 0:
        return 0.0
    counts = np.asarray(matrix.wants[:, cols].sum(axis=1)).ravel()
    return float(matrix.weights @ np.minimum(counts, periods))
