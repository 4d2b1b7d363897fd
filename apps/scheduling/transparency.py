"""The public transparency report, stored: built once for the state of everything it shows, then served.

Building it reads the proposal's result, the tally rows and every talk of the conference (0.5-1 s on
5,000 talks); it is public and anonymous, so it is kept per release under a key that digests all it
depends on. The release, its placements, the proposal's result and its tally are immutable; what
changes after publication (pledges settling, bloc decisions and detections, committee overrides, a
newer published tally, talk titles, room names) is read for the key in a few queries, so the
next request after any of these builds it again. Concurrent first requests wait on the release's
document row: one builds, the others serve what it stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from functools import cache

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from apps.attendance.models import Pledge
from apps.ballots.domain import blocs as blocs_domain
from apps.ballots.models import TallySnapshot
from apps.talks.models import Talk
from confvote.stored import row_locked, sources_digest

from . import pages
from .models import Room, ScheduleOverride, ScheduleProposal, ScheduleRelease, TransparencyReportDocument

FORMAT = 1  # raise when the documents change shape without a change to the modules digested below


def transparency_key(*, release: ScheduleRelease) -> str:
    """A digest of every input of the release's report, in seven queries (one reads every talk's title)."""
    conference_id = release.conference_id
    proposal = None
    if release.proposal_id:
        proposal = (
            ScheduleProposal.objects.filter(pk=release.proposal_id)
            .values(
                "finished_at",
                "tally_snapshot_id",
                "tally_snapshot__vote_count",
                "tally_snapshot__voter_count",
                "tally_snapshot__policy__version",
                "tally_snapshot__policy__ticket_holder_weight",
                "tally_snapshot__policy__pledger_weight",
            )
            .first()
        )
    published = (
        TallySnapshot.objects.filter(conference_id=conference_id, published_at__isnull=False)
        .order_by("-published_at", "-id")  # as selectors.tally_latest(published_only=True)
        .values_list("pk", "input_digest", "published_at", "bulletin_head", "bulletin_size", "policy__version")
        .first()
    )
    # The titles themselves (all the report shows of a talk), not when the talks were last saved: a save
    # stamps updated_at before its transaction commits, so an import that commits after another talk's
    # later edit left the newest stamp, and the report, as they were. 5,000 titles read in about 5 ms.
    titles = Talk.objects.filter(conference_id=conference_id).order_by("pk").values_list("pk", "title")
    parts = {
        "format": FORMAT,
        "code": _code_digest(),
        "release": [release.pk, release.version, release.published_at, release.proposal_id],
        "proposal": proposal,
        "published_tally": published,
        "titles": list(titles),
        "rooms": list(Room.objects.filter(conference_id=conference_id).order_by("pk").values_list("pk", "name")),
        "pledges": sorted(
            Pledge.objects.filter(conference_id=conference_id).values_list("status").annotate(n=Count("pk"))
        ),
        "overrides": ScheduleOverride.objects.filter(conference_id=conference_id).count(),
        "blocs": list(
            pages.public_blocs(conference_id=conference_id).values_list(
                "talk_id", "key", "size", "signals", "direction", "counts_as", "weight", "status"
            )
        ),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def transparency_document(*, release: ScheduleRelease) -> TransparencyReportDocument:
    """The release's stored report for the current state (without its content), built if it is not."""
    key = transparency_key(release=release)
    found = TransparencyReportDocument.objects.filter(release=release, key=key).defer("content", "page").first()
    return found or _document_build(release, key)


def transparency_content(*, document: TransparencyReportDocument) -> bytes:
    """The API document's bytes."""
    return bytes(TransparencyReportDocument.objects.filter(pk=document.pk).values_list("content", flat=True).get())


def transparency_page(*, document: TransparencyReportDocument, release: ScheduleRelease) -> dict:
    """The web page's report (what pages.transparency_report gives, as the template reads it), except
    that `decisions` holds each talk's decision still encoded, with the talks' titles alongside in
    `titles` for the search: the page decodes only the talks it shows (transparency_decision). Decoding
    all 5,000 made a few hundred thousand objects, and Python's collector ran over them for 0.15 s."""
    report = json.loads(
        bytes(TransparencyReportDocument.objects.filter(pk=document.pk).values_list("page", flat=True).get())
    )
    report["release"] = release
    return report


def transparency_decision(encoded: str) -> dict:
    """One talk's decision of transparency_page, as the template reads it."""
    decision = json.loads(encoded)
    if decision["entry"]:
        decision["entry"]["start"] = dt.datetime.fromisoformat(decision["entry"]["start"])
    return decision


