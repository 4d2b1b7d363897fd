"""Helpers of the documents the project stores and serves as bytes (the public anonymised ballots, the
transparency report, the suggested promotions): each is built once for a key that digests its inputs,
under a lock on its row, and rebuilt when the key changes."""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import ModuleType

from django.db import models


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
