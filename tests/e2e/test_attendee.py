"""Attendees in a real browser: sign up, verify the email from the outbox, link a ticket, vote through
the list with the keyboard, and see their weight and receipt; and the pledge path on a phone."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from apps.ballots.models import Vote
from tests.e2e.conftest import login, screenshot
from tests.factories import PASSWORD, ConferenceFactory, TalkFactory, TicketFactory, TicketTypeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_up_verify_link_ticket_and_vote_with_the_keyboard(page):
    conference = ConferenceFactory(slug="pyconf")
    talks = [TalkFactory(conference=conference, title=f"Talk number {i}") for i in range(3)]
    ticket_type = TicketTypeFactory(conference=conference, may_vote=True)
    TicketFactory(
        conference=conference, ticket_type=ticket_type, order_code="ABC12", holder_email="someone.else@example.org"
    )

    page.goto("/accounts/signup/")
    page.fill("input[name=email]", "newcomer@example.org")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page.get_by_role("heading", name=re.compile("Verify", re.I))).to_be_visible()
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(link)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()
    screenshot(page, "signed-up")

    page.goto(f"/c/{conference.slug}/my-ticket/")
    page.fill("input[name=order_code]", "ABC12")
    page.fill("input[name=email]", "someone.else@example.org")
    page.get_by_role("button", name="Link ticket").click()
    expect(page.get_by_text("ABC12").first).to_be_visible()
    screenshot(page, "ticket-linked")

    page.goto(f"/c/{conference.slug}/vote/")
    expect(page.get_by_text("Your votes weigh 1.")).to_be_visible()
    expect(page.locator("#vote-progress")).to_contain_text("0 of 3")
    page.keyboard.press("j")  # focus the first talk
    focused = "document.activeElement && document.activeElement.closest('.vote-card')"
    for n in range(3):
        current = page.evaluate(f"({focused} || {{}}).id")
        page.keyboard.press("3" if n < 2 else "1")  # must see, must see, not interested
        expect(page.locator("#vote-progress")).to_contain_text(f"{n + 1} of 3")
        if n < 2:  # the next talk takes the focus once the saved card is swapped in
            for _ in range(50):
                if page.evaluate(f"({focused} || {{}}).id") not in (None, "", current):
                    break
                page.wait_for_timeout(100)
    screenshot(page, "voted")
    assert sorted(Vote.objects.filter(user__email="newcomer@example.org").values_list("score", flat=True)) == [0, 2, 2]
    assert {v.talk_id for v in Vote.objects.filter(user__email="newcomer@example.org")} == {t.pk for t in talks}

    page.reload()
    expect(page.get_by_text("Your latest receipt")).to_be_visible()
    page.get_by_role("link", name="your receipts").click()
    expect(page.locator("code").first).to_be_visible()
    screenshot(page, "receipts")


def test_pledge_path_on_a_phone(phone):
    conference = ConferenceFactory(slug="pledgeconf", ticket_shop_url="https://tickets.example.org/")
    TalkFactory(conference=conference, title="A talk worth a ticket")
    pledger = UserFactory()
    login(phone, pledger.email, PASSWORD)

    phone.goto(f"/c/{conference.slug}/vote/")
    expect(phone.get_by_text("Your votes weigh 0.")).to_be_visible()
    phone.get_by_role("link", name="pledge to buy one").first.click()
    expect(phone).to_have_url(re.compile(r"/my-pledge/$"))
    screenshot(phone, "pledge-form-phone")
    phone.get_by_role("button", name="Pledge").click()
    expect(phone.get_by_role("heading", name=re.compile("Your weight now: 0.50"))).to_be_visible()
    phone.goto(f"/c/{conference.slug}/vote/")
    expect(phone.get_by_text(re.compile(r"Your votes weigh 0\.50?\."))).to_be_visible()
    phone.get_by_role("button", name=re.compile("must see")).first.tap()
    expect(phone.locator("#vote-progress")).to_contain_text("1 of 1")
    screenshot(phone, "pledged-vote-phone")
