"""How often honest voters alone produce a bloc: the false-bloc rate per signal (docs/blocs.md, round 9).

    .venv/bin/python bench/blocs_calibration.py --size small --seeds 1-60
    .venv/bin/python bench/blocs_calibration.py --size medium --seeds 1-12 --rule '{"order_colleagues": false}'
    .venv/bin/python bench/blocs_calibration.py --world fresh --size small --seeds 1-30

Each conference is the seen generator's (bench/blocs_synthetic.py) with nothing planted: its honest
voters, with the honest correlation that generator builds in (friends on small orders voting together
with one favourite track, company orders, colleagues who like their colleague's talk). `alpha`
promises that each signal flags anything at all in about alpha of such conferences (1 in 100 by
default). Colleagues of the speaker are flagged on purpose (loyalty is the rule's concern, and the
bound keeps their fair share), so blocs that include colleagues of the speaker are counted apart.
A bloc counts for every signal among its evidence; a conference counts for a signal when any bloc
outside colleagues carries it. `--world fresh` takes bench/blocs_fresh.py's honest world instead (its own
popularity model, ballot lengths, time zones, company spellings and honest groups: meetups, university
classes, couples, proud colleagues), with nothing planted. Printed: per seed the blocs found outside
colleagues (with their strongest sentence), then per signal the conferences with any bloc.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.ballots.domain.blocs import blocs_detect
from apps.ballots.domain.blocs_input import SIGNALS, BlocRule
from bench.blocs_fresh import fresh_conference
from bench.blocs_synthetic import synthetic_conference

WORLDS = {"seen": synthetic_conference, "fresh": fresh_conference}


def plant_nothing(*_args, **_kwargs):
    """A planting function that plants nothing: the honest conference alone."""
    return [], []


def seeds_parse(text: str) -> list[int]:
    """'1-60' or '1,4,7' or '3'."""
    out: list[int] = []
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        out += list(range(int(lo), int(hi or lo) + 1))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=["small", "medium", "large"], default="small")
    parser.add_argument("--seeds", default="1-60")
    parser.add_argument("--rule", default="{}", help="bloc rule keys as JSON")
    parser.add_argument("--quiet", action="store_true", help="only the summary")
    parser.add_argument(
        "--world", choices=sorted(WORLDS), default="seen", help="the honest world: blocs_synthetic's or blocs_fresh's"
    )
    args = parser.parse_args()
    rule = BlocRule.from_json(json.loads(args.rule))
    seeds = seeds_parse(args.seeds)
    flagged: dict[str, list[int]] = {s: [] for s in (*SIGNALS, "colleagues")}
    outside_total = 0
    seconds = 0.0
    for seed in seeds:
        conf = WORLDS[args.world](args.size, seed, plant=plant_nothing)
        started = time.perf_counter()
        blocs = blocs_detect(conf.data, rule).blocs
        seconds += time.perf_counter() - started
        signals_here: set[str] = set()
        outside = [b for b in blocs if not b.colleagues_of_speaker]
        outside_total += len(outside)
        for b in blocs:
            signals_here |= {e.signal for e in b.evidence} if not b.colleagues_of_speaker else {"colleagues"}
        for s in signals_here:
            flagged[s].append(seed)
        if not args.quiet:
            colleagues = len(blocs) - len(outside)
            print(f"seed {seed}: {len(outside)} blocs outside colleagues ({colleagues} colleague blocs)")
            for b in outside:
                print(f"    talk {b.talk_id} {b.direction}, {b.size} members: {b.evidence[0].sentence}")
    n = len(seeds)
    print(
        f"\n{args.world} world, {args.size}, seeds {args.seeds} ({n} honest-only conferences), rule {args.rule}; "
        f"detection {seconds / max(1, n):.2f} s per conference"
    )
    print("| signal | conferences with any bloc | rate | seeds |")
    print("|---|---|---|---|")
    for s, hit in flagged.items():
        if s in rule.signals or (s == "colleagues" and "affiliation" in rule.signals):
            shown = ", ".join(map(str, hit[:12])) + (" …" if len(hit) > 12 else "")
            note = " (on purpose)" if s == "colleagues" else ""
            print(f"| {s}{note} | {len(hit)} of {n} | {len(hit) / max(1, n):.1%} | {shown} |")
    print(f"blocs outside colleagues in all: {outside_total}")


if __name__ == "__main__":
    main()
