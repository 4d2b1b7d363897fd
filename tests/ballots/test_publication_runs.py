"""Publishing the tally as a run: the admin queues it and shows its progress and result, one live
publication per conference, all or nothing when a step fails, the queue down, permissions, the API,
and a real worker on PostgreSQL + Redis."""

import contextlib
import json

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from apps.ballots import services
from apps.ballots.models import (
    AnonymisedBallotsDocument,
    BallotReceipt,
    BlocDetectionRun,
    BulletinEntry,
    TallyPublicationRun,
    TallySnapshot,
)
from apps.ballots.services.bloc_runs import bloc_detection_create
from apps.ballots.services.publication import STEPS as PUBLICATION_STEPS
from apps.ballots.services.publication import tally_publication_execute, tally_publication_start
from apps.talks.services import api_token_create
from tests.conftest import wait_for
from tests.factories import ConferenceFactory, PledgeFactory, TalkFactory, TicketClaimFactory, UserFactory
from tests.test_faults import broker_down  # noqa: F401 (the fixture)

STEPS = set(PUBLICATION_STEPS)


def voted_conference(slug: str = "pubconf"):
    """Two talks, a ticket holder who changed their mind, a pledger: five receipts."""
    conference = ConferenceFactory(slug=slug)
    a, b = TalkFactory(conference=conference), TalkFactory(conference=conference)
    holder = TicketClaimFactory(ticket__conference=conference).user
    pledger = PledgeFactory(conference=conference).user
    for user, talk, score in ((holder, a, 3), (holder, b, 1), (holder, a, 2), (pledger, a, 1), (pledger, b, 3)):
        services.vote_cast(user=user, conference=conference, talk_id=talk.pk, score=score)
    services.tally_snapshot_compute(conference=conference)
    return conference


@pytest.fixture
def conference(db):
    return voted_conference()


def publish_action(client, conference, **kwargs):
    snapshot = TallySnapshot.objects.filter(conference=conference).first()
    return client.post(
        reverse("admin:ballots_tallysnapshot_changelist"),
        {"action": "publish", "_selected_action": [snapshot.pk]},
        **kwargs,
    )


@contextlib.contextmanager
def document_write_fails():
    """The database refuses to write the anonymised ballots document — the last write of a publication,
    after the board is stored — as a full disk would."""
    table = AnonymisedBallotsDocument._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION test_disk_full() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'could not extend file: No space left on device'; END $$"
            )
            cursor.execute(f"CREATE TRIGGER test_disk_full BEFORE UPDATE ON {table} EXECUTE FUNCTION test_disk_full()")
        else:
            cursor.execute(
                f"CREATE TRIGGER test_disk_full BEFORE UPDATE ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'could not extend file: No space left on device'); END"
            )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS test_disk_full ON {table}")
                cursor.execute("DROP FUNCTION IF EXISTS test_disk_full()")
            else:
                cursor.execute("DROP TRIGGER IF EXISTS test_disk_full")


