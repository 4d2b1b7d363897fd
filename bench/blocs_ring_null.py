"""Does the `similar` test's chance model fit honest heavy raters? (docs/blocs.md, round 11)

    .venv/bin/python bench/blocs_ring_null.py --size small --seeds 1-10 --heavy 0.1

For pairs of honest accounts binned by ballot length (both accounts in the bin), the ratings
(talk and way: down, middle, up) they share, observed against what each chance model predicts:

- `activity`: the model `similar` used up to round 10 — an account with n ratings holds a rating of
  share r of all votes with probability min(1, n r), independently;
- `saturating`: an account holds talk t with probability 1 − exp(−λ w_t) (w_t the talk's share of all
  votes, λ chosen so the probabilities add up to n, the account's ballot length: a long ballot cannot
  hold a popular talk twice, so its other ratings go to less popular talks) and rates it in way d with
  the talk's own share of its votes in that way.

Also split into the two parts of a shared rating: the pair rated the same talk (inclusion), and,
given that, rated it the same way (score). Printed per bin: pairs, mean observed, mean predicted by
each model, and the share of pairs above the 99.9th percentile of each model's Poisson prediction.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from scipy.stats import poisson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.blocs_calibration import plant_heavy, plant_nothing, seeds_parse
from bench.blocs_synthetic import synthetic_conference


def saturating_lambda(n: np.ndarray, w: np.ndarray, iters: int = 60) -> np.ndarray:
    """λ per ballot length n with Σ_t (1 − exp(−λ w_t)) = n (bisection on log λ)."""
    lo, hi = np.full(len(n), -5.0), np.full(len(n), 12.0)
    for _ in range(iters):
        mid = (lo + hi) / 2
        s = (1 - np.exp(-np.exp(mid)[:, None] * w[None, :])).sum(axis=1)
        big = s > n
        hi = np.where(big, mid, hi)
        lo = np.where(big, lo, mid)
    return np.exp((lo + hi) / 2)


BINS = [(4, 19), (20, 39), (40, 59), (60, 89), (90, 119), (120, 200)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="small")
    parser.add_argument("--seeds", default="1-10")
    parser.add_argument("--heavy", type=float, default=0.1)
    parser.add_argument("--heavy-range", default="0.3,0.6")
    parser.add_argument("--max-pairs", type=int, default=40_000, help="pairs sampled per bin and seed")
    args = parser.parse_args()
    rows: dict[tuple, list] = {}
    for seed in seeds_parse(args.seeds):
        plant = plant_heavy(args.heavy, *map(float, args.heavy_range.split(","))) if args.heavy else plant_nothing
        conf = synthetic_conference(args.size, seed, plant=plant)
        d = conf.data
        T, V = d.n_talks, d.n_voters
        way = np.where(d.vote_score >= d.scale.wanted_min, 2, np.where(d.vote_score <= d.scale.minimum, 0, 1))
        item = d.vote_talk.astype(np.int64) * 3 + way
        n = np.bincount(d.vote_voter, minlength=V)
        rate = np.bincount(item, minlength=3 * T) / len(item)
        w = np.bincount(d.vote_talk, minlength=T) / len(item)
        q = rate.reshape(T, 3) / np.maximum(w[:, None], 1e-12)
        lengths = np.unique(n[n > 0])
        lam = dict(zip(lengths.tolist(), saturating_lambda(lengths.astype(float), w).tolist(), strict=True))
        heavy_pos = np.searchsorted(d.voter_ids, np.array(sorted(plant.heavy))) if args.heavy else np.empty(0, int)
        is_heavy = np.zeros(V, bool)
        is_heavy[heavy_pos] = True
        m_item = csr_matrix((np.ones(len(item)), (d.vote_voter, item)), shape=(V, 3 * T))
        m_talk = csr_matrix((np.ones(len(item)), (d.vote_voter, d.vote_talk)), shape=(V, T))
        rng = np.random.default_rng(seed)
        for lo, hi in BINS:
            for kind in ("heavy", "other"):
                who = np.nonzero((n >= lo) & (n <= hi) & (is_heavy if kind == "heavy" else ~is_heavy))[0]
                if len(who) < 2:
                    continue
                a = rng.integers(len(who), size=args.max_pairs)
                b = rng.integers(len(who), size=args.max_pairs)
                ok = a < b
                a, b = who[a[ok]], who[b[ok]]
                obs_item = np.asarray(m_item[a].multiply(m_item[b]).sum(axis=1)).ravel()
                obs_talk = np.asarray(m_talk[a].multiply(m_talk[b]).sum(axis=1)).ravel()
                pa_old = np.minimum(1.0, n[a][:, None] * rate[None, :])
                pb_old = np.minimum(1.0, n[b][:, None] * rate[None, :])
                pred_old = (pa_old * pb_old).sum(axis=1)
                ta_old = np.minimum(1.0, n[a][:, None] * w[None, :])
                tb_old = np.minimum(1.0, n[b][:, None] * w[None, :])
                la = np.array([lam[int(x)] for x in n[a]])
                lb = np.array([lam[int(x)] for x in n[b]])
                ta = 1 - np.exp(-la[:, None] * w[None, :])
                tb = 1 - np.exp(-lb[:, None] * w[None, :])
                same_way = (q**2).sum(axis=1)  # P(same way | both rated t), independent scores
                pred_new = (ta * tb * same_way[None, :]).sum(axis=1)
                key = (lo, hi, kind)
                r = rows.setdefault(key, [])
                r.append(
                    (
                        len(a),
                        obs_item.sum(),
                        pred_old.sum(),
                        pred_new.sum(),
                        obs_talk.sum(),
                        (ta_old * tb_old).sum(),
                        (ta * tb).sum(),
                        (poisson.sf(obs_item - 1, pred_old) < 1e-3).sum(),
                        (poisson.sf(obs_item - 1, pred_new) < 1e-3).sum(),
                    )
                )
    print(f"{args.size}, seeds {args.seeds}, heavy share {args.heavy}")
    print(
        "| ballot length | accounts | pairs | shared ratings: observed | activity model | saturating model "
        "| shared talks: observed | activity | saturating | same way given shared talk: observed | predicted "
        "| pairs with p < 0.001: activity | saturating |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for (lo, hi, kind), r in sorted(rows.items()):
        t = np.array(r, dtype=float).sum(axis=0)
        p = t[0]
        print(
            f"| {lo}–{hi} | {kind} | {int(p)} | {t[1] / p:.2f} | {t[2] / p:.2f} | {t[3] / p:.2f} | {t[4] / p:.2f} "
            f"| {t[5] / p:.2f} | {t[6] / p:.2f} | {t[1] / max(t[4], 1):.3f} | {t[3] / max(t[6], 1e-9):.3f} "
            f"| {t[7] / p:.2%} | {t[8] / p:.2%} |"
        )


if __name__ == "__main__":
    main()
