"""The stored transparency report's key follows what the report shows of the talks, their titles, and
not when they were last saved: a title saved in a transaction that commits after a later edit of
another talk (an import of many talks next to an organizer's edit) carries an older `updated_at` than
the newest one, and the report must still show it. However often it is rebuilt, a release keeps one
stored report."""

import pytest
from django.test import Client

from apps.scheduling.models import TransparencyReportDocument
from apps.talks.models import Talk
from tests.scheduling.late_commit import LATE_TITLE, title_committed_late
from tests.scheduling.test_transparency_stored import _api, _published


def _titles(response) -> dict[int, str]:
    return {talk["talk"]: talk["title"] for talk in response.json()["talks"]}


@pytest.mark.django_db
def test_a_title_committed_with_an_older_stamp_than_the_newest_is_shown(client, django_capture_on_commit_callbacks):
    """The state such a late commit leaves: the report was built while the import was still open, then
    the import's title lands with a stamp older than the organizer's edit."""
    conference, talks, release = _published(django_capture_on_commit_callbacks)
    imported, edited = talks[0], talks[1]
    stamp_before_the_edit = Talk.objects.get(pk=imported.pk).updated_at
    edited.title = "Edited by an organizer"
    edited.save()
    before = client.get(_api(conference))
    assert _titles(before)[edited.pk] == "Edited by an organizer"
    Talk.objects.filter(pk=imported.pk).update(title="Renamed by the import", updated_at=stamp_before_the_edit)
    after = client.get(_api(conference), headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200 and _titles(after)[imported.pk] == "Renamed by the import"
    assert TransparencyReportDocument.objects.filter(release=release).count() == 1  # rebuilt in place


@pytest.mark.django_db(transaction=True)
@pytest.mark.services
def test_a_title_saved_in_a_transaction_that_commits_late_is_shown(postgres, django_capture_on_commit_callbacks):
    """The race itself on PostgreSQL: one transaction saves a title and stays open; meanwhile another
    talk's title is saved and committed and the report is built; then the first commits."""
    conference, talks, _ = _published(django_capture_on_commit_callbacks)
    client = Client()
    with title_committed_late(late=talks[0], edited=talks[1]):
        before = client.get(_api(conference))
        assert _titles(before)[talks[0].pk] != LATE_TITLE  # not committed yet
    after = client.get(_api(conference), headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200 and _titles(after)[talks[0].pk] == LATE_TITLE
