"""The stored documents served with their ETag (confvote/stored.py stored_response: the public anonymised
ballots and the transparency report's API) answer a conditional GET by Django's rules: If-None-Match
compared weakly, `*` and lists of ETags, If-None-Match before If-Modified-Since, If-Match's 412, HEAD
where the view allows it; every answer with the same validators and cache headers."""

import pytest
from django.test import Client

from tests.ballots.test_anonymised_ballots_stored import _close_and_publish, _small_conference
from tests.ballots.test_anonymised_ballots_stored import _url as _ballots_url
from tests.scheduling.test_transparency_stored import _api as _transparency_url
from tests.scheduling.test_transparency_stored import _published

BALLOTS_CACHE = "public, max-age=300"
TRANSPARENCY_CACHE = "public, max-age=60"


@pytest.fixture
def anonymised_ballots(db):
    conference = _small_conference()
    _close_and_publish(conference)
    return _ballots_url(conference), BALLOTS_CACHE


@pytest.fixture
def transparency(db, django_capture_on_commit_callbacks):
    conference, _, _ = _published(django_capture_on_commit_callbacks)
    return _transparency_url(conference), TRANSPARENCY_CACHE


@pytest.fixture(params=["anonymised_ballots", "transparency"])
def served(request):
    return request.getfixturevalue(request.param)


def _conditional(client, url, **headers):
    return client.get(url, headers=headers)


@pytest.mark.django_db
def test_if_none_match_is_compared_weakly_and_reads_lists_and_star(served):
    url, cache = served
    client = Client()
    first = client.get(url)
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('"') and not etag.startswith("W/")
    for header in (
        etag,  # strong
        f"W/{etag}",  # the same document, weakly: If-None-Match always compares weakly
        f'"something-else", {etag}',  # a list that holds it
        f'W/"something-else",W/{etag}',  # without spaces, weak
        "*",  # any current document
    ):
        again = _conditional(client, url, if_none_match=header)
        assert again.status_code == 304, header
        assert again.content == b"" and again["ETag"] == etag and again["Cache-Control"] == cache, header
    for header in ('"something-else"', f'"something-else", W/"{etag[1:-1]}x"', etag[1:-1]):  # unquoted: no ETag
        other = _conditional(client, url, if_none_match=header)
        assert other.status_code == 200 and other.content == first.content, header
        assert other["ETag"] == etag and other["Cache-Control"] == cache, header


@pytest.mark.django_db
def test_if_match_and_if_none_match_precede_the_dates(anonymised_ballots):
    """If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2); If-Match on another document is a 412."""
    url, _ = anonymised_ballots
    client = Client()
    first = client.get(url)
    since = first["Last-Modified"]
    assert _conditional(client, url, if_modified_since=since).status_code == 304
    changed = _conditional(client, url, if_none_match='"something-else"', if_modified_since=since)
    assert changed.status_code == 200 and changed.content == first.content
    assert _conditional(client, url, if_match='"something-else"').status_code == 412
    assert _conditional(client, url, if_match=first["ETag"]).status_code == 200
    not_modified = _conditional(client, url, if_none_match=first["ETag"])
    assert not_modified["Last-Modified"] == since


@pytest.mark.django_db
def test_head_of_the_transparency_report(transparency):
    """The API view answers HEAD as GET without the body, and a HEAD with the ETag gets the 304."""
    url, cache = transparency
    client = Client()
    first = client.get(url)
    head = client.head(url)
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == first["ETag"] and head["Cache-Control"] == cache
    assert head["Content-Type"] == "application/json"
    assert client.head(url, headers={"if-none-match": first["ETag"]}).status_code == 304


@pytest.mark.django_db
def test_the_anonymised_ballots_answer_get_only(anonymised_ballots):
    """As before: the download is a GET (require_GET), a HEAD is refused rather than served."""
    url, _ = anonymised_ballots
    assert Client().head(url).status_code == 405


@pytest.mark.django_db
def test_the_browsable_report_is_not_validated_by_the_json_etag(transparency):
    """The browsable API's page is another representation (with a form token of its own each time): the
    JSON bytes' ETag does not validate it, so it is drawn whole, under the middleware's ETag of the page."""
    url, _ = transparency
    client = Client()
    etag = client.get(url)["ETag"]
    page = client.get(url, headers={"accept": "text/html", "if-none-match": etag})
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert page["ETag"] != etag
