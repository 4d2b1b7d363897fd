"""Talk-pair co-support against each voter's own taste, measured on honest voters (round 26 in docs/blocs.md).

    .venv/bin/python bench/blocs_pairs_taste.py --world seen --size small --seeds 1-20
    .venv/bin/python bench/blocs_pairs_taste.py --world fresh4 --size medium --seeds 1-5 --no-independence
    .venv/bin/python bench/blocs_pairs_taste.py --planted fresh4 --size medium --seeds 1-3

Round 15 (bench/blocs_pairs_diag.py) compared the co-supporters of every pair of talks with what
independent voting predicts, P(v→t) = min(1, v's votes × t's share), and found that honest
same-track taste passes that bar in about half of the honest medium conferences. Here the null is a
shared-taste one, judged within data-derived talk clusters ("tastes"):

- Clusters: from which talks each voter chose to rate (any score; the most data, one clustering for
  every way). The talk × talk co-rating matrix C = RᵀR (diagonal removed) is normalised,
  D^-1/2·C·D^-1/2. Its number of tastes k is 1 + the leading eigenvalues (past the trivial 1) that
  stand above the same-index eigenvalue of SHUFFLES copies of the votes with their talks shuffled
  among them (every voter keeps their number of votes, every talk its number; Horn's parallel
  analysis). `--k-rule edge` is the first rule tried (every eigenvalue above the largest shuffled
  second one), kept for the record. The clusters are k-means (best of 5 starts) on those k - 1
  eigenvectors, rows scaled to unit length. A cluster of fewer than MIN_CLUSTER talks is not a taste
  (it could be a bloc's own talks): its talks join the nearest other cluster.
- Null, per way (any rating from "want to see" up; the top score): voter v rates t that way with
  P(v→t) = min(1, v's votes that way × v's smoothed share of them in t's cluster × t's share of its
  cluster's votes that way). The smoothing is PRIOR_VOTES pseudo-votes spread as the conference's
  shares of the clusters. It is round 15's null applied inside each taste, with each voter's own mix
  of tastes (a "topic model" with hard talk topics whose voter mixtures are simply counted).
- Test: the expected co-supporters of (a, b) are Σ_v P(v→a)·P(v→b) (voters independent given their
  own taste); the observed count is compared with it by the Poisson tail, as in round 15, with the
  same `min_members` / `min_ratio` sizing and a Bonferroni bar over the pairs with a co-supporter
  (both ways).

`--model nmf` is the other taste model tried: a Poisson low-rank factorisation (KL non-negative
matrix factorisation / PLSA) fitted on the votes of each way, with k by held-out log-likelihood of
10% of the votes. It picks k = 1 on most worlds (a voter's 5-10 up-votes do not predict their other
ones better than popularity) and its random start lands in partitions of the talks that do not
follow the taste; it is kept for the record, not used.

Printed per conference, for both nulls (independence as in round 15, unless `--no-independence`, and
taste): pair tests, pairs at p <= 1e-4 / 1e-6 / 1e-8 / the bar (all, and sized), what a calibrated
null allows, the smallest p of a sized pair, the chosen k and the time of the clustering and the
test. `--world` is one of bench/blocs_calibration.py's honest-only worlds (`plant_nothing`).
`--planted W` instead generates world W with its planted blocs (bench/blocs_quality.py's generators)
and prints what the test would add (see `planted_run`). `--worst N` prints the N strongest sized
pairs of each conference.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from scipy.cluster.vq import kmeans2
from scipy.sparse import csr_matrix, diags
from scipy.sparse.linalg import eigsh
from scipy.stats import poisson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.domain.blocs_signals import OPPOSE, TOP, context_build
from bench.blocs_calibration import WORLDS, plant_nothing, seeds_parse
from bench.blocs_pairs_diag import pair_tests, summary

WAYS = {1: "up", TOP: "top"}
KS = (1, 2, 4, 8, 16, 32, 48, 64)
EPS = 1e-9
PRIOR_VOTES = 1.0  # pseudo-votes per voter, spread as the conference-wide taste mixture
PRIOR_TALK = 0.1  # pseudo-votes per talk and taste
N_EIGEN = 30  # eigenvalues looked at (at most 29 tastes besides the trivial one)
SHUFFLES = 3
K_RULE = "horn"  # or "edge": every eigenvalue above the largest shuffled second one (the first rule tried)
MIN_CLUSTER = 5  # talks; a smaller cluster is not a taste


def kl_nmf(X: csr_matrix, k: int, seed: int, iters: int = 150, tol: float = 1e-7):
    """Poisson low-rank factorisation X ≈ W·H (W ≥ 0 voters × k, H ≥ 0 k × talks, rows of H sum to 1)
    by the multiplicative updates for the Kullback-Leibler divergence (each is an EM step of PLSA).
    Only the nonzero cells of X are touched. Deterministic for a seed."""
    rng = np.random.default_rng(seed)
    n_v, n_t = X.shape
    rows, cols = X.nonzero()
    vals = np.asarray(X[rows, cols]).ravel()
    row_sum = np.asarray(X.sum(axis=1)).ravel()
    col_sum = np.asarray(X.sum(axis=0)).ravel()
    H = (col_sum + 1.0)[None, :] * rng.uniform(0.5, 1.5, size=(k, n_t))
    H /= H.sum(axis=1, keepdims=True)
    W = row_sum[:, None] * rng.dirichlet(np.ones(k), size=n_v)
    last = -np.inf
    for _ in range(iters):
        fit = np.einsum("ik,ik->i", W[rows], H[:, cols].T) + EPS
        R = csr_matrix((vals / fit, (rows, cols)), shape=(n_v, n_t))
        # EM step with pseudo-votes: each voter's taste mixture gets PRIOR_VOTES votes spread as the
        # whole conference's mixture, then is scaled back to the voter's own number of votes.
        W *= np.asarray(R @ H.T)  # (X/WH)·Hᵀ; Hᵀ's column sums are 1
        mix = W.sum(axis=0) / (W.sum() + EPS)
        W += PRIOR_VOTES * mix[None, :]
        W *= (row_sum / (W.sum(axis=1) + EPS))[:, None]
        fit = np.einsum("ik,ik->i", W[rows], H[:, cols].T) + EPS
        R = csr_matrix((vals / fit, (rows, cols)), shape=(n_v, n_t))
        H *= np.asarray(R.T @ W).T
        H += PRIOR_TALK
        H /= H.sum(axis=1, keepdims=True)
        ll = float((vals * np.log(fit)).sum())
        if ll - last < tol * abs(ll):
            break
        last = ll
    return W, H


def choose_k(X: csr_matrix, seed: int) -> tuple[int, dict[int, float]]:
    """k with the best held-out log-likelihood: 10% of the votes held out (fixed seed), each held-out
    vote scored by log(its voter's fitted share of that talk)."""
    rng = np.random.default_rng(seed)
    coo = X.tocoo()
    held = rng.random(coo.nnz) < 0.1
    train = csr_matrix((coo.data[~held], (coo.row[~held], coo.col[~held])), shape=X.shape)
    hv, ht = coo.row[held], coo.col[held]
    scores: dict[int, float] = {}
    for k in KS:
        if k > 32 and scores[max(scores)] < max(scores.values()):
            break
        W, H = kl_nmf(train, k, seed)
        share = W / (W.sum(axis=1, keepdims=True) + EPS)
        p = np.einsum("ik,ik->i", share[hv], H[:, ht].T)
        scores[k] = float(np.log(np.maximum(p, 1e-12)).mean())
    return max(scores, key=scores.get), scores


def _normalised_co_support(X: csr_matrix):
    """D^-1/2 · C · D^-1/2 with C = XᵀX without its diagonal (talk × talk co-support), D its row sums."""
    C = (X.T @ X).tocsr().astype(np.float64)
    C.setdiag(0)
    C.eliminate_zeros()
    deg = np.asarray(C.sum(axis=1)).ravel()
    inv = np.where(deg > 0, 1.0 / np.sqrt(np.maximum(deg, EPS)), 0.0)
    return diags(inv) @ C @ diags(inv)


def _top_eigen(N, n: int):
    vals, vecs = eigsh(N, k=n, which="LA", v0=np.ones(N.shape[0]))
    order = np.argsort(-vals)
    return vals[order], vecs[:, order]


def _shuffled(X: csr_matrix, rng) -> csr_matrix:
    """The same votes with their talks shuffled among them: every voter keeps their number of votes and
    every talk its number, and nothing else is kept (no taste)."""
    coo = X.tocoo()
    cols = coo.col.copy()
    rng.shuffle(cols)
    Y = csr_matrix((np.ones(len(cols)), (coo.row, cols)), shape=X.shape)
    Y.sum_duplicates()
    Y.data[:] = 1.0
    return Y


def talk_clusters(X: csr_matrix, seed: int, k_fixed: int = 0):
    """Data-derived talk clusters (tastes). Their number: 1 + the eigenvalues of the normalised
    co-support matrix above the largest one (past the trivial 1) of SHUFFLES shuffled copies of the
    votes — structure that voters' and talks' vote counts alone do not make. The clusters: k-means
    (best of 5 starts) on those eigenvectors, rows scaled to unit length. A cluster of fewer than
    MIN_CLUSTER talks is not a taste (it could be a bloc's own talks): its talks join the nearest
    other cluster. Returns (labels per talk, k, eigenvalues, edge)."""
    rng = np.random.default_rng(seed)
    n_t = X.shape[1]
    n_eig = min(N_EIGEN, n_t - 2)
    vals, vecs = _top_eigen(_normalised_co_support(X), n_eig)
    if K_RULE == "edge":
        edge = max(_top_eigen(_normalised_co_support(_shuffled(X, rng)), 3)[0][1] for _ in range(SHUFFLES))
        k = 1 + int((vals[1:] > edge).sum())
    else:  # Horn's parallel analysis: the i-th eigenvalue against the largest i-th of the shuffled copies
        shuffled = [_top_eigen(_normalised_co_support(_shuffled(X, rng)), n_eig)[0] for _ in range(SHUFFLES)]
        edge = np.max(shuffled, axis=0)
        above = vals[1:] > edge[1:]
        k = 1 + (int(np.argmin(above)) if not above.all() else len(above))
    k = k_fixed or k
    if k == 1:
        return np.zeros(n_t, dtype=np.int64), 1, vals, edge
    emb = vecs[:, 1:k]
    emb = emb / (np.linalg.norm(emb, axis=1, keepdims=True) + EPS)
    best = None
    for start in range(5):
        cent, lab = kmeans2(emb, k, seed=seed * 10 + start, minit="++")
        inertia = float(((emb - cent[lab]) ** 2).sum())
        if best is None or inertia < best[0]:
            best = (inertia, cent, lab)
    _inertia, cent, lab = best
    sizes = np.bincount(lab, minlength=k)
    big = np.nonzero(sizes >= MIN_CLUSTER)[0]
    small = np.isin(lab, np.nonzero(sizes < MIN_CLUSTER)[0])
    if small.any():
        dist = ((emb[small][:, None, :] - cent[big][None, :, :]) ** 2).sum(axis=2)
        lab[small] = big[dist.argmin(axis=1)]
    _u, lab = np.unique(lab, return_inverse=True)
    return lab.astype(np.int64), int(lab.max()) + 1, vals, edge


def cluster_taste(X: csr_matrix, lab: np.ndarray, k: int):
    """W (voters × k) and H (k × talks) of the cluster null: H[c, t] = t's share of its cluster's votes
    (t outside c: 0); W[v, c] = v's votes × v's smoothed share of their votes in cluster c (PRIOR_VOTES
    pseudo-votes spread as the conference's shares of the clusters)."""
    n_t = X.shape[1]
    onehot = csr_matrix((np.ones(n_t), (np.arange(n_t), lab)), shape=(n_t, k))
    col = np.asarray(X.sum(axis=0)).ravel() + 0.5
    per = np.bincount(lab, weights=col, minlength=k)
    H = np.zeros((k, n_t))
    H[lab, np.arange(n_t)] = col / per[lab]
    counts = np.asarray((X @ onehot).todense())
    n = counts.sum(axis=1)
    pi = per / per.sum()
    W = n[:, None] * (counts + PRIOR_VOTES * pi[None, :]) / (n[:, None] + PRIOR_VOTES)
    return W, H


def taste_tests(data, rule, seed: int, k_fixed: int = 0, model: str = "clusters"):
    """Per way: (a, b, observed, expected, log_p, k, W, H, X) for every pair with a co-supporter."""
    ctx = context_build(data, rule)
    n_v, n_t = data.n_voters, data.n_talks
    out = {}
    if model == "clusters":
        # Tastes from which talks each voter chose to rate (any score): the most data, the same for every way.
        R = csr_matrix((np.ones(len(data.vote_voter)), (data.vote_voter, data.vote_talk)), shape=(n_v, n_t))
        R.sum_duplicates()
        R.data[:] = 1.0
        lab, k, _vals, _edge = talk_clusters(R, seed, k_fixed)
    for d in ctx.tested:
        if d == OPPOSE:
            continue
        sel = ctx.votes_in(d)
        X = csr_matrix((np.ones(len(sel)), (data.vote_voter[sel], data.vote_talk[sel])), shape=(n_v, n_t))
        X.sum_duplicates()
        X.data[:] = 1.0
        if model == "clusters":
            W, H = cluster_taste(X, lab, k)
        else:
            k = k_fixed or choose_k(X, seed)[0]
            W, H = kl_nmf(X, k, seed)
        E = np.zeros((n_t, n_t))
        for lo in range(0, n_v, 4000):
            P = np.minimum(1.0, W[lo : lo + 4000] @ H)
            E += P.T @ P
        C = (X.T @ X).tocoo()
        keep = C.row < C.col
        a, b, obs = C.row[keep].astype(np.int64), C.col[keep].astype(np.int64), C.data[keep].astype(np.int64)
        exp = E[a, b]
        log_p = poisson.logsf(obs - 1, np.maximum(exp, 1e-12))
        out[d] = (a, b, obs, exp, log_p, k, W, H, X)
    return out


def planted_run(conf, rule, seed: int):
    """What the taste-null pair test would add on a world with planted blocs: per planted kind, the
    (member, pushed talk) the current detector (default rule) misses and how many of them co-support,
    on that talk, a sized pair past the bar; honest voters' (voter, talk) the pairs past the bar would
    reach (all of them, and those the detector does not already flag); the pairs past the bar by the
    most common kind among their co-supporters; and whether a planted pushed talk sits in a cluster of
    its own (the guard against a bloc becoming a taste)."""
    from apps.ballots.domain.blocs import blocs_detect

    data = conf.data
    ids_t, ids_v = np.asarray(data.talk_ids), np.asarray(data.voter_ids)
    tests = taste_tests(data, rule, seed)
    n_tests = sum(len(t[0]) for t in tests.values())
    bar = np.log(rule.alpha / max(1, n_tests))
    reached: set[tuple[int, int]] = set()
    passing = []
    for d, (a, b, obs, exp, log_p, _k, _W, _H, X) in tests.items():
        X = X.tocsc()
        big = (obs >= rule.min_members) & (obs >= rule.min_ratio * exp) & (log_p <= bar)
        for j in np.nonzero(big)[0]:
            both = np.intersect1d(X[:, a[j]].indices, X[:, b[j]].indices)
            passing.append((d, int(a[j]), int(b[j]), both))
            for v in both.tolist():
                reached.add((int(ids_v[v]), int(ids_t[a[j]])))
                reached.add((int(ids_v[v]), int(ids_t[b[j]])))
    found = {(v, b.talk_id) for b in blocs_detect(data, rule).blocs if b.direction == "support" for v in b.member_ids}
    planted_voters = {v for g in conf.blocs for v in g.member_ids}
    per_kind: dict[str, list[int]] = {}
    for g in conf.blocs:
        if g.direction != "support" or g.boosted_talk is None:
            continue
        row = per_kind.setdefault(g.kind, [0, 0, 0])
        for m in g.member_ids:
            row[0] += 1
            if (m, g.boosted_talk) not in found:
                row[1] += 1
                row[2] += (m, g.boosted_talk) in reached
    honest = [(v, t) for v, t in reached if v not in planted_voters]
    honest_new = [x for x in honest if x not in found]
    who = {}
    for g in list(conf.blocs) + list(getattr(conf, "honest_groups", ())):
        for v in g.member_ids:
            who.setdefault(int(np.searchsorted(ids_v, v)), g.kind)
    kinds: dict[str, int] = {}
    for _d, _a, _b, both in passing:
        ks = [who.get(int(v), "plain") for v in both]
        top = max(sorted(set(ks)), key=ks.count)
        kinds[top] = kinds.get(top, 0) + 1
    return per_kind, len(honest), len(honest_new), len({v for v, _t in honest_new}), kinds, n_tests, tests


def _row(tests, rule):
    return summary({d: (*t[:5], None) for d, t in tests.items()}, rule)[0]


def _fmt(row) -> str:
    return (
        f"{row['tests']:,} tests, p<=1e-4 {row['1e-4'][0]} ({row['1e-4'][1]}), 1e-6 {row['1e-6'][0]} "
        f"({row['1e-6'][1]}), 1e-8 {row['1e-8'][0]} ({row['1e-8'][1]}), bar {row['bar_p']:.2g}: "
        f"{row['bar'][0]} ({row['bar'][1]}); allowed {1e-4 * row['tests']:.3g} / {1e-6 * row['tests']:.2g} / "
        f"{1e-8 * row['tests']:.2g}; smallest sized p 1e{row['min_log_p'] / np.log(10):.1f}"
    )


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--world", choices=sorted(WORLDS), default="seen")
    p.add_argument("--size", default="small")
    p.add_argument("--seeds", default="1-3")
    p.add_argument("--worst", type=int, default=0, help="print the N strongest sized pairs under the taste null")
    p.add_argument("--k", type=int, default=0, help="a fixed number of tastes instead of the held-out choice")
    p.add_argument("--model", choices=["clusters", "nmf"], default="clusters")
    p.add_argument("--k-rule", choices=["horn", "edge"], default="horn", help="how many clusters (see talk_clusters)")
    p.add_argument(
        "--planted",
        choices=["unseen", "fresh", "fresh2", "fresh3", "fresh4"],
        help="instead of an honest-only world: this world with its planted blocs (step 2, recall)",
    )
    p.add_argument("--no-independence", action="store_true", help="skip round 15's null (faster)")
    args = p.parse_args()
    rule = BlocRule.from_json({})
    seeds = seeds_parse(args.seeds)
    global K_RULE
    K_RULE = args.k_rule
    if args.planted:
        _planted_main(args, rule, seeds)
        return
    totals = {"ind": [], "taste": []}
    for seed in seeds:
        conf = WORLDS[args.world](args.size, seed, plant=plant_nothing)
        data = conf.data
        if not args.no_independence:
            row = summary(pair_tests(data, rule), rule)[0]
            totals["ind"].append(row)
            print(f"seed {seed} independence: {_fmt(row)}", flush=True)
        t0 = time.perf_counter()
        tests = taste_tests(data, rule, seed, args.k, args.model)
        took = time.perf_counter() - t0
        row = _row(tests, rule)
        totals["taste"].append(row)
        ks = ", ".join(f"{WAYS[d]} k={t[5]}" for d, t in tests.items())
        print(f"seed {seed} taste ({ks}; {took:.1f}s): {_fmt(row)}", flush=True)
        if args.worst:
            bar = np.log(rule.alpha / max(1, row["tests"]))
            for d, (a, b, obs, exp, log_p, _k, _W, H, X) in tests.items():
                big = (obs >= rule.min_members) & (obs >= rule.min_ratio * exp)
                for j in np.argsort(np.where(big, log_p, 0.0))[: args.worst]:
                    if big[j]:
                        on = H[:, a[j]] + H[:, b[j]]
                        print(
                            f"    {WAYS[d]} talks {data.talk_ids[a[j]]},{data.talk_ids[b[j]]}: {obs[j]} vs "
                            f"{exp[j]:.3g} (p = {np.exp(log_p[j]):.2g}{', PAST THE BAR' if log_p[j] <= bar else ''}); "
                            f"votes that way {X[:, a[j]].nnz}/{X[:, b[j]].nnz}; largest taste share on the pair "
                            f"{on.max():.3f}"
                        )
    n = len(seeds)
    print(f"\n{args.world} {args.size} seeds {args.seeds} ({n} honest-only conferences)")
    for name, rows in totals.items():
        if not rows:
            continue
        flagged = sum(r["bar"][1] > 0 for r in rows)
        tests = sum(r["tests"] for r in rows)
        lv = np.array([r["min_log_p"] / np.log(10) for r in rows])
        print(
            f"  {name}: {tests / n:,.0f} tests per conference; p<=1e-4 {sum(r['1e-4'][0] for r in rows)} / allowed "
            f"{1e-4 * tests:.3g}; p<=1e-6 {sum(r['1e-6'][0] for r in rows)} / {1e-6 * tests:.2g}; p<=1e-8 "
            f"{sum(r['1e-8'][0] for r in rows)} / {1e-8 * tests:.2g}; conferences with a sized pair past the "
            f"bar: {flagged} of {n}; smallest sized p 1e{lv.min():.1f}"
        )


def _planted_main(args, rule, seeds) -> None:
    from bench.blocs_quality import GENERATORS

    generate = GENERATORS[args.planted][1]
    total: dict[str, list[int]] = {}
    h_all = h_new = h_voters = 0
    for seed in seeds:
        t0 = time.perf_counter()
        conf = generate(args.size, seed)
        per_kind, n_h, n_new, n_hv, kinds, n_tests, tests = planted_run(conf, rule, seed)
        ks = ", ".join(f"{WAYS[d]} k={t[5]}" for d, t in tests.items())
        print(
            f"seed {seed} ({ks}; {n_tests:,} tests; {time.perf_counter() - t0:.1f}s): "
            + "; ".join(f"{k} missed {r[1]} of {r[0]}, reached {r[2]}" for k, r in sorted(per_kind.items()))
            + f"; honest (voter, talk) reached {n_h}, not already flagged {n_new} ({n_hv} voters); "
            f"pairs past the bar by kind {kinds}",
            flush=True,
        )
        for k, r in per_kind.items():
            t = total.setdefault(k, [0, 0, 0])
            for i in range(3):
                t[i] += r[i]
        h_all, h_new, h_voters = h_all + n_h, h_new + n_new, h_voters + n_hv
    print(f"\n{args.planted} {args.size} seeds {args.seeds} (planted)")
    for k, r in sorted(total.items()):
        print(f"  {k}: {r[0]} (member, pushed talk); missed by the detector {r[1]}; of them reached by a pair {r[2]}")
    print(f"  honest (voter, talk) reached: {h_all}; not already flagged by the detector: {h_new} ({h_voters} voters)")


if __name__ == "__main__":
    main()
