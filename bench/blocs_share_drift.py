"""How far an honest talk's share of the site's votes moves over days (honest-only conferences).

The burst null (apps/ballots/domain/blocs_bursts.py) predicts a window's votes on a talk from the
talk's share of all votes times the site's votes in the window, so it assumes that share constant.
Over an hour that is close to true; whether it still holds over three or seven days decides whether
longer burst windows can be judged by the same null (docs/blocs.md, round 24).

For each talk with at least `--min-votes` votes, the vote period is cut into consecutive blocks of
w hours. The talk's count in each block is compared with its total times the block's share of all
votes (the share known, not estimated). The Pearson dispersion is the sum of (count - prediction)^2 /
prediction over talk-blocks, divided by (blocks - 1) per talk: about 1 when each talk's votes follow
site-wide activity with a constant share, above 1 when shares drift (or voters come in groups).

    python bench/blocs_share_drift.py --world fresh3 --seeds 1-10
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.blocs_calibration import WORLDS, plant_nothing, seeds_parse

HOURS = (1, 4, 24, 72, 168)


def dispersion_terms(vote_at: np.ndarray, vote_talk: np.ndarray, n_talks: int, hours: float, min_votes: int):
    """(sum of Pearson terms, degrees of freedom) of one conference for blocks of `hours`."""
    block = (vote_at - vote_at.min()) // round(hours * 3600)
    n_blocks = int(block.max()) + 1
    site = np.bincount(block, minlength=n_blocks).astype(float)
    counts = np.zeros((n_talks, n_blocks))
    np.add.at(counts, (vote_talk, block), 1)
    total = counts.sum(axis=1, keepdims=True)
    kept = total[:, 0] >= min_votes
    observed, predicted = counts[kept], (total * site / site.sum())[kept]
    positive = predicted > 0
    terms = (observed[positive] - predicted[positive]) ** 2 / predicted[positive]
    return float(terms.sum()), int(kept.sum()) * (n_blocks - 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--world", choices=sorted(WORLDS), default="seen")
    parser.add_argument("--size", choices=["small", "medium", "large"], default="small")
    parser.add_argument("--seeds", default="1-10")
    parser.add_argument("--min-votes", type=int, default=10)
    args = parser.parse_args()
    sums = {h: [0.0, 0] for h in HOURS}
    for seed in seeds_parse(args.seeds):
        data = WORLDS[args.world](args.size, seed, plant=plant_nothing).data
        for h in HOURS:
            chi, df = dispersion_terms(data.vote_at, data.vote_talk, data.n_talks, h, args.min_votes)
            sums[h][0] += chi
            sums[h][1] += df
    print(f"{args.world} {args.size}, seeds {args.seeds}, talks with at least {args.min_votes} votes")
    print("| block | Pearson dispersion |")
    print("|---|---|")
    for h in HOURS:
        print(f"| {h} h | {sums[h][0] / max(1, sums[h][1]):.2f} |")


if __name__ == "__main__":
    main()
