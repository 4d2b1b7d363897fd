"""The public schedule feeds' ETag follows everything they show: a speaker renamed, added to or removed
from a talk, a room or track renamed, the conference renamed, a talk edited without its `updated_at`
stamped, each gives every feed a new ETag and the new content to a client that sends the old one;
nothing changed, or only what no feed shows, still gets the 304. And a talk saved in a transaction that
commits after another talk's later edit (its `updated_at` older than the newest) is served, not a 304."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from apps.scheduling import selectors
from apps.scheduling.models import Room
from apps.talks.models import Conference, Speaker, Talk, Track
from tests.factories import SpeakerFactory, TalkFactory, VoteFactory
from tests.scheduling.late_commit import LATE_TITLE, title_committed_late
from tests.scheduling.test_exports import published_conference


def _feeds(conference, talk) -> list[str]:
    urls = [reverse("schedule_export", args=[conference.slug, f]) for f in ("schedule.json", "schedule.xml")]
    urls += [reverse("schedule_export", args=[conference.slug, "schedule.ics"])]
    urls += [reverse("talk_ical", args=[conference.slug, talk.pk]), reverse("api-schedule", args=[conference.slug])]
    return urls


def _fetch_all(client, urls) -> dict[str, object]:
    answers = {url: client.get(url, headers={"accept": "application/json"}) for url in urls}
    assert all(a.status_code == 200 for a in answers.values()), {u: a.status_code for u, a in answers.items()}
    return answers


def _rename_speaker(conference, talks):
    Speaker.objects.filter(conference=conference, name="Ana Núñez").update(name="Ana Núñez-Ortega")
    return "Ana Núñez-Ortega"


def _rename_speaker_by_save(conference, talks):
    ana = Speaker.objects.get(conference=conference, name="Ana Núñez")
    ana.name = "Ana N. Ortega"
    ana.save()
    return "Ana N. Ortega"


def _add_speaker(conference, talks):
    talks[0].speakers.add(SpeakerFactory(conference=conference, name="Chiara Newcomer", email=""))
    return "Chiara Newcomer"


def _remove_speaker(conference, talks):
    talks[1].speakers.remove(Speaker.objects.get(conference=conference, name="Bo"))  # Bo stays on talks[2]
    return None


def _rename_room(conference, talks):
    Room.objects.filter(conference=conference, name="Main Hall").update(name="Grand Hall")
    return "Grand Hall"


def _rename_track(conference, talks):
    Track.objects.filter(conference=conference).update(name="Web and APIs")
    return "Web and APIs"


def _rename_conference(conference, talks):
    Conference.objects.filter(pk=conference.pk).update(name="PyConf Twenty-Seven")
    return "PyConf Twenty-Seven"


def _edit_abstract_without_stamp(conference, talks):
    """A bulk update that does not stamp updated_at (an import's, a data migration's)."""
    Talk.objects.filter(pk=talks[0].pk).update(abstract="Rewritten abstract", updated_at=talks[0].updated_at)
    return None


CHANGES = [
    _rename_speaker,
    _rename_speaker_by_save,
    _add_speaker,
    _remove_speaker,
    _rename_room,
    _rename_track,
    _rename_conference,
    _edit_abstract_without_stamp,
]


@pytest.mark.django_db
@pytest.mark.parametrize("change", CHANGES, ids=[c.__name__.strip("_") for c in CHANGES])
def test_a_change_the_feeds_show_gives_a_new_etag_and_the_new_content(client, change):
    conference, _release, talks, _ = published_conference()
    urls = _feeds(conference, talks[0])
    before = _fetch_all(client, urls)
    shown = change(conference, talks)
    for url in urls:
        after = client.get(url, headers={"if-none-match": before[url]["ETag"], "accept": "application/json"})
        assert after.status_code == 200 and after["ETag"] != before[url]["ETag"], url
        assert after.content == client.get(url, headers={"accept": "application/json"}).content, url  # fresh
        if "/talk/" not in url:  # one talk's calendar shows neither the conference's name nor other talks
            assert after.content != before[url].content, url
    schedule = client.get(urls[0]).json()["schedule"]["conference"]
    if shown:
        assert shown in json.dumps(schedule, ensure_ascii=False)
    events = {e["id"]: e for day in schedule["days"] for room in day["rooms"].values() for e in room}
    if change is _remove_speaker:
        assert [p["name"] for p in events[talks[1].pk]["persons"]] == ["Ana Núñez"]
    if change is _edit_abstract_without_stamp:
        assert events[talks[0].pk]["abstract"] == "Rewritten abstract"


@pytest.mark.django_db
def test_nothing_the_feeds_show_changed_is_a_304(client):
    """Unchanged, or changed where no feed looks (an unscheduled talk and its speaker, a vote), the
    client's copy is still right."""
    conference, _release, talks, _ = published_conference()
    urls = _feeds(conference, talks[0])
    before = _fetch_all(client, urls)
    VoteFactory(talk=talks[0], score=3)
    TalkFactory(conference=conference, title="Not scheduled", speakers=[SpeakerFactory(conference=conference)])
    for url in urls:
        again = client.get(url, headers={"if-none-match": before[url]["ETag"], "accept": "application/json"})
        assert again.status_code == 304 and again["ETag"] == before[url]["ETag"], url


@pytest.mark.django_db
def test_the_feeds_are_drawn_from_the_digested_rows_alone(django_assert_num_queries):
    """What the ETag digests is all a feed can show: drawing the schedule from the rows reads nothing."""
    _, release, _, _ = published_conference()
    source = selectors.schedule_source(release=release)
    with django_assert_num_queries(0):
        schedule = selectors.published_schedule(release=release, base_url="http://testserver/", source=source)
    assert schedule == selectors.published_schedule(release=release, base_url="http://testserver/")
    assert [p.name for p in schedule.items[0].persons] == ["Ana Núñez"]


@pytest.mark.django_db
def test_the_browsable_api_is_not_answered_with_the_documents_etag(client):
    conference, *_ = published_conference()
    url = reverse("api-schedule", args=[conference.slug])
    etag = client.get(url, headers={"accept": "application/json"})["ETag"]
    page = client.get(url, headers={"accept": "text/html", "if-none-match": etag})
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html") and page["ETag"] != etag


@pytest.mark.django_db(transaction=True)
@pytest.mark.services
def test_a_talk_saved_in_a_transaction_that_commits_late_is_served(postgres):
    """The race on PostgreSQL: one transaction saves a talk's title and stays open; meanwhile another
    talk is saved and committed and a client fetches the feeds; then the first commits. Its
    `updated_at`, stamped at save, is older than the newest, yet the client must get the new title."""
    conference, _release, talks, _ = published_conference()
    urls = _feeds(conference, talks[0])
    client = Client()
    with title_committed_late(late=talks[0], edited=talks[2]):
        before = _fetch_all(client, urls)
        assert LATE_TITLE.encode() not in before[urls[0]].content  # not committed yet
    for url in urls:
        after = client.get(url, headers={"if-none-match": before[url]["ETag"], "accept": "application/json"})
        assert after.status_code == 200 and after["ETag"] != before[url]["ETag"], url
    assert LATE_TITLE.encode() in client.get(urls[0]).content
