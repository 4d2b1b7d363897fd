"""Schemathesis drives every operation of the OpenAPI schema with generated input, as an anonymous
caller, a logged-in attendee and an organizer with a token: no 5xx, responses match the schema, and
operations that need a login refuse anonymous calls. The number of examples is bounded and the
generation derandomised, so the run is repeatable and quick."""

import datetime as dt

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import content_type_conformance, not_a_server_error, response_schema_conformance

from apps.scheduling.services import Placement, release_publish
from apps.talks.services import api_token_create
from tests.factories import ConferenceFactory, RoomFactory, SlotFactory, TalkFactory, UserFactory

EXAMPLES_PER_OPERATION = 10
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def keep_test_connection():
    """Requests through the raw WSGI app would close the database connection that holds the test's
    transaction when they finish; Django's test client avoids that the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def callers(db, keep_test_connection):
    """Real data behind the real slug, and the three kinds of caller."""
    conference = ConferenceFactory(slug="fuzzconf", start_date=dt.date(2027, 5, 3), end_date=dt.date(2027, 5, 4))
    room = RoomFactory(conference=conference)
    SlotFactory(room=room)
    talks = TalkFactory.create_batch(3, conference=conference)
    start = dt.datetime(2027, 5, 3, 9, tzinfo=dt.UTC)
    release_publish(
        conference=conference, placements=[Placement(talks[0].pk, room.pk, start, start + dt.timedelta(minutes=30))]
    )
    organizer = UserFactory(is_staff=True)
    _, key = api_token_create(conference=conference, user=organizer, name="fuzz")
    attendee = Client()
    attendee.force_login(UserFactory())
    return {
        "anonymous": {},
        "attendee": {"Cookie": f"sessionid={attendee.cookies['sessionid'].value}"},
        "organizer": {"Authorization": f"Token {key}"},
    }


def _protected(case) -> bool:
    """drf-spectacular lists an empty requirement ({}) for operations anyone may call."""
    security = case.operation.definition.raw.get("security", [])
    return bool(security) and {} not in security


@pytest.mark.parametrize("generation", ["positive", "negative"])
def test_api_holds_up_to_generated_input(callers, generation):
    """Plain Hypothesis over each operation's strategy (schemathesis' own pytest plugin is not used:
    it does not set up pytest-django's test database)."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    mode = GenerationMode.POSITIVE if generation == "positive" else GenerationMode.NEGATIVE
    impossible: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def exercise(case):
            for who, headers in callers.items():
                for real_slug in (False, True):
                    if real_slug and "slug" in (case.path_parameters or {}):
                        case.path_parameters = {**case.path_parameters, "slug": "fuzzconf"}
                    response = case.call(headers=headers)
                    checks = CHECKS if generation == "positive" else [not_a_server_error]
                    case.validate_response(response, checks=checks)
                    if who == "anonymous" and _protected(case):
                        assert response.status_code in (401, 403, 404), (
                            f"{case.method} {case.formatted_path} answered {response.status_code} to an anonymous call"
                        )

        try:
            exercise()
        except Unsatisfiable:
            # Some operations have no input that can be made invalid (no parameters, no body).
            assert generation == "negative", operation.label
            impossible.append(operation.label)
    assert len(impossible) < len(operations)
