"""How many (talk, organisation) links the wider links add (`speaker_links: registrable`,
`organisation_pairs: plurality`) on each world's generated conferences: where the count is 0 for every
seed, `linked_groups` cannot change a single finding there (docs/blocs.md, round 39).

    .venv/bin/python bench/blocs_links_count.py --worlds seen,unseen,fresh --sizes small,medium --seeds 1-3
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.ballots.domain.blocs_organisations import organisations_build
from bench.blocs_calibration import WORLDS, plant_nothing, seeds_parse
from bench.blocs_quality import GENERATORS


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worlds", default=",".join(GENERATORS))
    parser.add_argument("--sizes", default="small,medium")
    parser.add_argument("--seeds", default="1-3")
    parser.add_argument("--honest", action="store_true", help="the honest-only worlds of blocs_calibration.py")
    args = parser.parse_args()
    for world in args.worlds.split(","):
        for size in args.sizes.split(","):
            counts = []
            for seed in seeds_parse(args.seeds):
                if args.honest:
                    data = WORLDS[world](size, seed, plant=plant_nothing).data
                else:
                    data = GENERATORS[world][1](size, seed).data
                orgs = organisations_build(data, wide_links=len(data.talk_domain_wide) > 0, plurality=True)
                counts.append(len(orgs.link_notes))
            print(f"{world} {size} seeds {args.seeds}: wider links {counts}", flush=True)


if __name__ == "__main__":
    main()
