"""Organizer screens for proposals and the public schedule grid and transparency report."""

import pytest
from django.core import mail
from django.urls import reverse

from apps.scheduling import proposals
from apps.scheduling.models import ScheduleOverride, ScheduleProposal, ScheduleRelease
from tests.factories import ConferenceFactory, TalkFactory, UserFactory, VoteFactory
from tests.scheduling.test_proposals import small_conference

pytestmark = pytest.mark.django_db


def run(conference, django_capture_on_commit_callbacks, **parameters):
    with django_capture_on_commit_callbacks(execute=True):
        proposal, _ = proposals.proposal_start(conference=conference, parameters=parameters)
    proposal.refresh_from_db()
    return proposal


def test_organizer_runs_watches_compares_and_publishes(staff_client, django_capture_on_commit_callbacks):
    conference, talks = small_conference()
    run_url = reverse("admin:scheduling_scheduleproposal_run")
    assert staff_client.get(run_url).status_code == 200
    bad = staff_client.post(
        run_url,
        {
            "conference": conference.pk,
            "seed": 0,
            "time_limit_seconds": 2,
            "committee_slots": 0,
            "track_minimums": "Nope = x",
        },
    )
    assert bad.status_code == 200 and "write “Track name = number”" in bad.content.decode()
    superscript = staff_client.post(  # "²" is a digit to str.isdigit, not to int()
        run_url,
        {
            "conference": conference.pk,
            "seed": 0,
            "time_limit_seconds": 2,
            "committee_slots": 0,
            "track_minimums": "Main = ²",
        },
    )
    assert superscript.status_code == 200 and "write “Track name = number”" in superscript.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        started = staff_client.post(
            run_url,
            {
                "conference": conference.pk,
                "seed": 0,
                "time_limit_seconds": 30,
                "committee_slots": 0,
                "track_minimums": "Main = 1",
            },
        )
    proposal = ScheduleProposal.objects.get(conference=conference)
    assert started["Location"] == reverse("admin:scheduling_scheduleproposal_change", args=[proposal.pk])
    page = staff_client.get(started["Location"]).content.decode()
    assert "Every talk" in page and "Baseline" in page and talks[0].title in page

    ScheduleOverride.objects.create(conference=conference, talk=talks[5], kind="pin", reason="Local hero")
    second = run(conference, django_capture_on_commit_callbacks, time_limit_seconds=30, track_minimums={"Main": 1})
    compare = staff_client.get(reverse("admin:scheduling_scheduleproposal_compare", args=[proposal.pk, second.pk]))
    assert compare.status_code == 200
    body = compare.content.decode()
    assert talks[5].title in body and "What moved" in body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        published = staff_client.post(
            reverse("admin:scheduling_scheduleproposal_publish", args=[second.pk]), {"changelog": "First program"}
        )
    assert published["Location"] == reverse("schedule_grid", args=[conference.slug])
    assert ScheduleRelease.objects.get(conference=conference).proposal == second
    assert any("Your talk" in m.subject for m in mail.outbox)


def test_cancel_action_and_compare_needs_two(staff_client):
    conference, _ = small_conference(talks=2, voters=1)
    proposal, _ = proposals.proposal_start(conference=conference, parameters={})  # queued (on_commit not run)
    changelist = reverse("admin:scheduling_scheduleproposal_changelist")
    staff_client.post(changelist, {"action": "cancel_runs", "_selected_action": [proposal.pk]})
    proposal.refresh_from_db()
    assert proposal.status == "cancelled"
    one = staff_client.post(changelist, {"action": "compare_two", "_selected_action": [proposal.pk]}, follow=True)
    assert "exactly two" in one.content.decode()


def test_proposal_screens_are_for_staff_only(client, user):
    small_conference(talks=2, voters=1)
    client.force_login(user)
    assert client.get(reverse("admin:scheduling_scheduleproposal_run")).status_code == 302