@pytest.mark.django_db
def test_the_admin_action_queues_a_publication_and_its_page_shows_the_result(
    conference, staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the task runs in-process here (eager)
        answer = publish_action(staff_client, conference)
    run = TallyPublicationRun.objects.get()
    assert answer.url == reverse("admin:ballots_tallypublicationrun_change", args=[run.pk])
    page = staff_client.get(answer.url).content.decode()
    assert "the publication is queued" in page
    assert (run.status, run.progress_percent, run.phase, run.error) == ("succeeded", 100, "done", "")
    assert run.created_by.is_staff and run.seconds is not None
    snapshot = run.snapshot
    assert snapshot.published_at is not None and snapshot.bulletin_size == 5
    assert BulletinEntry.objects.filter(snapshot=snapshot).count() == 5 == BallotReceipt.objects.count()
    assert AnonymisedBallotsDocument.objects.get(conference=conference).etag
    assert set(run.step_seconds) == STEPS and all(s >= 0 for s in run.step_seconds.values())
    # Its detection is recorded as a detection run, and the run says which.
    assert run.detection.trigger == "publication" and run.detection.status == "succeeded"
    assert run.detection.snapshot_id == snapshot.pk
    # The page after the redirect: the result and a link to the published tally, no refresh.
    assert "Published:" in page and reverse("admin:ballots_tallysnapshot_change", args=[snapshot.pk]) in page
    assert 'http-equiv="refresh"' not in page and "bulletin board of 5 receipts" in page
    listing = staff_client.get(reverse("admin:ballots_tallypublicationrun_changelist")).content.decode()
    assert f"Tally of {conference}" in listing
    for filters in ({"status__exact": "succeeded"}, {"conference__id__exact": conference.pk}):
        filtered = staff_client.get(reverse("admin:ballots_tallypublicationrun_changelist"), filters)
        assert filtered.status_code == 200 and len(filtered.context["cl"].result_list) == 1
    failed = staff_client.get(reverse("admin:ballots_tallypublicationrun_changelist"), {"status__exact": "failed"})
    assert len(failed.context["cl"].result_list) == 0


@pytest.mark.django_db
def test_the_steps_report_in_order_and_the_board_in_chunks(conference):
    from apps.ballots.domain.bulletin import BoardEntry, bulletin_chain
    from apps.ballots.services.blocs import tally_publish_with_blocs

    seen = []
    tally_publish_with_blocs(conference=conference, progress=lambda phase, percent: seen.append((phase, percent)))
    steps = [phase.split(":")[0] for phase, _ in seen]
    assert tuple(dict.fromkeys(steps)) == PUBLICATION_STEPS
    assert ("board read: 5 of 5 receipts", 58) in seen and ("board store: 0 of 5 receipts", 68) in seen
    assert [p for _, p in seen] == sorted(p for _, p in seen) and seen[-1][1] < 100
    # A board of a million entries reports every 50,000; here every 2 of 5.
    told = []
    entries = [BoardEntry(receipt=f"{n:064x}", weight=1.0, status="counted") for n in range(5)]
    bulletin_chain(entries, genesis="0" * 64, progress=lambda done, total: told.append((done, total)), every=2)
    assert told == [(0, 5), (2, 5), (4, 5), (5, 5)]


@pytest.mark.django_db
def test_the_run_publishes_byte_for_byte_what_publishing_in_the_request_did(conference):
    """Same bulletin head, same anonymised ballots document (but the time it records), as
    tally_publish_with_blocs."""
    from apps.ballots.services.blocs import tally_publish_with_blocs

    def document() -> dict:
        content = json.loads(bytes(AnonymisedBallotsDocument.objects.get(conference=conference).content))
        del content["tally"]["published_at"]
        return content

    reference = tally_publish_with_blocs(conference=conference)
    head, before = reference.bulletin_head, document()
    BulletinEntry.objects.filter(snapshot=reference).delete()
    TallySnapshot.objects.filter(pk=reference.pk).update(published_at=None, bulletin_head="", bulletin_size=None)
    AnonymisedBallotsDocument.objects.filter(conference=conference).delete()
    run, created = tally_publication_start(conference=conference)
    assert created and tally_publication_execute(run_id=run.pk) == "succeeded"
    run.refresh_from_db()
    assert run.snapshot_id == reference.pk and run.snapshot.bulletin_head == head
    assert document() == before and before["ballots"]


@pytest.mark.django_db
def test_a_live_publication_shows_its_progress_and_a_second_press_shows_the_same_run(
    conference, staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # queued, not run: the worker is busy
        first = publish_action(staff_client, conference)
    run = TallyPublicationRun.objects.get()
    assert first.status_code == 302 and first.url == reverse("admin:ballots_tallypublicationrun_change", args=[run.pk])
    page = staff_client.get(first.url).content.decode()
    assert 'http-equiv="refresh"' in page and "waiting for a worker" in page
    TallyPublicationRun.objects.filter(pk=run.pk).update(
        status="running", phase="board read: 50,000 of 1,001,078 receipts", progress_percent=43
    )
    page = staff_client.get(first.url).content.decode()
    assert 'http-equiv="refresh"' in page and "board read: 50,000 of 1,001,078 receipts" in page
    assert 'value="43"' in page
    with django_capture_on_commit_callbacks(execute=False) as sent:
        second = staff_client.post(
            reverse("admin:ballots_tallysnapshot_publish"), {"conference": conference.pk}, follow=True
        )
    assert second.status_code == 200 and "a publication is already under way" in second.content.decode()
    assert second.redirect_chain[-1][0] == first.url and not sent
    assert TallyPublicationRun.objects.count() == 1
    # The page of the list offers "Publish now" and links the runs.
    listing = staff_client.get(reverse("admin:ballots_tallysnapshot_changelist")).content.decode()
    assert "Publish now" in listing and reverse("admin:ballots_tallypublicationrun_changelist") in listing


@pytest.mark.django_db
def test_a_publication_runs_after_a_live_detection_and_records_none_of_its_own(conference):
    live, _ = bloc_detection_create(conference=conference, trigger=BlocDetectionRun.Trigger.ORGANIZER)
    run, _ = tally_publication_start(conference=conference)
    assert tally_publication_execute(run_id=run.pk) == "succeeded"
    run.refresh_from_db()
    assert run.detection is None and run.snapshot.published_at is not None and "detection" in run.step_seconds
    live.refresh_from_db()
    assert live.status == "queued" and BlocDetectionRun.objects.count() == 1  # left to its worker


@pytest.mark.django_db
def test_a_failure_mid_publication_publishes_nothing_and_the_run_says_why(conference, staff_client):
    run, _ = tally_publication_start(conference=conference)
    with document_write_fails(), pytest.raises(Exception, match="No space left on device"):
        tally_publication_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == "failed" and run.finished_at is not None and run.snapshot is None
    assert run.error.startswith("Publication failed:") and "No space left on device" in run.error
    assert not TallySnapshot.objects.filter(conference=conference, published_at__isnull=False).exists()
    assert not BulletinEntry.objects.exists()  # the board was stored before the failure: rolled back
    assert not AnonymisedBallotsDocument.objects.filter(conference=conference).exclude(etag="").exists()
    page = staff_client.get(reverse("admin:ballots_tallypublicationrun_change", args=[run.pk])).content.decode()
    assert "errornote" in page and "No space left on device" in page and "Nothing of this publication" in page
    # The next press starts afresh and publishes.
    again, created = tally_publication_start(conference=conference)
    assert created and tally_publication_execute(run_id=again.pk) == "succeeded"
    assert tally_publication_execute(run_id=again.pk) == "skipped"  # never twice


@pytest.mark.django_db(transaction=True)
def test_with_the_queue_down_the_publication_fails_with_a_clear_reason(broker_down, staff_client):  # noqa: F811
    conference = voted_conference()
    answer = publish_action(staff_client, conference, follow=True)
    run = TallyPublicationRun.objects.get()
    assert run.status == "failed" and run.error == "The task queue is not reachable; try again in a moment."
    assert "The task queue is not reachable" in answer.content.decode()
    assert not TallySnapshot.objects.filter(published_at__isnull=False).exists()


@pytest.mark.django_db
def test_only_staff_who_may_change_tally_snapshots_publish(conference, client, django_capture_on_commit_callbacks):
    viewer = UserFactory(is_staff=True)
    client.force_login(viewer)
    listing = client.get(reverse("admin:ballots_tallysnapshot_changelist")).content.decode()
    assert "Publish now" not in listing and 'value="publish"' not in listing
    assert publish_action(client, conference).status_code == 403
    assert client.post(reverse("admin:ballots_tallysnapshot_publish"), {"conference": conference.pk}).status_code == 403
    assert not TallyPublicationRun.objects.exists()
    publisher = UserFactory(is_staff=True)
    publisher.user_permissions.add(Permission.objects.get(codename="change_tallysnapshot"))
    client.force_login(publisher)
    assert 'value="publish"' in client.get(reverse("admin:ballots_tallysnapshot_changelist")).content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        assert publish_action(client, conference).status_code == 302
    assert TallyPublicationRun.objects.get().created_by == publisher


@pytest.mark.django_db
def test_bad_input_to_publish_now_gets_a_message_and_starts_nothing(conference, staff_client):
    url = reverse("admin:ballots_tallysnapshot_publish")
    for value in ("", "abc", "99999999", "1" * 40):
        answer = staff_client.post(url, {"conference": value}, follow=True)
        assert answer.status_code == 200 and "Choose a conference to publish." in answer.content.decode()
    assert staff_client.get(url).status_code == 405
    assert not TallyPublicationRun.objects.exists()


@pytest.mark.django_db
def test_publications_through_the_api(conference, django_capture_on_commit_callbacks):
    _, key = api_token_create(conference=conference, user=UserFactory(is_staff=True), name="publisher")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    url = reverse("api-publication-run-list", args=[conference.slug])
    with django_capture_on_commit_callbacks(execute=False):
        queued = client.post(url)
        again = client.post(url)
    assert queued.status_code == 202 and queued.json()["status"] == "queued"
    assert again.status_code == 200 and again.json()["id"] == queued.json()["id"]
    tally_publication_execute(run_id=queued.json()["id"])
    detail = client.get(reverse("api-publication-run-detail", args=[conference.slug, queued.json()["id"]])).json()
    assert (detail["status"], detail["progress_percent"], detail["phase"]) == ("succeeded", 100, "done")
    snapshot = TallySnapshot.objects.get(pk=detail["snapshot"])
    assert detail["bulletin_head"] == snapshot.bulletin_head and detail["bulletin_size"] == 5
    assert set(detail["step_seconds"]) == STEPS and detail["detection"] is not None
    assert client.get(url).json()["count"] == 1
    elsewhere = ConferenceFactory()
    assert client.post(reverse("api-publication-run-list", args=[elsewhere.slug])).status_code == 403
    assert client.get(reverse("api-publication-run-detail", args=[conference.slug, 999999])).status_code == 404
    assert APIClient().post(url).status_code == 401
    attendee = APIClient()
    attendee.force_authenticate(UserFactory())
    assert attendee.post(url).status_code == 403


@pytest.mark.services
def test_a_real_worker_publishes_and_reports_progress_from_inside_the_transaction(celery_worker_process):
    from tests.conftest import require_service

    require_service("PostgreSQL", None if connection.vendor == "postgresql" else "DATABASE_URL is not PostgreSQL")
    """The document's write is slowed by the database (2 s): meanwhile the run's page shows the step,
    written from inside the publishing transaction through the progress connection."""
    conference = voted_conference()
    table = AnonymisedBallotsDocument._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION test_slow_disk() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN PERFORM pg_sleep(2); RETURN NEW; END $$"
        )
        cursor.execute(
            f"CREATE TRIGGER test_slow_disk BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION test_slow_disk()"
        )
    try:
        run, created = tally_publication_start(conference=conference, by=UserFactory(is_staff=True))  # sent at once
        assert created

        def in_the_last_step():
            return TallyPublicationRun.objects.filter(pk=run.pk, phase="anonymised ballots", status="running").exists()

        wait_for(in_the_last_step, timeout=120, worker=celery_worker_process)
        assert not TallySnapshot.objects.filter(published_at__isnull=False).exists()  # not yet committed

        def finished():
            return TallyPublicationRun.objects.get(pk=run.pk).status in ("succeeded", "failed")

        wait_for(finished, timeout=120, worker=celery_worker_process)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER IF EXISTS test_slow_disk ON {table}")
            cursor.execute("DROP FUNCTION IF EXISTS test_slow_disk()")
    run.refresh_from_db()
    assert run.status == "succeeded", run.error
    assert run.progress_percent == 100 and run.snapshot.published_at is not None
    assert run.snapshot.bulletin_size == 5 == BulletinEntry.objects.filter(snapshot=run.snapshot).count()
    assert run.started_at >= run.created_at and run.heartbeat_at >= run.started_at
    assert run.step_seconds["anonymised ballots"] >= 2 and set(run.step_seconds) == STEPS


@pytest.mark.services
def test_two_organizers_pressing_publish_together_get_one_run_and_one_publication(celery_worker_process):
    from django.test import Client

    from tests.ballots.test_vote_races import run_together

    conference = voted_conference()
    organizers = [UserFactory(is_staff=True, is_superuser=True) for _ in range(2)]

    def press(user):
        client = Client()
        client.force_login(user)
        return client.post(reverse("admin:ballots_tallysnapshot_publish"), {"conference": conference.pk})

    answers = run_together([lambda u=u: press(u) for u in organizers])
    assert [getattr(a, "status_code", a) for a in answers] == [302, 302]
    run = TallyPublicationRun.objects.get()
    assert {a.url for a in answers} == {reverse("admin:ballots_tallypublicationrun_change", args=[run.pk])}

    def finished():
        return TallyPublicationRun.objects.get(pk=run.pk).status in ("succeeded", "failed")

    wait_for(finished, timeout=120, worker=celery_worker_process)
    run.refresh_from_db()
    assert run.status == "succeeded", run.error
    assert TallySnapshot.objects.filter(published_at__isnull=False).count() == 1
    assert BulletinEntry.objects.count() == 5 and BlocDetectionRun.objects.filter(trigger="publication").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_publication_waits_its_turn_behind_a_running_detection(postgres):
    """While a detection holds the conference's turn, the publication says it is waiting; it publishes after."""
    import threading
    import time

    from django.db import connections

    from apps.ballots.services.blocs import DETECTION_LOCK_NAMESPACE
    from apps.ballots.services.publication import PUBLICATION

    conference = voted_conference()
    run, _ = PUBLICATION.create(conference=conference)
    detection = connections.create_connection("default")  # the other run's session, holding the turn
    with detection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [DETECTION_LOCK_NAMESPACE, conference.pk])
    outcome = []

    def publish():
        try:
            outcome.append(tally_publication_execute(run_id=run.pk))
        except Exception as exc:
            outcome.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=publish)
    thread.start()
    try:
        waiting = TallyPublicationRun.objects.filter(pk=run.pk, status="running", phase="waiting for its turn")
        wait_for(waiting.exists, timeout=30)
        time.sleep(0.5)
        assert waiting.exists() and not TallySnapshot.objects.filter(published_at__isnull=False).exists()
    finally:
        with detection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [DETECTION_LOCK_NAMESPACE, conference.pk])
        detection.close()
        thread.join(60)
    run.refresh_from_db()
    assert outcome == ["succeeded"] and run.status == "succeeded" and run.snapshot.published_at is not None
    assert run.step_seconds["waiting for its turn"] >= 0.5
