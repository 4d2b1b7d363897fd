"""The demo's corporate bloc, in a real browser: an organizer asks for detection, follows the run to its
end, reads the bloc's evidence and effect, and dismisses it with a reason; a member of the bloc sees on
their receipts page that their vote was counted at less (and why, without any other member named)
until the dismissal gives it back its full weight."""

import re

import pytest
from playwright.sync_api import expect

from apps.ballots.models import Bloc, BlocDecision, BlocDetectionRun
from apps.ballots.selectors import voter_weight
from tests.ballots.test_bloc_runs import seed_demo
from tests.e2e.conftest import login, screenshot
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_organizer_detects_reviews_and_dismisses_a_bloc_and_its_member_sees_the_effect(page, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the run is executed in-process once the request commits
    demo = seed_demo()
    organizer = UserFactory(is_staff=True, is_superuser=True)

    login(page, organizer.email, PASSWORD)
    page.goto("/admin/ballots/bloc/")
    expect(page.get_by_text("No detection has run yet.")).to_be_visible()
    page.select_option("#bloc-detect-conference", str(demo.pk))
    page.get_by_role("button", name="Detect blocs now").click()
    expect(page.get_by_text("bloc detection is queued")).to_be_visible()
    page.get_by_role("link", name="follow its progress").click()
    run = BlocDetectionRun.objects.get(conference=demo)
    assert run.status == "succeeded"
    blocs = f"{run.found} bloc{'s' if run.found != 1 else ''}"
    expect(page.get_by_text(f"{blocs} in {run.votes} votes")).to_be_visible()
    screenshot(page, "admin-bloc-run")

    # The planted corporate bloc: colleagues of the speaker from initech.example, the largest such bloc.
    bloc = max((b for b in Bloc.objects.filter(conference=demo) if "colleagues" in b.signals), key=lambda b: b.size)
    assert bloc.rank_after > bloc.rank_before and bloc.score_after < bloc.score_before
    page.get_by_role("link", name="Blocs of this conference").click()
    row = page.locator("#result_list tr", has_text=bloc.talk.title).filter(has_text=f"{bloc.rank_before} → ")
    expect(row.first).to_contain_text(f"{bloc.score_before:.3f} → {bloc.score_after:.3f}")
    expect(row.first).to_contain_text(bloc.evidence[0]["sentence"])
    page.click("#toggle-nav-sidebar")  # the wide list, as an organizer reads it: without the navigation
    screenshot(page, "admin-bloc-list")
    page.goto(f"/admin/ballots/bloc/{bloc.pk}/change/")
    evidence = page.locator("li", has_text="initech.example").filter(has_text="the speaker's organisation").first
    expect(evidence).to_contain_text("expected under independent voting")

    # A member whose vote pushes the talk the bloc's way (`discount_votes: pushing`, the default since
    # round 27: a member rating it below its other voters' mean is spared and counts in full).
    pushing = bloc.members.exclude(pk__in=bloc.spared.all()).order_by("pk")
    member = next(m for m in pushing if voter_weight(user=m, conference=demo).weight > 0)
    member.set_password(PASSWORD)
    member.save()
    voter = page.context.browser.new_context(base_url=page.url.split("/admin/")[0]).new_page()
    login(voter, member.email, PASSWORD)
    voter.goto(f"/c/{demo.slug}/vote/receipts/")
    reduced = voter.get_by_role("region", name="Votes counted at a reduced weight")
    expect(reduced).to_contain_text(bloc.talk.title)
    expect(reduced).to_contain_text(f"group of {bloc.size} colleagues of the speaker")
    for other in bloc.members.exclude(pk=member.pk)[:5]:
        expect(reduced).not_to_contain_text(other.email)
    expect(voter.get_by_text("Your votes weigh 1")).to_be_visible()  # a ticket holder, whose vote lost weight
    screenshot(voter, "receipts-bloc-discount")

    page.get_by_role("link", name="Confirm or dismiss…").click()
    page.select_option("select[name=status]", "dismissed")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Say why")).to_be_visible()  # a decision needs a reason
    page.select_option("select[name=status]", "dismissed")
    page.fill("textarea[name=reason]", "Checked with Initech: they really are all fans of this talk")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Decision recorded: Dismissed (full weight).")).to_be_visible()
    # The recomputation it queued (run in-process here) is linked from the message.
    expect(page.get_by_role("link", name=re.compile(r"^run #\d+$"))).to_be_visible()
    expect(page.get_by_text("they really are all fans of this talk").first).to_be_visible()  # the history
    screenshot(page, "admin-bloc-dismissed")
    bloc.refresh_from_db()
    assert (bloc.status, bloc.multiplier, bloc.rank_after) == ("dismissed", 1.0, bloc.rank_before)
    assert BlocDecision.objects.get(bloc=bloc).decided_by == organizer

    voter.reload()
    expect(voter.get_by_role("heading", name=re.compile("Your ballot receipts"))).to_be_visible()
    expect(voter.get_by_text(bloc.talk.title)).to_have_count(0)
    voter.context.close()
