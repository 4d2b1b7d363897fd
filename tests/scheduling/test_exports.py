"""Published schedules as schedule.json, schedule.xml and iCalendar: valid against the public schemas,
stable across versions, cached correctly, and the personal feed shows only that person's talks."""

import datetime as dt
import json
import zoneinfo

import jsonschema
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar
from lxml import etree

from apps.scheduling.models import ScheduleRelease
from apps.scheduling.services import Placement, release_publish
from apps.scheduling.views import my_schedule_url
from apps.talks.models import Talk
from tests.factories import (
    ConferenceFactory,
    RoomFactory,
    SpeakerFactory,
    TalkFactory,
    TrackFactory,
    UserFactory,
    VoteFactory,
)

pytestmark = pytest.mark.django_db
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


@pytest.fixture
def json_validator(shared_data):
    schema = json.loads((shared_data / "schedule-formats" / "schedule.schema.json").read_text())
    return jsonschema.Draft6Validator(schema, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER)


@pytest.fixture
def xml_schema(shared_data):
    return etree.XMLSchema(etree.parse(str(shared_data / "schedule-formats" / "schedule.xml.xsd")))


@pytest.fixture
def published():
    return published_conference()


def published_conference():
    """A two-day conference whose names hit every known trap: a hyphenated slug (the JSON acronym may
    not have hyphens), a track slug starting with a digit (the XSD needs a letter), non-ASCII titles,
    a speaker without email, and a late-evening talk."""
    conference = ConferenceFactory(
        slug="py-conf-2027",
        name="PyConf 2027",
        timezone="Europe/Berlin",
        start_date=dt.date(2027, 5, 3),
        end_date=dt.date(2027, 5, 4),
    )
    hall, small = (
        RoomFactory(conference=conference, name="Main Hall", capacity=500, position=0),
        RoomFactory(conference=conference, name="Room B", capacity=50, position=1),
    )
    track = TrackFactory(conference=conference, name="Web & APIs", slug="1-web", color="#112233")
    ana = SpeakerFactory(conference=conference, name="Ana Núñez", email="ana@example.org", biography="Bio")
    bo = SpeakerFactory(conference=conference, name="Bo", email="")
    talks = [
        TalkFactory(conference=conference, title="Async views — überall", track=track, speakers=[ana]),
        TalkFactory(conference=conference, title="数据 pipelines", speakers=[bo, ana], format="workshop"),
        TalkFactory(conference=conference, title="Late night hacking", speakers=[bo]),
    ]

    def at(day, hour, minute=0):
        return dt.datetime(2027, 5, day, hour, minute, tzinfo=BERLIN)

    release = release_publish(
        conference=conference,
        placements=[
            Placement(talks[0].pk, hall.pk, at(3, 10), at(3, 10, 45)),
            Placement(talks[1].pk, small.pk, at(3, 10), at(3, 11, 30)),
            Placement(talks[2].pk, hall.pk, at(4, 23), at(4, 23, 45)),
        ],
        changelog="First schedule",
    )
    return conference, release, talks, (hall, small)


def get(client, name, conference, **kwargs):
    return client.get(reverse(name, kwargs={"slug": conference.slug, **kwargs}))


