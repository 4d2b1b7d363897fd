"""Celery tasks of the scheduling app: thin wrappers around apps/scheduling/proposals.py."""

from celery import shared_task

from . import proposals

# The run enforces its own limit (parameters, at most 30 minutes); these are the pool's last resort.
HARD_TIME_LIMIT = int(proposals.MAX_TIME_LIMIT + 5 * 60)


@shared_task(name="scheduling.proposal_run", acks_late=True, reject_on_worker_lost=True, time_limit=HARD_TIME_LIMIT)
def proposal_run(proposal_id: int) -> str:
    return proposals.proposal_run(proposal_id=proposal_id)


@shared_task(name="scheduling.proposals_recover")
def proposals_recover() -> int:
    return proposals.proposals_recover()
