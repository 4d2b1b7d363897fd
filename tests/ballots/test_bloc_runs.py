"""Detection runs: "Detect now" in the admin and the API, progress while running, one live run per
conference, failures reported, decisions kept as a history, the talk's score before and after."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from apps.ballots.models import Bloc, BlocDecision, BlocDetectionRun, TallyRow, WeightPolicy
from apps.ballots.services.bloc_runs import (
    STALE_AFTER,
    bloc_detection_create,
    bloc_detection_execute,
    bloc_detection_now,
    bloc_detection_start,
)
from apps.ballots.services.blocs import bloc_decide, tally_with_blocs
from apps.talks.models import Conference
from apps.talks.services import api_token_create
from tests.conftest import wait_for
from tests.factories import ConferenceFactory, UserFactory

Trigger = BlocDetectionRun.Trigger


def seed_demo() -> Conference:
    call_command(
        "seed_demo", "--no-progress", "--today", "2026-11-01", "--seed", "1", stdout=io.StringIO(), stderr=io.StringIO()
    )
    return Conference.objects.get(slug="demo")


@pytest.fixture
def demo(db):
    return seed_demo()


@pytest.mark.django_db
def test_detect_now_in_the_admin_queues_a_run_that_reports_progress_and_what_it_found(
    demo, staff_client, django_capture_on_commit_callbacks
):
    listing = staff_client.get(reverse("admin:ballots_bloc_changelist")).content.decode()
    assert "Detect blocs now" in listing and "No detection has run yet." in listing
    with django_capture_on_commit_callbacks(execute=True):  # the task runs in-process here (eager)
        answer = staff_client.post(reverse("admin:ballots_bloc_detect"), {"conference": demo.pk}, follow=True)
    run = BlocDetectionRun.objects.get()
    assert "bloc detection is queued" in answer.content.decode()
    assert (run.trigger, run.status, run.progress_percent, run.phase) == ("organizer", "succeeded", 100, "done")
    assert run.created_by.is_staff and run.found == Bloc.objects.filter(conference=demo).count() > 0
    assert run.new == run.found and run.gone == 0 and run.votes > 1000
    assert run.snapshot is not None and run.seconds is not None
    page = staff_client.get(reverse("admin:ballots_blocdetectionrun_change", args=[run.pk])).content.decode()
    found = f"{run.found} bloc{'s' if run.found != 1 else ''} in {run.votes} votes"
    assert found in page and 'http-equiv="refresh"' not in page
    listing = staff_client.get(reverse("admin:ballots_bloc_changelist")).content.decode()
    assert f"#{run.pk}</a> — Succeeded" in listing


@pytest.mark.django_db
def test_a_live_run_shows_its_progress_and_refreshes_itself(demo, staff_client):
    run, created = bloc_detection_create(conference=demo, trigger=Trigger.ORGANIZER)
    BlocDetectionRun.objects.filter(pk=run.pk).update(status="running", phase="detecting blocs", progress_percent=25)
    page = staff_client.get(reverse("admin:ballots_blocdetectionrun_change", args=[run.pk])).content.decode()
    assert created and 'http-equiv="refresh"' in page and "detecting blocs" in page and 'value="25"' in page
    assert "(detecting blocs, 25%)" in staff_client.get(reverse("admin:ballots_bloc_changelist")).content.decode()


@pytest.mark.django_db
def test_the_phases_arrive_in_order(demo):
    seen = []
    tally_with_blocs(conference=demo, progress=lambda phase, percent: seen.append((phase, percent)))
    assert [p for p, _ in seen] == [
        "reading votes",
        "detecting blocs",
        "tallying with and without the discounts",
        "storing the blocs",
        "storing the tally",
    ]
    assert [pc for _, pc in seen] == sorted(pc for _, pc in seen) and seen[-1][1] < 100


@pytest.mark.django_db
def test_one_live_run_per_conference_and_a_stale_one_is_abandoned(demo):
    first, created = bloc_detection_start(conference=demo)
    again, created_again = bloc_detection_start(conference=demo)
    assert created and not created_again and again.pk == first.pk
    other, other_created = bloc_detection_start(conference=ConferenceFactory())
    assert other_created and other.pk != first.pk  # another conference has its own
    BlocDetectionRun.objects.filter(pk=first.pk).update(created_at=timezone.now() - STALE_AFTER - dt.timedelta(1))
    fresh, created_fresh = bloc_detection_start(conference=demo)
    first.refresh_from_db()
    assert created_fresh and first.status == "failed" and "no progress for 10 minutes" in first.error
    assert bloc_detection_execute(run_id=first.pk) == "skipped"  # a late worker does not revive it
    assert bloc_detection_execute(run_id=fresh.pk) == "succeeded"
    assert bloc_detection_execute(run_id=fresh.pk) == "skipped"  # nor run it twice


@pytest.mark.django_db
def test_a_failing_detection_is_reported_on_the_run(demo, staff_client):
    WeightPolicy.objects.filter(conference=demo).update(bloc_rule={"alpha": 7})  # a stored rule gone bad
    run, _ = bloc_detection_create(conference=demo, trigger=Trigger.ORGANIZER)
    with pytest.raises(ValueError):
        bloc_detection_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == "failed" and "alpha" in run.error and run.finished_at is not None
    page = staff_client.get(reverse("admin:ballots_blocdetectionrun_change", args=[run.pk])).content.decode()
    assert "errornote" in page and "alpha" in page
    assert bloc_detection_create(conference=demo, trigger=Trigger.ORGANIZER)[1]  # the next run may start


@pytest.mark.django_db
def test_bad_input_to_detect_now_gets_a_message_and_starts_nothing(demo, staff_client):
    url = reverse("admin:ballots_bloc_detect")
    for value in ("", "abc", "99999999", "1" * 40):
        answer = staff_client.post(url, {"conference": value}, follow=True)
        assert answer.status_code == 200 and "Choose a conference to examine." in answer.content.decode()
    assert staff_client.get(url).status_code == 405
    assert not BlocDetectionRun.objects.exists()
    recompute = reverse("admin:ballots_tallysnapshot_recompute")
    answer = staff_client.post(recompute, {"conference": "abc"}, follow=True)
    assert answer.status_code == 200 and "Choose a conference to recompute." in answer.content.decode()


@pytest.mark.django_db
def test_an_organizer_who_may_only_view_blocs_can_neither_decide_nor_start_a_detection(demo, client):
    from django.contrib.auth.models import Permission

    tally_with_blocs(conference=demo)
    bloc = Bloc.objects.filter(conference=demo).first()
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_bloc"))
    client.force_login(viewer)
    listing = client.get(reverse("admin:ballots_bloc_changelist")).content.decode()
    assert bloc.talk.title in listing and "Detect blocs now" not in listing
    page = client.get(reverse("admin:ballots_bloc_change", args=[bloc.pk])).content.decode()
    assert "Confirm or dismiss" not in page and bloc.evidence[0]["sentence"][:30] in page
    decide = reverse("admin:ballots_bloc_decide", args=[bloc.pk])
    assert client.post(decide, {"status": "dismissed", "reason": "I may not"}).status_code == 403
    assert client.post(reverse("admin:ballots_bloc_detect"), {"conference": demo.pk}).status_code == 403
    bloc.refresh_from_db()
    assert bloc.status == "detected" and not BlocDecision.objects.exists()
    assert not BlocDetectionRun.objects.filter(trigger=Trigger.ORGANIZER).exists()


@pytest.mark.django_db
def test_with_no_conference_the_bloc_list_says_so(staff_client):
    page = staff_client.get(reverse("admin:ballots_bloc_changelist")).content.decode()
    assert "No conference yet" in page and "Detect blocs now" not in page


@pytest.mark.django_db
def test_the_tally_task_and_decisions_are_recorded_as_runs(demo, staff_client, django_capture_on_commit_callbacks):
    from apps.ballots.tasks import tally_snapshot_compute

    snapshot_id = tally_snapshot_compute(demo.pk)
    run = BlocDetectionRun.objects.get()
    assert (run.trigger, run.status, run.snapshot_id) == ("tally", "succeeded", snapshot_id)
    bloc = Bloc.objects.filter(conference=demo).order_by("-size").first()
    with django_capture_on_commit_callbacks(execute=True):  # the queued run runs in-process here (eager)
        staff_client.post(
            reverse("admin:ballots_bloc_decide", args=[bloc.pk]), {"status": "dismissed", "reason": "Checked: fans"}
        )
    latest = BlocDetectionRun.objects.first()
    assert (latest.trigger, latest.status, latest.created_by.is_staff) == ("decision", "succeeded", True)
    listing = staff_client.get(reverse("admin:ballots_bloc_changelist")).content.decode()
    assert f"#{latest.pk}</a> — Succeeded" in listing and f"#{run.pk}</a>" not in listing  # the newest only
    # While a run is live, the task still computes the tally (after it; runs take turns), unrecorded.
    live, _ = bloc_detection_create(conference=demo, trigger=Trigger.ORGANIZER)
    refresh = bloc_detection_now(conference=demo, trigger=Trigger.TALLY)
    assert refresh.snapshot.pk and BlocDetectionRun.objects.count() == 3
    live.refresh_from_db()
    assert live.status == "queued"  # left for its worker


@pytest.mark.django_db
def test_every_decision_is_kept_with_its_author_and_reason(demo, staff_client):
    tally_with_blocs(conference=demo)
    bloc = Bloc.objects.filter(conference=demo).order_by("-size").first()
    alice, bob = UserFactory(is_staff=True), UserFactory(is_staff=True)
    bloc_decide(bloc=bloc, status="dismissed", reason="Genuine fans", by=alice)
    bloc_decide(bloc=bloc, status="confirmed", reason="Same order, same hour", by=bob)
    history = list(BlocDecision.objects.filter(bloc=bloc).values_list("status", "reason", "decided_by"))
    assert history == [("dismissed", "Genuine fans", alice.pk), ("confirmed", "Same order, same hour", bob.pk)]
    page = staff_client.get(reverse("admin:ballots_bloc_change", args=[bloc.pk])).content.decode()
    assert "decision history" in page.lower() and "Genuine fans" in page and "Same order, same hour" in page
    decisions = staff_client.get(reverse("admin:ballots_blocdecision_changelist"), {"q": "Genuine"}).content.decode()
    assert "Genuine fans" in decisions and "Same order" not in decisions


@pytest.mark.django_db
def test_the_talks_score_before_and_after_is_stored_and_shown(demo, staff_client):
    refresh = tally_with_blocs(conference=demo)
    bloc = Bloc.objects.filter(conference=demo, direction="support").order_by("-size").first()
    assert bloc.score_after < bloc.score_before
    row = TallyRow.objects.get(snapshot=refresh.snapshot, talk=bloc.talk)
    assert row.bayes_average == pytest.approx(bloc.score_after) and row.rank == bloc.rank_after
    listing = staff_client.get(reverse("admin:ballots_bloc_changelist")).content.decode()
    assert f"{bloc.score_before:.3f} → {bloc.score_after:.3f}" in listing


@pytest.mark.django_db
def test_runs_through_the_api(demo, django_capture_on_commit_callbacks):
    _, key = api_token_create(conference=demo, user=UserFactory(is_staff=True), name="review")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    url = reverse("api-bloc-run-list", args=[demo.slug])
    with django_capture_on_commit_callbacks(execute=False):
        queued = client.post(url)
        again = client.post(url)
    assert queued.status_code == 202 and queued.json()["status"] == "queued"
    assert again.status_code == 200 and again.json()["id"] == queued.json()["id"]
    bloc_detection_execute(run_id=queued.json()["id"])
    detail = client.get(reverse("api-bloc-run-detail", args=[demo.slug, queued.json()["id"]])).json()
    assert (detail["status"], detail["progress_percent"], detail["phase"]) == ("succeeded", 100, "done")
    assert detail["found"] == Bloc.objects.filter(conference=demo).count()
    assert client.get(url).json()["count"] == 1
    bloc = client.get(reverse("api-bloc-list", args=[demo.slug])).json()["results"][0]
    assert bloc["score_before"] is not None and bloc["score_after"] is not None
    elsewhere = ConferenceFactory()
    assert client.post(reverse("api-bloc-run-list", args=[elsewhere.slug])).status_code == 403
    assert client.get(reverse("api-bloc-run-detail", args=[demo.slug, 999999])).status_code == 404
    assert APIClient().post(url).status_code == 401


@pytest.mark.services
def test_detection_runs_on_a_real_worker_and_reports_progress(celery_worker_process):
    demo = seed_demo()
    run, created = bloc_detection_start(conference=demo, by=UserFactory(is_staff=True))  # sent at once (no atomic)
    assert created

    def finished():
        return BlocDetectionRun.objects.get(pk=run.pk).status in ("succeeded", "failed")

    wait_for(finished, timeout=120, worker=celery_worker_process)
    run.refresh_from_db()
    assert run.status == "succeeded", run.error
    assert run.progress_percent == 100 and run.found == Bloc.objects.filter(conference=demo).count() > 0
    assert run.started_at >= run.created_at and run.heartbeat_at >= run.started_at


@pytest.mark.django_db(transaction=True)
@pytest.mark.services
def test_two_organizers_pressing_detect_now_together_get_one_run(postgres):
    from tests.ballots.test_vote_races import run_together

    conference = ConferenceFactory()
    results = run_together([lambda: bloc_detection_create(conference=conference, trigger=Trigger.ORGANIZER)] * 8)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(created for _, created in results) == 1
    assert len({run.pk for run, _ in results}) == 1 == BlocDetectionRun.objects.count()


@pytest.mark.django_db(transaction=True)
@pytest.mark.services
def test_a_decision_made_during_a_run_is_applied_after_it_not_lost(postgres):
    import threading
    import time

    from django.db import connection

    demo = seed_demo()
    tally_with_blocs(conference=demo)
    bloc = Bloc.objects.filter(conference=demo, multiplier__lt=1).order_by("-size").first()
    inside, times = threading.Event(), {}

    def slow_progress(phase, percent):
        times[f"first {phase}"] = time.monotonic()
        if phase == "detecting blocs":
            inside.set()
            time.sleep(1.5)  # the decision below is made now, while this run has read the old decisions

    def first_run():
        try:
            tally_with_blocs(conference=demo, progress=slow_progress)
        finally:
            connection.close()

    def decision():
        try:
            inside.wait(10)
            bloc_decide(bloc=bloc, status="dismissed", reason="Checked: fans", by=None)
            tally_with_blocs(conference=demo, progress=lambda phase, _: times.setdefault(phase, time.monotonic()))
        finally:
            connection.close()

    threads = [threading.Thread(target=first_run), threading.Thread(target=decision)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    # The second began only after the first's last step (both are reported under the lock).
    assert times["reading votes"] > times["first storing the tally"]
    bloc.refresh_from_db()
    assert (bloc.status, bloc.multiplier, bloc.counts_as) == ("dismissed", 1.0, bloc.weight)
    latest = demo.tally_snapshots.order_by("-computed_at", "-pk").first()
    assert TallyRow.objects.get(snapshot=latest, talk=bloc.talk).rank == bloc.rank_before == bloc.rank_after


@pytest.mark.django_db
def test_a_decision_while_a_run_is_running_is_applied_by_detection_queued_after_it(
    demo, django_capture_on_commit_callbacks
):
    from apps.ballots.services.bloc_runs import bloc_decision_apply

    tally_with_blocs(conference=demo)
    bloc = Bloc.objects.filter(conference=demo, multiplier__lt=1).order_by("-size").first()
    running, _ = bloc_detection_create(conference=demo, trigger=Trigger.ORGANIZER)
    BlocDetectionRun.objects.filter(pk=running.pk).update(status="running", heartbeat_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=False) as queued:
        bloc, run = bloc_decision_apply(bloc=bloc, status="dismissed", reason="Checked: fans", by=None)
    # The running run may have read the decisions before this one: the decision is recorded, its
    # effect waits for the detection queued after that run (one task, not a second live run).
    assert run.pk == running.pk and (bloc.status, bloc.multiplier < 1) == ("dismissed", True)
    assert len(queued) == 1 and BlocDetectionRun.objects.filter(status__in=("queued", "running")).count() == 1
    queued[0]()  # the follow-up task, in-process (eager); it takes its turn after the live run
    bloc.refresh_from_db()
    assert (bloc.status, bloc.multiplier, bloc.counts_as) == ("dismissed", 1.0, bloc.weight)
    assert BlocDetectionRun.objects.get(pk=running.pk).status == "running"  # left to its own worker


@pytest.mark.services
def test_a_decision_through_the_api_is_applied_by_a_real_worker(celery_worker_process):
    demo = seed_demo()
    tally_with_blocs(conference=demo)
    bloc = Bloc.objects.filter(conference=demo, multiplier__lt=1).order_by("-size").first()
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {api_token_create(conference=demo, user=UserFactory(is_staff=True), name='r')[1]}"
    )
    answer = client.post(
        reverse("api-bloc-decide", args=[demo.slug, bloc.pk]), {"status": "dismissed", "reason": "Fans"}, format="json"
    )
    assert answer.status_code == 202, answer.content
    body = answer.json()
    assert body["status"] == "dismissed" and body["recomputation"]["trigger"] == "decision"
    run_url = reverse("api-bloc-run-detail", args=[demo.slug, body["recomputation"]["id"]])

    def finished():
        return client.get(run_url).json()["status"] in ("succeeded", "failed")

    wait_for(finished, timeout=120, worker=celery_worker_process)
    assert client.get(run_url).json()["status"] == "succeeded"
    bloc.refresh_from_db()
    assert (bloc.status, bloc.multiplier) == ("dismissed", 1.0)


def test_the_bloc_list_filters_by_signal_in_plain_words(demo, staff_client):
    tally_with_blocs(conference=demo)
    found = Bloc.objects.filter(conference=demo).first()
    assert "colleagues" in found.signals and "burst" in found.signals
    # A second bloc whose only timing evidence is an organisation's burst: "burst" must not list it.
    found.pk, found.key, found.signals = None, "organisation-burst-only", ["organisation_burst"]
    found.save()
    blocs = list(Bloc.objects.filter(conference=demo))
    with_burst = {b.pk for b in blocs if "burst" in b.signals}
    with_org_burst = {b.pk for b in blocs if "organisation_burst" in b.signals}
    assert found.pk in with_org_burst - with_burst and with_burst
    url = reverse("admin:ballots_bloc_changelist")
    page = staff_client.get(url).content.decode()
    assert "By signal" in page and "people who voted on it within a short time" in page

    def listed(signal: str) -> set[int]:
        response = staff_client.get(url, {"signal": signal})
        assert response.status_code == 200
        return {b.pk for b in response.context["cl"].result_list}

    assert listed("burst") == with_burst
    assert listed("organisation_burst") == with_org_burst
    assert listed("colleagues") == {b.pk for b in blocs if "colleagues" in b.signals} != set()
    assert listed("no-such-signal") == {b.pk for b in blocs}  # an unknown value filters nothing
    # Round 18's signal is offered in its receipt words and lists only the blocs that carry it.
    joined = Bloc.objects.get(pk=found.pk)
    joined.pk, joined.key, joined.signals = None, "joined-only", ["joined"]
    joined.save()
    assert "accounts created at the same time" in staff_client.get(url).content.decode()
    assert listed("joined") == {joined.pk}


def test_the_bloc_api_filters_by_signal_status_and_direction(demo):
    tally_with_blocs(conference=demo)
    found = Bloc.objects.filter(conference=demo).first()
    found.pk, found.key, found.signals = None, "organisation-burst-only", ["organisation_burst"]
    found.status, found.reason, found.decided_at = "dismissed", "A team outing, checked.", timezone.now()
    found.save()
    _, key = api_token_create(conference=demo, user=UserFactory(is_staff=True), name="review")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    url = reverse("api-bloc-list", args=[demo.slug])

    def ids(**params) -> set[int]:
        response = client.get(url, params)
        assert response.status_code == 200, response.content
        return {b["id"] for b in response.json()["results"]}

    blocs = list(Bloc.objects.filter(conference=demo))
    every = ids()
    assert every == {b.pk for b in blocs} and len(every) >= 2
    assert ids(signal="burst") == {b.pk for b in blocs if "burst" in b.signals} != set()
    assert found.pk not in ids(signal="burst")  # "burst" does not match "organisation_burst"
    assert ids(signal="organisation_burst") == {b.pk for b in blocs if "organisation_burst" in b.signals}
    assert ids(status="dismissed") == {found.pk} and found.pk not in ids(status="detected")
    assert ids(signal="colleagues", status="detected") == every - {found.pk}
    assert ids(direction="oppose") == {b.pk for b in blocs if b.direction == "oppose"}
    assert ids(signal="joined") == {b.pk for b in blocs if "joined" in b.signals}
    bad = client.get(url, {"signal": "coworkers"})
    assert (
        bad.status_code == 400
        and "coworkers is not one of the available choices" in bad.json()["error"]["fields"]["signal"][0]
    )
