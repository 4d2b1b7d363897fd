"""What a bloc detection run read besides the votes: the organizers' own data, as it was then.

Organizers change their data between runs — they record a promotion, declare an organisation, revise
the weight policy — and a run's findings follow from what it read. So each run keeps the weight
policy version it applied, the promotions in force (when each went out, where, which talks) and the
declared organisations (name, domains, company names), with a short digest over all of it: two runs
with the same digest read the same organizer data, and a finding that changed between them changed
because something else did (the votes, the tickets, the speakers)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# 16 hex digits (64 bits): enough to tell a conference's versions of its data apart at a glance.
DIGEST_LENGTH = 16


@dataclass(frozen=True)
class PromotionRead:
    promotion_id: int
    sent_at: dt.datetime
    channel: str
    talk_ids: tuple[int, ...]


@dataclass(frozen=True)
class OrganisationRead:
    organisation_id: int
    name: str
    email_domains: tuple[str, ...]
    company_names: tuple[str, ...]


def promotions_from_rows(rows: Iterable[tuple[int, int, dt.datetime, str]]) -> tuple[PromotionRead, ...]:
    """The promotions, from one row per promotion and featured talk (promotion id, talk id, sent_at,
    channel), in the order they went out."""
    talks: dict[int, set[int]] = {}
    facts: dict[int, tuple[dt.datetime, str]] = {}
    for promotion_id, talk_id, sent_at, channel in rows:
        talks.setdefault(promotion_id, set()).add(talk_id)
        facts[promotion_id] = (sent_at, channel)
    read = (
        PromotionRead(promotion_id=p, sent_at=facts[p][0], channel=facts[p][1], talk_ids=tuple(sorted(talks[p])))
        for p in facts
    )
    return tuple(sorted(read, key=lambda p: (p.sent_at, p.promotion_id)))


def _utc(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def run_inputs_record(
    *,
    policy_id: int,
    policy_version: int,
    promotions: Iterable[PromotionRead],
    organisations: Iterable[OrganisationRead],
) -> dict[str, Any]:
    """The record a run keeps (plain JSON), with its digest. The same data gives the same record, byte for byte."""
    body = {
        "policy": {"id": policy_id, "version": policy_version},
        "promotions": [
            {"id": p.promotion_id, "sent_at": _utc(p.sent_at), "channel": p.channel, "talks": list(p.talk_ids)}
            for p in promotions
        ],
        "organisations": [
            {
                "id": o.organisation_id,
                "name": o.name,
                "domains": list(o.email_domains),
                "company_names": list(o.company_names),
            }
            for o in organisations
        ],
    }
    return {**body, "digest": run_inputs_digest(body)}


def run_inputs_digest(body: Mapping[str, Any]) -> str:
    """SHA-256 of the record's canonical JSON (sorted keys, no spaces, UTF-8), its first 16 hex digits."""
    data = {key: body[key] for key in ("policy", "promotions", "organisations")}
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:DIGEST_LENGTH]


def run_inputs_summary(record: Mapping[str, Any] | None) -> str:
    """ "3 promotions, 2 declared organisations, policy v4" — or why there is nothing to say."""
    if not record:
        return "Not recorded (the run had not read its data, or ran before runs recorded it)."
    promotions, organisations = len(record.get("promotions", ())), len(record.get("organisations", ()))
    parts = [
        f"{promotions} promotion{'' if promotions == 1 else 's'}",
        f"{organisations} declared organisation{'' if organisations == 1 else 's'}",
        f"policy v{record.get('policy', {}).get('version', '?')}",
    ]
    return ", ".join(parts)


def run_inputs_short(record: Mapping[str, Any] | None) -> str:
    """For a list of runs, one short cell: "1a2b3c4d · 2 promotions · 1 org · v4" (the digest's first 8
    digits tell runs that read different data apart at a glance), or "—" when the run recorded nothing."""
    if not record:
        return "—"
    promotions, organisations = len(record.get("promotions", ())), len(record.get("organisations", ()))
    parts = [
        str(record.get("digest", ""))[:8],
        f"{promotions} promotion{'' if promotions == 1 else 's'}",
        f"{organisations} org{'' if organisations == 1 else 's'}",
        f"v{record.get('policy', {}).get('version', '?')}",
    ]
    return " · ".join(part for part in parts if part)
