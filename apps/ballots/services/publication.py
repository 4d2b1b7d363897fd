"""Publishing a tally as a run the organizer watches (the worker does it: 45-55 s for the large demo's
million receipts, longer than a request may take). The run goes through the lifecycle of services/runs.py
— one live publication per conference, so two organizers who press "Publish" together get the same run —
and reports each step (STEPS): detection, the tally, the bulletin board read, chained and stored (every
50,000 receipts), the anonymised ballots, the commit. It ends with the published snapshot, or with the
reason it failed and nothing published.

Detection first: recorded as a detection run of its own (trigger "publication", its progress shown on
both pages) when none is live; when one is queued or running, the publication detects without recording
a run, as the tally task does — after the running one, since runs of a conference take turns
(`conference_turn`). The publication keeps its turn until it has published, so a decision made meanwhile
is applied by the detection after it."""

from __future__ import annotations

import datetime as dt

from apps.talks.models import Conference

from ..models import BlocDetectionRun, TallyPublicationRun, TallySnapshot
from .bloc_runs import bloc_detection_now
from .blocs import BlocRefresh, tally_publish_with_blocs
from .runs import RunKind, RunProgress

# The steps a publication reports, in order (each run records the seconds of each in `step_seconds`).
STEPS = (
    "waiting for its turn",
    "detection",
    "tally",
    "board read",
    "chain",
    "board store",
    "anonymised ballots",
    "commit",
)
# The large demo publishes in about a minute; the board's million receipts report every 50,000.
PUBLICATION = RunKind(
    model=TallyPublicationRun,
    task="tally_publication_run",
    failure="Publication failed",
    stale_after=dt.timedelta(minutes=10),
)


def tally_publication_start(*, conference: Conference, by=None) -> tuple[TallyPublicationRun, bool]:
    """Queues the publication for the worker (after the transaction commits), or returns the one already
    queued or running for the conference (created False). When the queue cannot be reached the run is
    marked failed with that reason."""
    return PUBLICATION.start(conference=conference, by=by)


def tally_publication_execute(*, run_id: int) -> str:
    """Runs a queued publication to its end (the worker's task). Returns what happened, in a word."""
    return "skipped" if PUBLICATION.execute(run_id, _publish, _outcome) is None else "succeeded"


def _publish(run: TallyPublicationRun, run_progress: RunProgress) -> TallySnapshot:
    def detect(*, conference: Conference, progress) -> BlocRefresh:
        return bloc_detection_now(
            conference=conference,
            trigger=BlocDetectionRun.Trigger.PUBLICATION,
            by=run.created_by,
            progress=progress,
            recorded=lambda detection: run_progress.record(detection=detection),
        )

    return tally_publish_with_blocs(conference=run.conference, progress=run_progress, detect=detect)


def _outcome(snapshot: TallySnapshot, steps: dict[str, float]) -> dict:
    return {"snapshot": snapshot, "step_seconds": steps}
