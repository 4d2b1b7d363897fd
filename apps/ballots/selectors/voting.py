"""Reads for the voting page: which talks a voter may vote on, in their order, with their votes."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from apps.attendance.selectors import talk_ids_of_user, voter_status
from apps.talks.models import Conference, Talk

from ..domain.ordering import ballot_order
from ..domain.voting import voting_refusal
from ..models import BallotReceipt, Vote
from .policies import class_weights, weight_policy_current


def talk_for_vote(*, user, conference: Conference, talk_id: int) -> tuple[Talk | None, set[int]]:
    """The candidate talk (None if this conference has no such talk, or it was withdrawn) and the
    talks the user speaks in (attendance decides who is a speaker of what)."""
    talk = (
        Talk.objects.select_related("track")
        .filter(pk=talk_id, conference=conference)
        .exclude(status=Talk.Status.WITHDRAWN)
        .first()
    )
    return talk, (talk_ids_of_user(user=user, conference=conference) if talk else set())


# Reads for the vote write path, kept a few seconds per process: the conference by slug, and how
# many of its talks are candidates. The write path checks every rule that matters (window, scale,
# talk) in the database itself, so a stale copy can only show a renamed scale label or an old
# progress total for those seconds; saving a conference or a talk in this process forgets both.
CONFERENCE_CACHE_SECONDS = 5.0
_conferences: dict[str, tuple[float, Conference]] = {}
_candidate_counts: dict[int, tuple[float, int]] = {}


def _kept(store: dict, key, load):
    """`store[key]` while it is fresh, else `load()` kept for CONFERENCE_CACHE_SECONDS (None is not kept)."""
    now = time.monotonic()
    cached = store.get(key)
    if cached is not None and cached[0] > now:
        return cached[1]
    value = load()
    if value is not None:
        if len(store) > 1000:  # never grows without bound
            store.clear()
        store[key] = (now + CONFERENCE_CACHE_SECONDS, value)
    return value


def conference_for_vote(*, slug: str) -> Conference | None:
    """The conference (not a draft) with this slug, or None; from the short per-process cache."""
    return _kept(
        _conferences, slug, lambda: Conference.objects.exclude(status=Conference.Status.DRAFT).filter(slug=slug).first()
    )


def candidate_talk_count(*, conference_id: int) -> int:
    """How many of the conference's talks are up for a vote (not withdrawn), for the progress line
    after each vote, from the short per-process cache: counting a large conference's talks on every
    vote was a scan of all of them (display only; the vote's rules are the database's)."""
    return _kept(
        _candidate_counts,
        conference_id,
        lambda: Talk.objects.filter(conference_id=conference_id).exclude(status=Talk.Status.WITHDRAWN).count(),
    )


def conference_for_vote_forget(**_kwargs) -> None:
    """A `post_save`/`post_delete` receiver for Conference and Talk (connected in apps.ballots.apps)."""
    _conferences.clear()
    _candidate_counts.clear()


def voting_closed_reason(*, conference: Conference) -> str | None:
    return voting_refusal(
        is_open_status=conference.status == Conference.Status.VOTING,
        opens_at=conference.voting_opens_at,
        closes_at=conference.voting_closes_at,
        now=timezone.now(),
    )


@dataclass(frozen=True)
class BallotFilters:
    track: str = ""
    format: str = ""
    query: str = ""
    unrated: bool = False


@dataclass(frozen=True)
class BallotPage:
    talks: list  # Talk objects of this page, each with `.my_score`
    talk_ids: list[int]  # all talks matching the filters, in the voter's order
    rated: int
    total: int


def ballot_talk_ids(*, user, conference: Conference) -> list[int]:
    """Every talk the user may vote on, in the user's own stable order."""
    ids = (
        Talk.objects.filter(conference=conference)
        .exclude(status=Talk.Status.WITHDRAWN)
        .exclude(pk__in=talk_ids_of_user(user=user, conference=conference))
        .values_list("pk", flat=True)
    )
    return ballot_order(voter_id=user.pk, talk_ids=ids)


def my_scores(*, user, conference: Conference) -> dict[int, int]:
    return dict(Vote.objects.filter(user_id=user.pk, talk__conference=conference).values_list("talk_id", "score"))


def ballot_page(*, user, conference: Conference, filters: BallotFilters, start: int, size: int) -> BallotPage:
    all_ids = ballot_talk_ids(user=user, conference=conference)
    scores = my_scores(user=user, conference=conference)
    matching = Talk.objects.filter(pk__in=all_ids)
    if filters.track:
        matching = matching.filter(track__slug=filters.track)
    if filters.format:
        matching = matching.filter(format=filters.format)
    if filters.query:
        matching = matching.filter(Q(title__icontains=filters.query) | Q(abstract__icontains=filters.query))
    if filters.track or filters.format or filters.query:
        keep = set(matching.values_list("pk", flat=True))
        ids = [pk for pk in all_ids if pk in keep]
    else:
        ids = all_ids
    if filters.unrated:
        ids = [pk for pk in ids if pk not in scores]
    page_ids = ids[start : start + size]
    talks = Talk.objects.filter(pk__in=page_ids).select_related("track")
    if not conference.blind_voting:
        talks = talks.prefetch_related("speakers")
    by_id = {talk.pk: talk for talk in talks}
    page = [by_id[pk] for pk in page_ids]
    for talk in page:
        talk.my_score = scores.get(talk.pk)
    rated = sum(1 for pk in all_ids if pk in scores)
    return BallotPage(talks=page, talk_ids=ids, rated=rated, total=len(all_ids))


def talk_for_card(*, conference: Conference, talk_id: int, user) -> Talk:
    talk = Talk.objects.select_related("track").prefetch_related("speakers").get(pk=talk_id, conference=conference)
    talk.my_score = Vote.objects.filter(user_id=user.pk, talk_id=talk_id).values_list("score", flat=True).first()
    return talk


def ballot_progress(*, user, conference: Conference) -> tuple[int, int]:
    """(rated, total) over the talks the user may vote on."""
    votable = (
        Talk.objects.filter(conference=conference)
        .exclude(status=Talk.Status.WITHDRAWN)
        .exclude(pk__in=talk_ids_of_user(user=user, conference=conference))
    )
    total = votable.count()
    rated = Vote.objects.filter(user_id=user.pk, talk__in=votable).count()
    return rated, total


@dataclass(frozen=True)
class VoterWeight:
    voter_class: str
    weight: float
    reason: str
    policy_version: int


def voter_weight(*, user, conference: Conference) -> VoterWeight:
    status = voter_status(user=user, conference=conference)
    policy = weight_policy_current(conference=conference)
    weight = class_weights(policy).of(status.voter_class)
    return VoterWeight(status.voter_class.value, weight, status.reason, policy.version)


def receipt_latest(*, user, conference: Conference) -> BallotReceipt | None:
    return (
        BallotReceipt.objects.filter(ballot__user_id=user.pk, ballot__conference=conference)
        .order_by("-sequence")
        .first()
    )


def receipts_of_user(*, user, conference: Conference):
    """The user's own receipts, newest first; never anyone else's."""
    return (
        BallotReceipt.objects.filter(ballot__user_id=user.pk, ballot__conference=conference)
        .select_related("event__talk")
        .order_by("-sequence")
    )
