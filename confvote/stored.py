"""Helpers of the documents the project stores and serves as bytes (the public anonymised ballots, the
transparency report, the suggested promotions): each is built once for a key that digests its inputs,
under a lock on its row, and rebuilt when the key changes."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import ModuleType

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition


def sources_digest(*modules: ModuleType) -> str:
    """A digest of the modules' source files, in order: part of a stored document's key, so that after a
    release that changes the code writing it, what was stored before is built again. A build without its
    sources digests the modules' names, which releases share."""
    digest = hashlib.sha256()
    for module in modules:
        try:
            digest.update(Path(module.__file__).read_bytes())
        except OSError:
            digest.update(module.__name__.encode())
    return digest.hexdigest()


def row_locked(model: type[models.Model], *, defer: tuple[str, ...] = (), **lookup) -> models.Model:
    """The row of `model` for `lookup`, created if missing, locked for the transaction (no key lock: rows
    pointing to it may still be written) and without the `defer` columns (a stored document's bytes).
    Concurrent first builders wait here, and the one that comes second finds the first's key."""
    model.objects.get_or_create(**lookup)
    return model.objects.select_for_update(no_key=True).defer(*defer).get(**lookup)


def stored_response(
    request: HttpRequest,
    *,
    etag: str,
    max_age: int,
    respond: Callable[[], HttpResponse],
    last_modified: datetime | None = None,
) -> HttpResponse:
    """A stored document's answer (or a drawn one whose ETag digests its inputs, as the schedule API's):
    a 304 for a client that has it, else `respond()` (which reads the bytes or draws the document),
    either one with the document's ETag (quoted), its Last-Modified when given, and
    public for `max_age` seconds. Django's own `condition` and `cache_control` do the work: If-None-Match
    compared weakly (a W/ prefix matches), `*`, a list of ETags, If-Modified-Since, If-Match's 412. They
    are wrapped here because `condition` asks for the ETag before the view runs, and a stored document's
    ETag is only known once the view has found the document."""

    @cache_control(public=True, max_age=max_age)
    @condition(etag_func=lambda _request: etag, last_modified_func=lambda _request: last_modified)
    def served(_request: HttpRequest) -> HttpResponse:
        return respond()

    return served(request)
