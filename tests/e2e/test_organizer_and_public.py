"""An organizer runs a proposal in the admin, watches it finish and publishes it; an attendee then
reads the schedule grid (their wanted talks highlighted) and the transparency report."""

import re

import pytest
from playwright.sync_api import expect

from apps.scheduling.models import ScheduleProposal, ScheduleRelease
from tests.e2e.conftest import login, screenshot
from tests.factories import PASSWORD, UserFactory, VoteFactory
from tests.scheduling.test_proposals import small_conference

pytestmark = pytest.mark.django_db(transaction=True)


def test_organizer_runs_and_publishes_then_attendee_reads_grid_and_report(page, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    conference, talks = small_conference()
    organizer = UserFactory(is_staff=True, is_superuser=True)
    attendee = UserFactory()
    VoteFactory(user=attendee, talk=talks[0], score=3)

    login(page, organizer.email, PASSWORD)
    page.goto("/admin/scheduling/scheduleproposal/")
    page.get_by_role("link", name="Run a proposal").click()
    page.select_option("select[name=conference]", str(conference.pk))
    page.fill("input[name=time_limit_seconds]", "30")
    screenshot(page, "admin-run-proposal")
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_text("Every talk")).to_be_visible(timeout=60_000)  # the page refreshes while it runs
    proposal = ScheduleProposal.objects.get(conference=conference)
    assert proposal.status == "succeeded"
    screenshot(page, "admin-proposal-result")

    page.get_by_role("link", name="Publish…").click()
    page.fill("textarea[name=changelog]", "First program")
    page.get_by_role("button", name="Publish").click()
    expect(page).to_have_url(re.compile(rf"/c/{conference.slug}/schedule/$"))
    assert ScheduleRelease.objects.filter(conference=conference, version=1).exists()

    page.context.clear_cookies()
    login(page, attendee.email, PASSWORD)
    page.goto(f"/c/{conference.slug}/schedule/")
    expect(page.locator("td.wanted")).to_have_count(1)
    expect(page.get_by_text("1 of the 1 talks you want to see are on the schedule")).to_be_visible()
    screenshot(page, "schedule-grid")

    page.get_by_role("link", name=re.compile("transparency report")).click()
    expect(page.get_by_role("heading", name="How the votes were used")).to_be_visible()
    page.fill("input[name=q]", talks[5].title)
    page.keyboard.press("Enter")
    expect(page.locator("tr[class^=decision-]")).to_have_count(1)
    screenshot(page, "transparency-report")