def _document_build(release: ScheduleRelease, key: str) -> TransparencyReportDocument:
    with transaction.atomic():
        document = row_locked(TransparencyReportDocument, defer=("content", "page"), release=release)
        # Read under the lock: a request that waited for another's build finds it here.
        if document.key == key:
            return document
        report = pages.transparency_report(release=release)
        # The bytes the API view rendered from this dict before it was stored.
        content = JSONRenderer().render(api_document(release=release, report=report))
        document.key = key
        document.etag = hashlib.sha256(content).hexdigest()
        document.built_at = timezone.now()
        document.content = content
        document.page = json.dumps(_page_document(report)).encode()
        document.save(update_fields=["key", "etag", "built_at", "content", "page"])
        return document


def api_document(*, release: ScheduleRelease, report: dict) -> dict:
    """GET /conferences/<slug>/transparency/ (docs/api.md). The decisions' fields are read with .get: the
    page is built with the document, and draws a result that lacks one (an old or hand-made proposal)."""

    def tally(row):
        if row is None:
            return None
        return {field: getattr(row, field) for field in pages.TALLY_FIELDS}

    return {
        "version": release.version,
        "published_at": release.published_at,
        "published_tally": _published_tally_info(report["published_tally"]),
        "overall": {
            "accepted": report["accepted"],
            "overrides": report["overrides"],
            "blocs": report["blocs"],
            "bloc_weight_removed": report["bloc_weight_removed"],
            "pledges": report["pledges"],
            "satisfaction": report["satisfaction"],
            "baselines": dict(report["baselines"]),
            "sensitivity": report["sensitivity"],
        },
        "talks": [
            {
                "talk": d["talk"].pk,
                "title": d["talk"].title,
                "status": d.get("status"),
                "rank": d.get("rank"),
                "why": d.get("why"),
                "where": d.get("where"),
                "override_reason": d.get("override_reason"),
                "departs_from_vote": d.get("departs_from_vote"),
                "votes": tally(d["tally"]),
                "blocs": d["blocs"],
                "similarity": d["similarity"],
                "room": d["entry"].room.name if d["entry"] else None,
                "start": d["entry"].start if d["entry"] else None,
            }
            for d in report["decisions"]
        ],
    }


def _published_tally_info(snapshot) -> dict | None:
    """The conference's published tally and its bulletin board's hash-chain head (null before chaining)."""
    if snapshot is None:
        return None
    return {
        "input_digest": snapshot.input_digest,
        "policy_version": snapshot.policy.version,
        "published_at": snapshot.published_at,
        "bulletin_head": snapshot.bulletin_head or None,
        "bulletin_size": snapshot.bulletin_size,
    }


def _page_document(report: dict) -> dict:
    """The report as the page's template reads it, in JSON: models become the few fields it shows
    (weights as the text the template would print), times ISO strings read back by transparency_decision,
    and each decision is encoded on its own (see transparency_page)."""
    snapshot, published = report["snapshot"], report["published_tally"]
    return {
        "snapshot": snapshot
        and {
            "vote_count": snapshot.vote_count,
            "voter_count": snapshot.voter_count,
            "policy": {
                "version": snapshot.policy.version,
                "ticket_holder_weight": str(snapshot.policy.ticket_holder_weight),
                "pledger_weight": str(snapshot.policy.pledger_weight),
            },
        },
        "published_tally": published
        and {"bulletin_head": published.bulletin_head, "bulletin_size": published.bulletin_size},
        "titles": [d["talk"].title for d in report["decisions"]],
        "decisions": [
            json.dumps(
                {
                    **{k: v for k, v in d.items() if k not in ("talk", "tally", "entry")},
                    "talk": {"pk": d["talk"].pk, "title": d["talk"].title},
                    "tally": d["tally"] and {field: getattr(d["tally"], field) for field in pages.TALLY_FIELDS},
                    "entry": d["entry"]
                    and {"room": {"name": d["entry"].room.name}, "start": d["entry"].start.isoformat()},
                }
            )
            for d in report["decisions"]
        ],
        **{
            name: report[name]
            for name in (
                "satisfaction",
                "baselines",
                "problems",
                "overrides",
                "pledges",
                "accepted",
                "blocs",
                "sensitivity",
                "sensitivity_rows",
                "bloc_weight_removed",
            )
        },
    }


@cache
def _code_digest() -> str:
    """The modules that write the report, this one included (confvote.stored.sources_digest)."""
    return sources_digest(pages, blocs_domain, sys.modules[__name__])
