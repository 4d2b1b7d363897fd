"""The organizer's tally page (apps/ballots/admin.py, selectors/report.py) in pages of 100 talks: global
ranks, filters kept across pages, forgiving page numbers, an empty state, and the same figures per talk as
the selector's whole report."""

import re

import pytest
from django.urls import reverse

from apps.ballots import services
from apps.ballots.models import TallyRow
from apps.ballots.selectors.report import TALKS_PER_PAGE, tally_report
from apps.talks.models import Talk
from tests.factories import ConferenceFactory, TalkFactory, TicketClaimFactory, TicketFactory, UserFactory

pytestmark = pytest.mark.django_db

TALKS = 250
ROW_RANK = re.compile(r"<tr>\s*<td>(\d+)</td>")
# Every stored figure of a row, and what the report adds to explain it.
FIGURES = (
    *(field.attname for field in TallyRow._meta.concrete_fields),
    *("discount_reasons", "share_ticket", "share_pledgers", "score_chart"),
)


@pytest.fixture
def big_tally():
    """250 talks, every third a workshop; three ticket holders vote on many of them so the ranks spread, and
    one of their votes is discounted as a bloc."""
    conference = ConferenceFactory()
    talks = [
        TalkFactory(conference=conference, format=Talk.Format.WORKSHOP if n % 3 == 0 else Talk.Format.TALK)
        for n in range(TALKS)
    ]
    voters = []
    for _ in range(3):
        voter = UserFactory()
        TicketClaimFactory(user=voter, ticket=TicketFactory(conference=conference))
        voters.append(voter)
    for n, talk in enumerate(talks[:180]):
        for v, voter in enumerate(voters):
            score = (n * 7 + v * 3) % (conference.scale_max - conference.scale_min + 1) + conference.scale_min
            services.vote_cast(user=voter, conference=conference, talk_id=talk.pk, score=score)
    discounted = (voters[0].pk, talks[5].pk)
    snapshot = services.tally_snapshot_compute(
        conference=conference,
        discounts={discounted: 0.5},
        discount_reasons={discounted: "Three colleagues rated it up together."},
    )
    return snapshot


def _page(staff_client, snapshot, **params):
    response = staff_client.get(reverse("admin:ballots_tallysnapshot_change", args=[snapshot.pk]), params)
    assert response.status_code == 200, params
    return response.content.decode()


def _ranks(html):
    return [int(rank) for rank in ROW_RANK.findall(html)]


def test_pages_one_and_two_show_their_talks_with_their_ranks_in_the_whole_tally(staff_client, big_tally):
    first = _page(staff_client, big_tally)
    assert _ranks(first) == list(range(1, 101))
    assert "Talks 1–100 of 250." in first
    second = _page(staff_client, big_tally, page="2")
    assert _ranks(second) == list(range(101, 201))
    assert "Talks 101–200 of 250." in second
    assert _ranks(_page(staff_client, big_tally, page="3")) == list(range(201, 251))
    # A filtered page keeps each talk's rank in the whole tally, not its place in the filtered list.
    workshops = list(big_tally.rows.filter(talk__format=Talk.Format.WORKSHOP).order_by("rank"))
    assert len(workshops) == 84
    filtered = _page(staff_client, big_tally, format="workshop")
    assert _ranks(filtered) == [row.rank for row in workshops[:84]]
    assert "Talks 1–84 of 84 matching the filters." in filtered
    assert 'class="paginator"' not in filtered  # one page: no page links


def test_filters_survive_paging_and_a_new_filter_starts_at_its_first_page(staff_client, big_tally):
    talks = big_tally.rows.filter(talk__format=Talk.Format.TALK).order_by("rank")
    assert talks.count() == 166
    first = _page(staff_client, big_tally, format="talk", q="Talk")
    assert 'href="?format=talk&amp;q=Talk&amp;page=2"' in first
    second = _page(staff_client, big_tally, format="talk", q="Talk", page="2")
    assert _ranks(second) == [row.rank for row in talks[100:166]]
    assert "Talks 101–166 of 166 matching the filters." in second
    assert 'href="?format=talk&amp;q=Talk&amp;page=1"' in second
    assert 'value="Talk"' in second and '<option value="talk" selected>' in second
    # The filter form sends no page, so changing a filter opens the first page of the new list.
    form = re.search(r'<form method="get" class="tally-filters">.*?</form>', second, re.S).group(0)
    assert 'name="page"' not in form


@pytest.mark.parametrize("junk", ["x", "", "0", "-1", "1.5", "4", "999999", "9" * 5000])
def test_a_page_that_is_not_a_number_or_does_not_exist_is_the_first_page(staff_client, big_tally, junk):
    html = _page(staff_client, big_tally, page=junk, format="talk")
    assert "Talks 1–100 of 166 matching the filters." in html  # the filters are kept


def test_filters_that_match_nothing_say_so(staff_client, big_tally):
    html = _page(staff_client, big_tally, q="no such talk anywhere")
    assert "No talk matches these filters." in html and 'href="?">Show every talk' in html
    assert 'id="result_list"' not in html and 'class="paginator"' not in html
    assert "Score distribution (all votes)" in html  # the conference-wide charts stay


def test_each_page_explains_only_its_own_talks(staff_client, big_tally, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        html = _page(staff_client, big_tally, page="2")
    assert html.count("<details>") == TALKS_PER_PAGE
    page = tally_report(snapshot=big_tally, page=3)
    assert len(page["rows"]) == 50 and all(hasattr(row, "score_chart") for row in page["rows"])


def test_a_talks_figures_on_its_page_are_those_of_the_whole_report(staff_client, big_tally):
    whole = tally_report(snapshot=big_tally)["rows"]
    assert [row.rank for row in whole] == list(range(1, TALKS + 1))
    paged = [row for number in (1, 2, 3) for row in tally_report(snapshot=big_tally, page=number)["rows"]]
    assert [[getattr(row, name) for name in FIGURES] for row in paged] == [
        [getattr(row, name) for name in FIGURES] for row in whole
    ]
    assert any(row.discount_reasons for row in paged) and any(row.weight_discounted for row in paged)
    # ... and the page shows the discounted talk's reason on the page its rank falls on.
    discounted = next(row for row in whole if row.discount_reasons)
    page_of_it = str((discounted.rank - 1) // TALKS_PER_PAGE + 1)
    assert "Three colleagues rated it up together." in _page(staff_client, big_tally, page=page_of_it)
