"""The organizer screens at the large demo's scale (docs: "Pages at scale"): a screen's number of queries
does not grow with its rows, and the change lists of big tables neither sort nor scan every row to
show a page. Each test measures a screen with a few rows, adds many, and asserts no more queries."""

import datetime as dt

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.ballots.models import Vote, VoteEvent
from apps.scheduling.models import ScheduledTalk, ScheduleRelease
from confvote.admin_base import ModelAdmin
from tests.factories import (
    ConferenceFactory,
    RoomFactory,
    SlotFactory,
    SpeakerFactory,
    TalkFactory,
    TicketClaimFactory,
    TicketFactory,
    UserFactory,
    VoteFactory,
)

pytestmark = pytest.mark.django_db


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def assert_queries_do_not_grow(client, url, add_rows, django_assert_max_num_queries) -> None:
    few = queries_of(client, url)
    add_rows()
    with django_assert_max_num_queries(few):
        assert client.get(url).status_code == 200


def test_speaker_list_joins_the_accounts(staff_client, django_assert_max_num_queries):
    conference = ConferenceFactory()

    def speakers(n):
        for _ in range(n):
            SpeakerFactory(conference=conference, user=UserFactory())

    speakers(3)
    url = reverse("admin:talks_speaker_changelist")
    assert_queries_do_not_grow(staff_client, url, lambda: speakers(27), django_assert_max_num_queries)


def test_slot_autocomplete_joins_the_rooms(staff_client, django_assert_max_num_queries):
    """An override's slot picker names each slot by its room."""

    def slots(n):
        for _ in range(n):
            SlotFactory()

    slots(3)
    url = reverse("admin:autocomplete") + "?app_label=scheduling&model_name=scheduleoverride&field_name=slot&term="
    assert_queries_do_not_grow(staff_client, url, lambda: slots(27), django_assert_max_num_queries)
    # ... and the slots' own list still joins their conferences too.
    url = reverse("admin:scheduling_slot_changelist")
    assert_queries_do_not_grow(staff_client, url, lambda: slots(27), django_assert_max_num_queries)


BIG_LISTS = [
    ("admin:ballots_vote_changelist", ""),
    ("admin:ballots_vote_changelist", "?q=user"),
    ("admin:ballots_vote_changelist", "?q=Talk"),
    ("admin:ballots_vote_changelist", "?score=2"),
    ("admin:ballots_vote_changelist", "?updated_at__gte=2000-01-01+00:00:00%2B00:00"),
    ("admin:ballots_voteevent_changelist", ""),
    ("admin:ballots_voteevent_changelist", "?q=user"),
    ("admin:attendance_ticket_changelist", ""),
    ("admin:attendance_ticket_changelist", "?q=ORD"),
    ("admin:attendance_ticketclaim_changelist", ""),
    ("admin:attendance_ticketclaim_changelist", "?q=user"),
]


@pytest.mark.parametrize(("changelist", "query"), BIG_LISTS)
def test_big_lists_query_as_often_for_thirty_rows_as_for_three(
    staff_client, django_assert_max_num_queries, changelist, query
):
    conference = ConferenceFactory()
    talk = TalkFactory(conference=conference)

    def rows(n):
        for _ in range(n):
            VoteFactory(talk=talk)
            VoteEvent.objects.create(user=UserFactory(), talk=talk, kind="cast", new_score=2, at=timezone.now())
            TicketClaimFactory(ticket=TicketFactory(conference=conference))

    rows(3)
    url = reverse(changelist) + query
    assert_queries_do_not_grow(staff_client, url, lambda: rows(27), django_assert_max_num_queries)


def test_vote_list_reads_no_distinct_values_and_sorts_only_by_key(staff_client):
    VoteFactory()
    with CaptureQueriesContext(connection) as queries:
        assert staff_client.get(reverse("admin:ballots_vote_changelist")).status_code == 200
    reads = [q["sql"] for q in queries if '"ballots_vote"' in q["sql"]]
    assert reads, "the list reads the votes"
    assert not any("DISTINCT" in sql for sql in reads)  # neither the score filter nor a date hierarchy
    page = next(sql for sql in reads if "ORDER BY" in sql)
    assert page.endswith('ORDER BY "ballots_vote"."id" DESC')


class PlainSearch(ModelAdmin):
    """Django's own search, to compare what is found."""


