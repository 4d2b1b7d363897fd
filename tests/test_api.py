"""The REST API: public reads, organizer tokens scoped to one conference, one error shape, imports
and overrides through the API, and the OpenAPI schema."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from apps.scheduling.models import ScheduleOverride
from apps.scheduling.services import Placement, release_publish
from apps.talks.models import ApiToken, Talk
from apps.talks.services import api_token_create, api_token_revoke
from tests.factories import ConferenceFactory, RoomFactory, SlotFactory, SpeakerFactory, TalkFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def organizer():
    return UserFactory(is_staff=True)


def token_client(conference, user) -> tuple[APIClient, str]:
    _, key = api_token_create(conference=conference, user=user, name="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client, key


def test_public_conference_and_talk_reads(api):
    conference = ConferenceFactory(name="Open", blind_voting=True)
    ConferenceFactory(status="draft", slug="hidden")
    speaker = SpeakerFactory(conference=conference, name="Secret Speaker")
    TalkFactory(conference=conference, title="Alpha", speakers=[speaker])
    TalkFactory(conference=conference, title="Beta", format="workshop")
    TalkFactory(conference=conference, title="Gone", status=Talk.Status.WITHDRAWN)

    listing = api.get(reverse("api-conference-list"))
    assert listing.status_code == 200
    assert [c["slug"] for c in listing.json()["results"]] == [conference.slug]
    assert "public" in listing["Cache-Control"]
    assert api.get(reverse("api-conference-detail", args=["hidden"])).status_code == 404

    talks = api.get(reverse("api-talk-list", args=[conference.slug])).json()
    assert [t["title"] for t in talks["results"]] == ["Alpha", "Beta"]
    assert talks["results"][0]["speakers"] == []  # blind voting hides speakers
    workshops = api.get(reverse("api-talk-list", args=[conference.slug]), {"talk_format": "workshop"}).json()
    assert [t["title"] for t in workshops["results"]] == ["Beta"]
    searched = api.get(reverse("api-talk-list", args=[conference.slug]), {"q": "alph"}).json()
    assert [t["title"] for t in searched["results"]] == ["Alpha"]


def test_talk_list_paginates_with_a_bounded_page_size(api):
    conference = ConferenceFactory()
    TalkFactory.create_batch(5, conference=conference)
    page = api.get(reverse("api-talk-list", args=[conference.slug]), {"page_size": 2}).json()
    assert (page["count"], len(page["results"])) == (5, 2) and page["next"]
    huge = api.get(reverse("api-talk-list", args=[conference.slug]), {"page_size": 10_000}).json()
    assert len(huge["results"]) == 5
    assert api.get(reverse("api-talk-list", args=[conference.slug]), {"page": 99}).status_code == 404


def test_talk_list_queries_do_not_grow_with_talks(api, django_assert_max_num_queries):
    conference = ConferenceFactory()
    for _ in range(3):
        TalkFactory(conference=conference, speakers=[SpeakerFactory(conference=conference)])
    with django_assert_max_num_queries(6) as few:
        api.get(reverse("api-talk-list", args=[conference.slug]))
    for _ in range(10):
        TalkFactory(conference=conference, speakers=[SpeakerFactory(conference=conference)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        api.get(reverse("api-talk-list", args=[conference.slug]))


def test_errors_have_one_shape(api):
    response = api.get(reverse("api-conference-detail", args=["nope"]))
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404 and response.json()["error"]["message"]
    conference = ConferenceFactory()
    anon = api.post(reverse("api-override-list", args=[conference.slug]), {})
    assert anon.status_code in (401, 403)
    assert set(anon.json()["error"]) >= {"status", "code", "message"}


def test_tokens_work_only_for_their_conference_and_until_revoked(organizer):
    mine, other = ConferenceFactory(), ConferenceFactory()
    client, key = token_client(mine, organizer)
    assert client.get(reverse("api-override-list", args=[mine.slug])).status_code == 200
    assert client.get(reverse("api-override-list", args=[other.slug])).status_code == 403
    token = ApiToken.objects.get(key_prefix=key[:8])
    assert token.key_hash != key and key not in token.key_hash  # only a hash is stored
    assert token.last_used_at is not None
    api_token_revoke(token=token)
    refused = client.get(reverse("api-override-list", args=[mine.slug]))
    assert refused.status_code == 401
    assert "revoked" in refused.json()["error"]["message"]
    junk = APIClient()
    junk.credentials(HTTP_AUTHORIZATION="Token cv_made_up")
    assert junk.get(reverse("api-override-list", args=[mine.slug])).status_code == 401


def test_only_staff_may_hold_tokens_and_demoted_staff_lose_access(organizer):
    from django.core.exceptions import PermissionDenied

    conference = ConferenceFactory()
    with pytest.raises(PermissionDenied):
        api_token_create(conference=conference, user=UserFactory(), name="x")
    client, _ = token_client(conference, organizer)
    organizer.is_staff = False
    organizer.save()
    assert client.get(reverse("api-override-list", args=[conference.slug])).status_code == 401


def test_attendees_cannot_reach_organizer_endpoints(api):
    conference = ConferenceFactory()
    api.force_authenticate(UserFactory())
    assert api.get(reverse("api-override-list", args=[conference.slug])).status_code == 403


def test_overrides_through_the_api(organizer):
    conference = ConferenceFactory()
    client, _ = token_client(conference, organizer)
    talk, twin = TalkFactory(conference=conference), TalkFactory(conference=conference)
    slot = SlotFactory(room=RoomFactory(conference=conference))
    url = reverse("api-override-list", args=[conference.slug])

    created = client.post(
        url,
        {
            "talk": talk.pk,
            "kind": "exclude",
            "similar_to": twin.pk,
            "reason": "Covers the same ground as the other talk",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["kind"], body["similar_to"], body["created_by"]) == ("exclude", twin.pk, organizer.email)
    fixed = client.post(
        url, {"talk": talk.pk, "kind": "fix", "slot": slot.pk, "reason": "Opening keynote"}, format="json"
    )
    assert fixed.status_code == 201

    bad_cases = [
        ({"talk": talk.pk, "kind": "pin", "reason": "  "}, "reason"),
        ({"talk": TalkFactory().pk, "kind": "pin", "reason": "x"}, "talk"),
        ({"talk": talk.pk, "kind": "fix", "reason": "x"}, "slot"),
        ({"talk": talk.pk, "kind": "pin", "slot": slot.pk, "reason": "x"}, "kind"),
        ({"talk": talk.pk, "kind": "exclude", "reason": "again"}, "kind"),  # one per talk and kind
        ({"talk": twin.pk, "kind": "exclude", "similar_to": twin.pk, "reason": "x"}, "similar_to"),
        ({"talk": "abc", "kind": "nope", "reason": "x"}, "talk"),
    ]
    for payload, field in bad_cases:
        response = client.post(url, payload, format="json")
        assert response.status_code == 400, payload
        assert field in response.json()["error"]["fields"], (payload, response.json())
    assert ScheduleOverride.objects.filter(conference=conference).count() == 2

    listing = client.get(url).json()
    assert {o["kind"] for o in listing["results"]} == {"exclude", "fix"}
    detail = reverse("api-override-detail", args=[conference.slug, body["id"]])
    assert client.delete(detail).status_code == 204
    assert ScheduleOverride.objects.filter(conference=conference).count() == 1
    other = ConferenceFactory()
    foreign = ScheduleOverride.objects.create(
        conference=other, talk=TalkFactory(conference=other), kind="pin", reason="theirs"
    )
    assert client.delete(reverse("api-override-detail", args=[conference.slug, foreign.pk])).status_code == 404
    assert ScheduleOverride.objects.filter(pk=foreign.pk).exists()


def test_talk_import_through_the_api(organizer):
    conference = ConferenceFactory()
    client, _ = token_client(conference, organizer)
    url = reverse("api-talk-import", args=[conference.slug])
    csv = b"external_id,title\nA1,First\nA2,Second\n"

    dry = client.post(url, {"file": io.BytesIO(csv), "format": "csv"}, format="multipart")
    assert dry.status_code == 200 and dry.json()["dry_run"] and not dry.json()["written"]
    assert not Talk.objects.filter(conference=conference).exists()
    done = client.post(url, {"file": io.BytesIO(csv), "format": "csv", "dry_run": "false"}, format="multipart")
    assert done.status_code == 201 and done.json()["created"] == 2
    bad = client.post(url, {"file": io.BytesIO(b"external_id,title\nA3,\n"), "dry_run": "false"}, format="multipart")
    assert bad.status_code == 400
    assert bad.json()["errors"] == [{"where": "line 2", "message": "missing title"}]
    assert Talk.objects.filter(conference=conference).count() == 2
    assert client.post(url, {}, format="multipart").status_code == 400


def test_published_schedule_through_the_api(api):
    conference = ConferenceFactory(start_date=dt.date(2027, 5, 3), end_date=dt.date(2027, 5, 3), timezone="UTC")
    room = RoomFactory(conference=conference)
    talk = TalkFactory(conference=conference, title="Scheduled")
    assert api.get(reverse("api-schedule", args=[conference.slug])).status_code == 404
    start = dt.datetime(2027, 5, 3, 9, tzinfo=dt.UTC)
    release_publish(
        conference=conference, placements=[Placement(talk.pk, room.pk, start, start + dt.timedelta(minutes=30))]
    )
    document = api.get(reverse("api-schedule", args=[conference.slug]))
    assert document.status_code == 200 and document["ETag"] and not document.has_header("Last-Modified")
    again = api.get(reverse("api-schedule", args=[conference.slug]), headers={"if-none-match": document["ETag"]})
    assert again.status_code == 304
    events = [e for d in document.json()["schedule"]["conference"]["days"] for r in d["rooms"].values() for e in r]
    assert [e["title"] for e in events] == ["Scheduled"]
    releases = api.get(reverse("api-release-list", args=[conference.slug])).json()
    assert [r["version"] for r in releases["results"]] == [1]
    assert api.get(reverse("api-schedule", args=[conference.slug]), {"version": "x"}).status_code == 400
    assert api.get(reverse("api-schedule", args=[conference.slug]), {"version": "5"}).status_code == 404


def test_openapi_schema_and_docs_render(api):
    schema = api.get(reverse("api-schema"), {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/conferences/{slug}/overrides/" in paths
    assert "/api/v1/conferences/{slug}/imports/talks/" in paths
    assert api.get(reverse("api-docs")).status_code == 200


def test_admin_creates_a_token_shows_the_key_once_and_revokes(staff_client, staff_user):
    conference = ConferenceFactory()
    response = staff_client.post(
        reverse("admin:talks_apitoken_add"),
        {"conference": conference.pk, "user": staff_user.pk, "name": "schedule sync"},
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    key = next(m.rsplit(" ", 1)[1] for m in shown if "Copy the key now" in m)
    token = ApiToken.objects.get(conference=conference)
    assert token.key_prefix == key[:8] and key not in token.key_hash
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(reverse("api-override-list", args=[conference.slug])).status_code == 200
    staff_client.post(reverse("admin:talks_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]})
    assert client.get(reverse("api-override-list", args=[conference.slug])).status_code == 401


def test_admin_refuses_tokens_for_attendees(staff_client):
    conference, attendee = ConferenceFactory(), UserFactory()
    response = staff_client.post(
        reverse("admin:talks_apitoken_add"), {"conference": conference.pk, "user": attendee.pk, "name": "x"}
    )
    assert response.status_code == 200
    assert "Only organizers" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_token_command(organizer):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    conference = ConferenceFactory()
    out = io.StringIO()
    call_command("api_token_create", conference.slug, organizer.email.upper(), "ci", stdout=out)
    key = out.getvalue().strip()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(reverse("api-override-list", args=[conference.slug])).status_code == 200
    with pytest.raises(CommandError, match="Only organizers"):
        call_command("api_token_create", conference.slug, UserFactory().email, "x", stdout=io.StringIO())
    with pytest.raises(CommandError, match="No conference"):
        call_command("api_token_create", "nope", organizer.email, "x", stdout=io.StringIO())


def test_talk_list_ordering(api):
    conference = ConferenceFactory()
    TalkFactory(conference=conference, title="B", duration_minutes=45)
    TalkFactory(conference=conference, title="A", duration_minutes=30)
    TalkFactory(conference=conference, title="C", duration_minutes=5)
    by_length = api.get(reverse("api-talk-list", args=[conference.slug]), {"ordering": "-duration_minutes"}).json()
    assert [t["title"] for t in by_length["results"]] == ["B", "A", "C"]
    default = api.get(reverse("api-talk-list", args=[conference.slug])).json()
    assert [t["title"] for t in default["results"]] == ["A", "B", "C"]


def test_a_draft_conferences_talks_are_not_listed(api):
    draft = ConferenceFactory(status="draft")
    TalkFactory(conference=draft, title="Not announced yet")
    response = api.get(reverse("api-talk-list", args=[draft.slug]))
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "No such conference."
    assert "Not announced yet" not in response.content.decode()


@pytest.mark.parametrize("header", ["Token", "Token two parts", "token"])
def test_a_malformed_token_header_is_refused_with_the_expected_form(organizer, header):
    conference = ConferenceFactory()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get(reverse("api-override-list", args=[conference.slug]))
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "Send the header as “Authorization: Token <key>”."


def test_json_nested_too_deeply_is_a_400_not_a_500(api):
    conference = ConferenceFactory()
    talk = TalkFactory(conference=conference)
    api.force_authenticate(UserFactory())
    body = "[" * 100_000 + "]" * 100_000  # Python's JSON parser recurses once per level
    response = api.put(reverse("api-my-vote", args=[conference.slug, talk.pk]), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "JSON parse error - nested too deeply."
