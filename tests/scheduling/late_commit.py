"""The commit-order race of `updated_at`, staged on PostgreSQL for the tests of what is served from talks
(the transparency report, the schedule feeds): a save stamps `updated_at` when it runs, not when its
transaction commits, so a title saved first and committed last carries an older stamp than the newest."""

import threading
from contextlib import contextmanager

from django.db import connection, transaction

from apps.talks.models import Talk

LATE_TITLE = "Renamed by the import"
EDITED_TITLE = "Edited by an organizer"


@contextmanager
def title_committed_late(*, late: Talk, edited: Talk):
    """Saves `late`'s title (LATE_TITLE) in a transaction that stays open in another thread, then saves
    and commits `edited`'s (EDITED_TITLE). The block runs while the first is still open; leaving it
    commits the first, whose stamp is older than the second's."""
    saved, release_it = threading.Event(), threading.Event()
    failures = []

    def import_one_title():
        try:
            with transaction.atomic():
                talk = Talk.objects.get(pk=late.pk)
                talk.title = LATE_TITLE
                talk.save()
                saved.set()
                assert release_it.wait(30)
        except Exception as exc:  # reported below: an assertion in a thread would be lost
            failures.append(exc)
            saved.set()
        finally:
            connection.close()

    worker = threading.Thread(target=import_one_title)
    worker.start()
    try:
        assert saved.wait(30)
        talk = Talk.objects.get(pk=edited.pk)
        talk.title = EDITED_TITLE
        talk.save()
        yield
    finally:
        release_it.set()
        worker.join(30)
    assert not failures, failures
