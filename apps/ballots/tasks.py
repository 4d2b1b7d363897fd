"""Celery tasks of the ballots app: thin wrappers around services."""

from celery import shared_task
from django.core.mail import send_mail
from django.urls import reverse

from apps.talks.models import Conference

from .models import BallotReceipt


@shared_task(name="ballots.tally_snapshot_compute")
def tally_snapshot_compute(conference_id: int) -> int:
    """Bloc detection runs with every recomputation (recorded as a run); the snapshot bounds the blocs."""
    from .models import BlocDetectionRun
    from .services.bloc_runs import bloc_detection_now

    conference = Conference.objects.get(pk=conference_id)
    return bloc_detection_now(conference=conference, trigger=BlocDetectionRun.Trigger.TALLY).snapshot.pk


@shared_task(name="ballots.bloc_detection_run")
def bloc_detection_run(run_id: int) -> str:
    """An organizer's "Detect now": detection, then the tally, with progress on the run's row."""
    from .services.bloc_runs import bloc_detection_execute

    return bloc_detection_execute(run_id=run_id)


@shared_task(name="ballots.tally_publication_run")
def tally_publication_run(run_id: int) -> str:
    """An organizer's "Publish": detection, the tally, the bulletin board, the anonymised ballots, with
    progress on the run's row."""
    from .services.publication import tally_publication_execute

    return tally_publication_execute(run_id=run_id)


@shared_task(name="ballots.bloc_detection_after_decision")
def bloc_detection_after_decision(conference_id: int, by_id: int | None = None) -> int:
    """A decision made while a run was running: detection again once that run has ended."""
    from .services.bloc_runs import bloc_detection_after_decision as follow

    return follow(conference_id=conference_id, by_id=by_id)


@shared_task(name="ballots.tally_refresh_open")
def tally_refresh_open() -> int:
    """Beat: a fresh snapshot for every conference whose vote is open (a no-op when nothing changed)."""
    ids = list(Conference.objects.filter(status=Conference.Status.VOTING).values_list("pk", flat=True))
    for conference_id in ids:
        tally_snapshot_compute.delay(conference_id)
    return len(ids)


@shared_task(name="ballots.receipt_email_send")
def receipt_email_send(receipt_id: int) -> None:
    receipt = BallotReceipt.objects.select_related("ballot__user", "ballot__conference").get(pk=receipt_id)
    conference = receipt.ballot.conference
    path = reverse("ballots:receipts", kwargs={"slug": conference.slug})
    send_mail(
        subject=f"[confvote] Your ballot receipt for {conference.name}",
        message=(
            f"Your ballot at {conference.name} changed ({receipt.vote_count} votes on it now).\n\n"
            f"Receipt: {receipt.code}\n\n"
            "Keep it: once the tally is published you can look it up on the public bulletin board and see that "
            "your ballot was counted, and with what weight. The receipt reveals nothing about your votes to "
            f"anyone else. Your receipts and how to verify them: {path}\n"
        ),
        from_email=None,
        recipient_list=[receipt.ballot.user.email],
    )