def test_grid_highlights_wanted_talks_and_clashes_and_report_explains_every_talk(
    client, django_capture_on_commit_callbacks
):
    conference, talks = small_conference()
    assert client.get(reverse("schedule_grid", args=[conference.slug])).status_code == 404  # nothing published
    proposal = run(conference, django_capture_on_commit_callbacks, time_limit_seconds=30)
    with django_capture_on_commit_callbacks(execute=True):
        proposals.proposal_publish(proposal=proposal, changelog="v1")
    placed = {p["talk_id"]: p["slot_id"] for p in proposal.result["placements"]}
    from apps.scheduling.models import Slot

    slot_start = {s.pk: s.start for s in Slot.objects.filter(conference=conference)}
    same_time = [t for t in placed if slot_start[placed[t]] == slot_start[placed[talks[0].pk]] and t != talks[0].pk]
    fan = UserFactory()
    VoteFactory(user=fan, talk=talks[0], score=3)
    VoteFactory(user=fan, talk=next(t for t in talks if t.pk == same_time[0]), score=3)
    client.force_login(fan)
    grid = client.get(reverse("schedule_grid", args=[conference.slug]))
    body = grid.content.decode()
    assert grid.status_code == 200
    assert "2 of the 2 talks you want to see are on the schedule" in body
    assert "2 of them clash" in body and body.count("Clashes with another talk you want") == 2
    assert "my-schedule" in body

    report = client.get(reverse("transparency", args=[conference.slug]))
    text = report.content.decode()
    for talk in talks:
        assert talk.title in text
    assert "ticket holders" in text and "How the votes were used" in text
    found = client.get(reverse("transparency", args=[conference.slug]), {"q": talks[5].title})
    assert found.content.decode().count('class="decision-') == 1
    none = client.get(reverse("transparency", args=[conference.slug]), {"q": "zzzz"})
    assert "No talk matches" in none.content.decode()


def test_report_tells_each_kind_of_bloc_once_and_hides_dismissed_ones(client, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from apps.ballots.models import Bloc

    conference, talks = small_conference()
    proposal = run(conference, django_capture_on_commit_callbacks, time_limit_seconds=30)
    with django_capture_on_commit_callbacks(execute=True):
        proposals.proposal_publish(proposal=proposal, changelog="v1")
    Bloc.objects.filter(conference=conference).delete()  # only the blocs below, whatever detection found
    now = timezone.now()

    def bloc(key, talk, *, size=6, signals=("similar",), direction="oppose", status="detected", reason=""):
        return Bloc.objects.create(
            conference=conference, key=key, talk=talk, direction=direction, size=size, weight=float(size),
            fair_share=0.2, counts_as=1.0, multiplier=1 / size, signals=list(signals),
            evidence=["6 of the 6 voters on ticket order SECRET1 rate this talk down"], p_value=1e-9,
            first_detected_at=now, last_detected_at=now, status=status, reason=reason,
        )  # fmt: skip

    bloc("a1", talks[0])
    bloc("a2", talks[0])  # alike in everything the public sees
    bloc("b1", talks[0], size=9, signals=("order", "burst"), direction="support", status="confirmed", reason="Seen")
    bloc("c1", talks[1], size=4, signals=("narrow",), status="dismissed", reason="A real fan club")
    text = client.get(reverse("transparency", args=[conference.slug]), {"q": talks[0].title}).content.decode()
    collapsed = "2 separate groups of 6 voters (accounts with nearly identical ballots), each rating it down"
    assert text.count(collapsed) == 1
    assert "count as 1.0 votes&#x27;" in text and "each instead of 6.0." in text
    assert "A group of 6 voters" not in text
    assert "A group of 9 voters (" in text and "who rated it up together" in text
    assert "instead of 9.0 (confirmed by the organizers)." in text
    assert "SECRET1" not in text  # evidence with order codes stays in the admin
    other = client.get(reverse("transparency", args=[conference.slug]), {"q": talks[1].title}).content.decode()
    assert "A group of 4" not in other and "groups of 4" not in other  # dismissed: full weight, not reported


def test_report_shows_a_page_of_talks_at_a_time(client):
    """5,000 talks made the report a 2.7 MB page; it shows a page of them, the search still over all."""
    from django.utils import timezone

    from apps.scheduling.views import TRANSPARENCY_PAGE_SIZE

    conference = ConferenceFactory()
    talks = [
        TalkFactory(conference=conference, title=f"Talk number {n:03d}") for n in range(TRANSPARENCY_PAGE_SIZE + 5)
    ]
    decisions = [
        {"talk_id": t.pk, "status": "accepted", "rank": n + 1, "why": [], "where": []} for n, t in enumerate(talks)
    ]
    proposal = ScheduleProposal.objects.create(
        conference=conference, status="succeeded", result={"decisions": decisions}
    )
    ScheduleRelease.objects.create(conference=conference, version=1, proposal=proposal, published_at=timezone.now())
    url = reverse("transparency", args=[conference.slug])
    first = client.get(url).content.decode()
    assert first.count('class="decision-') == TRANSPARENCY_PAGE_SIZE
    assert talks[0].title in first and talks[-1].title not in first
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('class="decision-') == 5 and talks[-1].title in second
    found = client.get(url, {"q": talks[-1].title}).content.decode()
    assert found.count('class="decision-') == 1
