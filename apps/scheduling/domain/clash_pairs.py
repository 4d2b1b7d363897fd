"""A fast first pass for the time phase: keep apart the talks that the same voters want.

For every two accepted talks the ballots give the weight of voters who want both (co-attendance).
Putting two such talks in parallel costs roughly that weight in attendable pairs — exactly, for a
voter with at most two wanted talks in a period. This pass moves and swaps talks between periods to
lower the total co-attendance of talks in parallel, under the same hard rules as the exact search.
With a talks × periods table of "co-attendance with the talks already there", every possible swap
of a talk is scored in one vector operation, so a sweep over all talks is cheap even at 1,000 talks;
the exact ballot-level search (in `timing`) then finishes from here.
"""

from __future__ import annotations

import numpy as np

from apps.scheduling.domain.budget import Budget
from apps.scheduling.domain.rooms import period_overflow

EPS = 1e-9


def pairs_descend(
    state, rng: np.random.Generator, budget: Budget, periods: set[int] | None = None, max_sweeps: int = 200
) -> int:
    """Improves `state` (a timing._Timetable) on the pairwise clash cost; returns the sweeps made.
    With `periods`, the first sweep looks only at the talks there and each later sweep only at the
    talks in periods the previous sweep changed (after a small random kick, that is where gains are)."""
    n = state.n
    if n < 2:
        return 0
    both = state.both.copy()
    np.fill_diagonal(both, 0.0)
    onehot = np.zeros((n, state.P))
    onehot[np.arange(n), state.per] = 1.0
    near = both @ onehot  # near[i, p]: weight of voters wanting i and some talk in p
    rows = np.arange(n)
    sweeps = 0
    improved = True
    focus = None if periods is None else sorted(periods)
    while improved and sweeps < max_sweeps and not budget.should_stop():
        improved = False
        sweeps += 1
        order = rng.permutation(n) if focus is None else sorted(k for p in focus for k in state.members[p])
        changed: set[int] = set()
        for i in order:
            i = int(i)
            if state.allowed[i].sum() <= 1:
                continue
            p = int(state.per[i])
            move_gain = near[i, p] - near[i]
            move_gain[~state.allowed[i]] = -np.inf
            move_gain[p] = -np.inf
            per = state.per
            swap_gain = near[i, p] + near[rows, per] - near[i, per] - near[:, p] + 2.0 * both[i]
            swap_gain[(per == p) | ~state.allowed[i, per] | ~state.allowed[:, p]] = -np.inf
            options = [(float(move_gain[q]), "move", int(q)) for q in np.argsort(-move_gain, kind="stable")[:4]]
            options += [(float(swap_gain[j]), "swap", int(j)) for j in np.argsort(-swap_gain, kind="stable")[:8]]
            options.sort(key=lambda o: (-o[0], o[1], o[2]))
            for gain, kind, target in options:
                if not gain > EPS:
                    break
                if kind == "move" and _try_move(state, near, both, i, p, target, gain):
                    improved = True
                    changed.update((p, target))
                    break
                if kind == "swap" and _try_swap(state, near, both, i, p, target, gain):
                    improved = True
                    changed.update((p, int(state.per[i])))
                    break
        if focus is not None:
            focus = sorted(changed)
    return sweeps


def _shift(near: np.ndarray, both: np.ndarray, i: int, p: int, q: int) -> None:
    near[:, p] -= both[:, i]
    near[:, q] += both[:, i]


def _try_move(state, near, both, i: int, p: int, q: int, gain: float) -> bool:
    if not state.fits(i, q):
        return False
    ovd = state._overflow(p, leave=i) + state._overflow(q, enter=i) - state.ov[p] - state.ov[q]
    if gain - state.ow * ovd + state.stab(i, p, q) <= EPS:
        return False
    state._apply_move(i, q)
    _shift(near, both, i, p, q)
    return True


def _try_swap(state, near, both, i: int, p: int, j: int, gain: float) -> bool:
    q = int(state.per[j])
    if not (state.fits(i, q, instead=j) and state.fits(j, p, instead=i)):
        return False
    after_p = [state.aud[k] for k in state.members[p] if k != i] + [state.aud[j]]
    after_q = [state.aud[k] for k in state.members[q] if k != j] + [state.aud[i]]
    ovd = period_overflow(after_p, state.caps[p]) + period_overflow(after_q, state.caps[q]) - state.ov[p] - state.ov[q]
    if gain - state.ow * ovd + state.stab(i, p, q) + state.stab(j, q, p) <= EPS:
        return False
    state.move(i, q)
    state.move(j, p)
    state.ov[p], state.ov[q] = state._overflow(p), state._overflow(q)
    _shift(near, both, i, p, q)
    _shift(near, both, j, q, p)
    return True
