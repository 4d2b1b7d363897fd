"""When each accepted talk takes place, so that voters can attend what they asked for.

Starting from the selection's feasible timetable, first improved quickly on co-attendance alone
(`clash_pairs`), talks change periods — moved to a period with a
free slot, or swapped with a talk there — whenever the change increases

    attendable (voter, wanted talk) pairs
    − overflow_weight × people beyond room capacity
    − stability_weight × average voters per talk × previously placed talks that moved,

counted exactly from the ballots, never from one popularity number per talk. Hard rules are never
broken by a change: a talk stays in periods where it fits (length, speakers' availability, the
committee's fix), a speaker is never in two places, a period never holds more talks than slots.
When no single change helps any more, a few random swaps shake the timetable and the search goes
on; the best timetable seen is kept. The random choices come from the run's seed.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass

import numpy as np

from apps.scheduling.domain.attendance import BallotMatrix
from apps.scheduling.domain.budget import Budget
from apps.scheduling.domain.clash_pairs import pairs_descend
from apps.scheduling.domain.grid import Grid
from apps.scheduling.domain.rooms import period_overflow

EPS = 1e-9


@dataclass(frozen=True)
class TimingReport:
    periods: dict[int, int]  # talk id -> period
    objective: float
    start_objective: float
    rounds: int
    stopped_by: str
    seconds: float


class _Timetable:
    """Mutable search state over accepted talks (index i) and periods (index p)."""

    def __init__(self, grid, talks, periods, matrix, audience, fixed_room, previous, overflow_weight, stability):
        self.n = len(talks)
        self.P = len(grid.periods)
        self.talks = talks
        self.allowed = np.zeros((self.n, self.P), dtype=bool)
        for i, t in enumerate(talks):
            self.allowed[i, list(grid.allowed_periods(t.id))] = True
        levels = sorted({t.duration_minutes for t in talks})
        self.lvl = np.array([[t.duration_minutes >= lv for lv in levels] for t in talks], dtype=np.int32)
        self.cap = np.array(
            [[sum(1 for s in grid.periods[p] if grid.slots[s].minutes >= lv) for lv in levels] for p in range(self.P)],
            dtype=np.int32,
        ).reshape(self.P, len(levels))
        self.caps = [[grid.capacity_of_slot[s] for s in grid.periods[p]] for p in range(self.P)]
        self.speakers = [t.speaker_ids for t in talks]
        self.froom = [fixed_room.get(t.id) for t in talks]
        self.aud = np.array([audience.get(t.id, 0.0) for t in talks])
        self.prev = np.array([previous.get(t.id, -1) for t in talks])
        self.ow = overflow_weight
        self.stability = stability
        self.vidx = _voter_lists(matrix, talks)
        self.vw = [matrix.weights[v] for v in self.vidx]
        # voters' weight wanting both talks: bounds how much a swap's two separate estimates miss
        cols = [matrix.column.get(t.id) for t in talks]
        self.both = np.zeros((self.n, self.n))
        present = [i for i, col in enumerate(cols) if col is not None]
        if present and matrix.voters:
            sub = matrix.wants[:, [cols[i] for i in present]]
            dense = np.asarray((sub.T @ sub.multiply(matrix.weights[:, None]).tocsr()).todense())
            self.both[np.ix_(present, present)] = dense
        self.w = matrix.weights
        self.mark = np.zeros(matrix.voters, dtype=bool)
        self.voters = matrix.voters
        self.load(np.array([periods[t.id] for t in talks], dtype=np.int64))

    def load(self, per: np.ndarray) -> None:
        self.per = per.copy()
        self.c = np.zeros((self.voters, self.P), dtype=np.int32)
        for i in range(self.n):
            self.c[self.vidx[i], self.per[i]] += 1
        self.lo = np.zeros_like(self.cap)
        self.spk: dict[tuple[int, int], int] = defaultdict(int)
        self.room: dict[tuple[int, int], int] = defaultdict(int)
        self.members: list[set[int]] = [set() for _ in range(self.P)]
        for i in range(self.n):
            self._enter(i, self.per[i])
        self.ov = np.array([self._overflow(p) for p in range(self.P)])

    def _enter(self, i: int, p: int, sign: int = 1) -> None:
        self.lo[p] += sign * self.lvl[i]
        for sp in self.speakers[i]:
            self.spk[(sp, p)] += sign
        if self.froom[i] is not None:
            self.room[(self.froom[i], p)] += sign
        if sign > 0:
            self.members[p].add(i)
        else:
            self.members[p].discard(i)

    def _overflow(self, p: int, leave: int = -1, enter: int = -1) -> float:
        auds = [self.aud[j] for j in self.members[p] if j != leave]
        if enter >= 0:
            auds.append(self.aud[enter])
        return period_overflow(auds, self.caps[p])

    def objective(self) -> float:
        att = float(self.w @ (self.c > 0).sum(axis=1)) if self.voters else 0.0
        moved = int(((self.prev >= 0) & (self.per != self.prev)).sum())
        return att - self.ow * float(self.ov.sum()) - self.stability * moved

    def fits(self, i: int, q: int, instead: int = -1) -> bool:
        """Could talk i be in period q (with talk `instead` leaving q)?"""
        if not self.allowed[i, q]:
            return False
        load = self.lo[q] + self.lvl[i] - (self.lvl[instead] if instead >= 0 else 0)
        if (load > self.cap[q]).any():
            return False
        for sp in self.speakers[i]:
            if self.spk[(sp, q)] - (1 if instead >= 0 and sp in self.speakers[instead] else 0) > 0:
                return False
        r = self.froom[i]
        return r is None or self.room[(r, q)] - (1 if instead >= 0 and self.froom[instead] == r else 0) == 0

    def move(self, i: int, q: int) -> None:
        p = self.per[i]
        v = self.vidx[i]
        self.c[v, p] -= 1
        self.c[v, q] += 1
        self._enter(i, p, -1)
        self._enter(i, q, 1)
        self.per[i] = q

    def stab(self, i: int, p: int, q: int) -> float:
        if self.prev[i] < 0:
            return 0.0
        return self.stability * (int(self.prev[i] == q) - int(self.prev[i] == p))

    def gains(self, i: int) -> np.ndarray:
        """Change in attendable pairs if talk i moved to each period (0 for its own)."""
        p = self.per[i]
        cnt = self.c[self.vidx[i]]
        w = self.vw[i]
        out = w @ (cnt == 0) - float(w @ (cnt[:, p] == 1))
        out[p] = 0.0
        return out

    def gain_to(self, j: int, q: int) -> float:
        p = self.per[j]
        v = self.vidx[j]
        return float(self.vw[j] @ (self.c[v, q] == 0)) - float(self.vw[j] @ (self.c[v, p] == 1))

    def improve(self, i: int, tries: int) -> int:
        """Applies an improving move or swap of talk i among its `tries` most promising periods;
        returns the period it went to, or -1."""
        p = self.per[i]
        if self.allowed[i].sum() <= 1:
            return -1
        g = self.gains(i)
        g[~self.allowed[i]] = -np.inf
        g[p] = -np.inf
        for q in np.argsort(-g, kind="stable")[:tries]:
            if not np.isfinite(g[q]):
                break
            q = int(q)
            if self.fits(i, q):
                ovd = self._overflow(p, leave=i) + self._overflow(q, enter=i) - self.ov[p] - self.ov[q]
                if g[q] - self.ow * ovd + self.stab(i, p, q) > EPS:
                    self._apply_move(i, q)
                    return q
                continue
            if self._swap_best(i, p, q, g[q]):
                return q
        return -1

    def _swap_best(self, i: int, p: int, q: int, gain_i: float) -> bool:
        """Swaps talk i (in p) with the best partner in q, if that improves the objective.

        All partners are scored in one pass over their voters. Voters wanting both i and the partner
        keep their counts after a swap; the separate move estimates charged them a loss, given back here."""
        partners = [j for j in sorted(self.members[q]) if self.fits(i, q, j) and self.fits(j, p, i)]
        if not partners:
            return False
        lists = [self.vidx[j] for j in partners]
        ends = np.cumsum([len(v) for v in lists])
        voters = np.concatenate(lists)
        weights = np.concatenate([self.vw[j] for j in partners])
        at_p, at_q = self.c[voters, p], self.c[voters, q]
        self.mark[self.vidx[i]] = True
        shared = self.mark[voters]
        self.mark[self.vidx[i]] = False
        per_voter = weights * np.where(shared, at_p == 1, (at_p == 0).astype(np.int8) - (at_q == 1))
        sums = np.concatenate([[0.0], np.cumsum(per_voter)])
        gain_j = sums[ends] - sums[np.concatenate([[0], ends[:-1]])]
        best, best_j = EPS, -1
        others_p = [self.aud[k] for k in self.members[p] if k != i]
        for n, j in enumerate(partners):
            others_q = [self.aud[k] for k in self.members[q] if k != j]
            ovd = (
                period_overflow([*others_p, self.aud[j]], self.caps[p])
                + period_overflow([*others_q, self.aud[i]], self.caps[q])
                - self.ov[p]
                - self.ov[q]
            )
            delta = gain_i + gain_j[n] - self.ow * ovd + self.stab(i, p, q) + self.stab(j, q, p)
            if delta > best:
                best, best_j = delta, j
        if best_j < 0:
            return False
        self.move(i, q)
        self.move(best_j, p)
        self.ov[p], self.ov[q] = self._overflow(p), self._overflow(q)
        return True

    def _apply_move(self, i: int, q: int) -> None:
        p = self.per[i]
        self.move(i, q)
        self.ov[p], self.ov[q] = self._overflow(p), self._overflow(q)

    def kick(self, rng: np.random.Generator, swaps: int) -> set[int]:
        """Random feasible swaps or moves, to leave a local optimum; returns the periods touched."""
        movable = np.flatnonzero(self.allowed.sum(axis=1) > 1)
        touched: set[int] = set()
        if len(movable) == 0:
            return touched
        done = 0
        for _ in range(swaps * 20):
            if done >= swaps:
                break
            i = int(rng.choice(movable))
            p = self.per[i]
            options = np.flatnonzero(self.allowed[i])
            q = int(rng.choice(options))
            if q == p:
                continue
            if self.fits(i, q):
                self._apply_move(i, q)
                touched.update((p, q))
                done += 1
                continue
            partners = [j for j in sorted(self.members[q]) if self.fits(i, q, j) and self.fits(j, p, i)]
            if partners:
                j = partners[int(rng.integers(len(partners)))]
                self.move(i, q)
                self.move(j, p)
                self.ov[p], self.ov[q] = self._overflow(p), self._overflow(q)
                touched.update((p, q))
                done += 1
        return touched


def timing_improve(
    grid: Grid,
    talks: list,
    periods: dict[int, int],
    matrix: BallotMatrix,
    *,
    audience: dict[int, float],
    fixed_room: dict[int, int],
    previous: dict[int, int],
    overflow_weight: float,
    stability_weight: float,
    rounds: int,
    seed: int,
    budget: Budget,
) -> TimingReport:
    """Local search from `periods` (talk id -> period); returns the best timetable found."""
    started = budget.elapsed()
    if not talks:
        return TimingReport({}, 0.0, 0.0, 0, "converged", 0.0)
    # the price of moving a placed talk, in pairs: a share of the voters an average talk has
    moved_voters = float(np.mean([matrix.weights[v].sum() for v in _voter_lists(matrix, talks)]))
    state = _Timetable(
        grid, talks, periods, matrix, audience, fixed_room, previous, overflow_weight, stability_weight * moved_voters
    )
    rng = np.random.default_rng(seed)
    start = best = state.objective()
    stopped_by = "converged"
    idle = 0
    done_rounds = 0
    # 1. co-attendance search with random restarts around the best timetable (cheap per round)
    pairs_descend(state, rng, budget)
    best, best_per = state.objective(), state.per.copy()
    while not budget.should_stop() and idle < rounds:
        touched = state.kick(rng, max(2, state.n // 40))
        pairs_descend(state, rng, budget, touched)
        value = state.objective()
        if value > best + EPS:
            best, best_per, idle = value, state.per.copy(), 0
        else:
            idle += 1
            state.load(best_per)
        done_rounds += 1
        done = max(idle / max(1, rounds), budget.elapsed() / max(budget.seconds, 1e-9))
        budget.report("time", 30 + 60 * min(1.0, done))
    # 2. the exact ballot-level search finishes from the best timetable
    state.load(best_per)
    if not budget.should_stop():
        _descend(state, rng, budget, None)
        value = state.objective()
        if value > best + EPS:
            best, best_per = value, state.per.copy()
    if budget.should_stop():
        stopped_by = "cancelled" if budget.cancelled() else "wall clock"
    final = {t.id: int(best_per[i]) for i, t in enumerate(talks)}
    return TimingReport(final, best, start, done_rounds, stopped_by, budget.elapsed() - started)


def _descend(state: _Timetable, rng: np.random.Generator, budget: Budget, periods: set[int] | None) -> None:
    """Improves until no examined talk can improve. With `periods`, starts from the talks there and
    follows the changes; without, sweeps every talk until a whole sweep changes nothing."""
    tries = 4
    while True:
        if periods is None:
            queue = deque(int(i) for i in rng.permutation(state.n))
        else:
            queue = deque(sorted(k for p in periods for k in state.members[p]))
        queued = set(queue)
        changed = False
        while queue:
            if budget.should_stop():
                return
            i = queue.popleft()
            queued.discard(i)
            p = state.per[i]
            q = state.improve(i, tries)
            if q < 0:
                continue
            changed = True
            for k in sorted(state.members[p] | state.members[q]):
                if k not in queued:
                    queue.append(k)
                    queued.add(k)
        if periods is not None or not changed:
            return


def _voter_lists(matrix: BallotMatrix, talks: list) -> list[np.ndarray]:
    wants = matrix.wants.tocsc()
    out = []
    for t in talks:
        c = matrix.column.get(t.id)
        out.append(wants.indices[wants.indptr[c] : wants.indptr[c + 1]] if c is not None else np.array([], int))
    return out