def test_schedule_json_is_valid_against_the_c3voc_schema(client, published, json_validator):
    conference, _release, talks, _ = published
    response = get(client, "schedule_export", conference, fmt="schedule.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    document = json.loads(response.content)
    errors = sorted(json_validator.iter_errors(document), key=str)
    assert errors == [], [f"{list(e.path)}: {e.message}" for e in errors]
    conf = document["schedule"]["conference"]
    assert conf["acronym"] == "py_conf_2027"
    assert [t["slug"] for t in conf["tracks"]] == ["track-1-web"]
    assert [d["date"] for d in conf["days"]] == ["2027-05-03", "2027-05-04"]
    assert all(d["day_start"] and d["day_end"] for d in conf["days"])  # EventFahrplan needs both
    events = [e for d in conf["days"] for room in d["rooms"].values() for e in room]
    assert sorted(e["title"] for e in events) == sorted(t.title for t in talks)
    late = next(e for e in events if e["title"] == "Late night hacking")
    assert late["date"] == "2027-05-04T23:00:00+02:00" and late["duration"] == "00:45"
    assert "ana@example.org" not in response.content.decode()  # emails make guids, never leave


def test_schedule_xml_is_valid_against_the_frab_xsd(client, published, xml_schema):
    conference, *_ = published
    response = get(client, "schedule_export", conference, fmt="schedule.xml")
    assert response.status_code == 200
    document = etree.fromstring(response.content)
    valid = xml_schema.validate(document)
    assert valid, [str(e) for e in xml_schema.error_log]
    assert document.find("conference/track").get("slug") == "track-1-web"
    assert len(document.findall("day/room/event")) == 3


def test_pretalx_own_xml_fails_the_xsd_where_ours_passes(shared_data, xml_schema):
    """The reference: pretalx's export trips over track slugs that start with a digit."""
    pretalx = etree.parse(str(shared_data / "pretalx-samples" / "real_schedule.xml"))
    assert not xml_schema.validate(pretalx)
    assert any("slug" in str(e) for e in xml_schema.error_log)


def test_ical_parses_and_matches_the_schedule(client, published):
    conference, _release, talks, _ = published
    response = get(client, "schedule_export", conference, fmt="schedule.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {t.title for t in talks}
    first = events["Async views — überall"]
    assert first.decoded("DTSTART") == dt.datetime(2027, 5, 3, 8, 0, tzinfo=dt.UTC)
    assert first.decoded("DTEND") - first.decoded("DTSTART") == dt.timedelta(minutes=45)
    assert str(first["LOCATION"]) == "Main Hall"
    single = Calendar.from_ical(get(client, "talk_ical", conference, talk_id=talks[1].pk).content)
    assert [str(e["SUMMARY"]) for e in single.walk("VEVENT")] == ["数据 pipelines"]
    assert get(client, "talk_ical", conference, talk_id=999_999).status_code == 404


def test_older_versions_stay_available_and_identifiers_are_stable(client, published, json_validator):
    conference, _release, talks, (_hall, small) = published
    v1 = json.loads(get(client, "schedule_export", conference, fmt="schedule.json").content)
    moved = dt.datetime(2027, 5, 4, 14, 0, tzinfo=BERLIN)
    release_publish(
        conference=conference,
        placements=[Placement(talks[0].pk, small.pk, moved, moved + dt.timedelta(minutes=45))],
        changelog="Only the first talk remains",
    )
    latest = json.loads(get(client, "schedule_export", conference, fmt="schedule.json").content)
    old = json.loads(get(client, "schedule_export_version", conference, fmt="schedule.json", version=1).content)
    assert (latest["schedule"]["version"], old["schedule"]["version"]) == ("2", "1")
    assert old == v1
    events = [e for d in latest["schedule"]["conference"]["days"] for r in d["rooms"].values() for e in r]
    assert [(e["room"], e["date"]) for e in events] == [("Room B", "2027-05-04T14:00:00+02:00")]
    v1_guid = next(
        e["guid"]
        for d in v1["schedule"]["conference"]["days"]
        for r in d["rooms"].values()
        for e in r
        if e["id"] == talks[0].pk
    )
    assert events[0]["guid"] == v1_guid
    assert not list(json_validator.iter_errors(latest))
    assert get(client, "schedule_export_version", conference, fmt="schedule.xml", version=9).status_code == 404


def test_conditional_get_and_cache_headers(client, published):
    conference, *_ = published
    first = get(client, "schedule_export", conference, fmt="schedule.json")
    assert "max-age=300" in first["Cache-Control"] and "public" in first["Cache-Control"]
    assert first["ETag"] and not first.has_header("Last-Modified")  # no honest date: see views._etag
    url = reverse("schedule_export", kwargs={"slug": conference.slug, "fmt": "schedule.json"})
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    other = get(client, "schedule_export", conference, fmt="schedule.xml")
    assert other["ETag"] != first["ETag"]


def test_no_schedule_yet_and_drafts_are_404(client):
    voting = ConferenceFactory()
    response = get(client, "schedule_export", voting, fmt="schedule.json")
    assert response.status_code == 404
    draft = ConferenceFactory(status="draft")
    assert get(client, "schedule_export", draft, fmt="schedule.xml").status_code == 404
    assert client.get(f"/c/{voting.slug}/schedule.pdf").status_code == 404


def test_my_schedule_feed_lists_only_my_wanted_scheduled_talks(client, published):
    conference, _release, talks, _ = published
    me, other = UserFactory(), UserFactory()
    VoteFactory(user=me, talk=talks[0], score=3)  # wanted
    VoteFactory(user=me, talk=talks[1], score=1)  # only "maybe": not wanted
    VoteFactory(user=other, talk=talks[2], score=3)
    unscheduled = TalkFactory(conference=conference)
    VoteFactory(user=me, talk=unscheduled, score=3)
    url = my_schedule_url(user=me, conference=conference)
    calendar = Calendar.from_ical(client.get(url).content)
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == [talks[0].title]
    assert client.get(url)["Cache-Control"] == "private, max-age=300"
    tampered = url.replace(".ics", "x.ics")
    assert client.get(tampered).status_code == 404
    elsewhere = ConferenceFactory()
    release_publish(conference=elsewhere, placements=[])
    foreign = my_schedule_url(user=me, conference=conference).replace(conference.slug, elsewhere.slug)
    assert client.get(foreign).status_code == 404


def test_release_publish_refuses_bad_placements_and_writes_nothing(published):
    conference, _release, talks, (hall, small) = published
    start = dt.datetime(2027, 5, 3, 15, 0, tzinfo=BERLIN)
    end = start + dt.timedelta(minutes=45)
    foreign_talk = TalkFactory()
    cases = {
        "is not a talk of": [Placement(foreign_talk.pk, hall.pk, start, end)],
        "is not a room of": [Placement(talks[0].pk, RoomFactory().pk, start, end)],
        "ends before it starts": [Placement(talks[0].pk, hall.pk, end, start)],
        "placed twice": [Placement(talks[0].pk, hall.pk, start, end), Placement(talks[0].pk, small.pk, start, end)],
        "overlap": [
            Placement(talks[0].pk, hall.pk, start, end),
            Placement(talks[1].pk, hall.pk, start + dt.timedelta(minutes=30), end + dt.timedelta(hours=1)),
        ],
    }
    for message, placements in cases.items():
        with pytest.raises(ValidationError, match=message):
            release_publish(conference=conference, placements=placements)
    assert ScheduleRelease.objects.filter(conference=conference).count() == 1


def test_schedule_xml_stays_valid_with_a_control_character_in_a_title(client, published, xml_schema):
    """XML cannot hold a control character even escaped: one vertical tab in a title made the whole
    schedule.xml unreadable for every feed reader."""
    conference, _release, talks, _rooms = published
    Talk.objects.filter(pk=talks[0].pk).update(title="Async\x0bviews\x1b", abstract="a\x01b")
    response = get(client, "schedule_export", conference, fmt="schedule.xml")
    document = etree.fromstring(response.content)
    assert xml_schema.validate(document), [str(e) for e in xml_schema.error_log]
    assert "Asyncviews" in [e.text for e in document.iter("title")]