@pytest.mark.parametrize(
    ("model", "terms"),
    [
        (Vote, ["anna", "keynote", "anna keynote", '"Rust keynote"', "nobody", "@example.org"]),
        (VoteEvent, ["anna", "keynote", "anna keynote", "nobody"]),
    ],
)
def test_search_in_subqueries_finds_what_django_finds(rf, staff_user, model, terms):
    conference = ConferenceFactory()
    keynote = TalkFactory(conference=conference, title="Rust keynote")
    other = TalkFactory(conference=conference, title="Databases")
    anna, bob = UserFactory(email="anna@example.org"), UserFactory(email="bob@example.net")
    for user in (anna, bob):
        for talk in (keynote, other):
            VoteFactory(user=user, talk=talk)
            VoteEvent.objects.create(user=user, talk=talk, kind="cast", new_score=2, at=timezone.now())
    ours = admin.site._registry[model]
    plain = PlainSearch(model, admin.site)
    plain.search_fields = ours.search_fields
    request = rf.get("/")
    request.user = staff_user
    for term in terms:
        found, duplicates = ours.get_search_results(request, model.objects.all(), term)
        expected, _ = plain.get_search_results(request, model.objects.all(), term)
        assert sorted(found.values_list("pk", flat=True)) == sorted(expected.distinct().values_list("pk", flat=True))
        assert duplicates is False


def test_search_with_many_matches_uses_a_subquery(rf, staff_user):
    """Past `search_keys_listed` matching accounts, the accounts are a subquery: still the same votes."""
    talk = TalkFactory()
    votes = [VoteFactory(talk=talk, user=UserFactory(email=f"many{n}@example.org")) for n in range(5)]
    VoteFactory(talk=talk, user=UserFactory(email="other@example.net"))
    model_admin = admin.site._registry[Vote]
    request = rf.get("/")
    request.user = staff_user
    model_admin.search_keys_listed = 2
    try:
        found, _ = model_admin.get_search_results(request, Vote.objects.all(), "many")
        assert "SELECT" in str(found.query).split("WHERE", 1)[1]
    finally:
        del model_admin.search_keys_listed
    assert sorted(found.values_list("pk", flat=True)) == sorted(v.pk for v in votes)


def test_ticket_list_sorts_by_the_order_codes_index(staff_client):
    TicketFactory()
    with CaptureQueriesContext(connection) as queries:
        assert staff_client.get(reverse("admin:attendance_ticket_changelist")).status_code == 200
    page = next(q["sql"] for q in queries if q["sql"].startswith('SELECT "attendance_ticket"."id"'))
    assert page.endswith('ORDER BY "attendance_ticket"."order_code" ASC, "attendance_ticket"."id" ASC')
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "attendance_ticket")
    assert any(c["index"] and c["columns"] == ["order_code"] for c in indexes.values())


def test_ticket_claims_newest_first_have_an_index():
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "attendance_ticketclaim")
    assert any(c["index"] and c["columns"] == ["claimed_at", "id"] for c in indexes.values())


def test_release_page_joins_the_talks_and_rooms_of_its_entries(staff_client, django_assert_max_num_queries):
    conference = ConferenceFactory()
    release = ScheduleRelease.objects.create(conference=conference, version=1, published_at=timezone.now())
    start = timezone.now().replace(microsecond=0)

    def entries(first, n):
        for i in range(first, first + n):
            room = RoomFactory(conference=conference)
            at = start + dt.timedelta(hours=i)
            ScheduledTalk.objects.create(
                release=release,
                talk=TalkFactory(conference=conference),
                room=room,
                start=at,
                end=at + dt.timedelta(minutes=45),
            )

    entries(0, 3)
    url = reverse("admin:scheduling_schedulerelease_change", args=[release.pk])
    assert_queries_do_not_grow(staff_client, url, lambda: entries(3, 27), django_assert_max_num_queries)


def test_bulletin_entries_list_in_the_boards_order_through_its_index(staff_client):
    with CaptureQueriesContext(connection) as queries:
        assert staff_client.get(reverse("admin:ballots_bulletinentry_changelist")).status_code == 200
    page = next(q["sql"] for q in queries if q["sql"].startswith('SELECT "ballots_bulletinentry"."id"'))
    assert page.endswith(
        'ORDER BY "ballots_bulletinentry"."snapshot_id" ASC, "ballots_bulletinentry"."position" ASC, '
        '"ballots_bulletinentry"."id" ASC'
    )


@pytest.mark.parametrize(
    "changelist",
    [
        "admin:ballots_vote_changelist",
        "admin:ballots_voteevent_changelist",
        "admin:ballots_ballotreceipt_changelist",
        "admin:ballots_bulletinentry_changelist",
    ],
)
def test_big_lists_count_no_facets(staff_client, changelist):
    """ "Show counts" would count every row for each choice of each filter (minutes for a million votes)."""
    VoteFactory()
    with CaptureQueriesContext(connection) as queries:
        assert staff_client.get(reverse(changelist) + "?_facets=True").status_code == 200
    assert not any("FILTER (WHERE" in q["sql"] for q in queries)
