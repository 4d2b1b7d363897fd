"""Reads that feed bloc detection: votes with their first-cast time, who each voter is, who speaks."""

from __future__ import annotations

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.db.models.functions import Lower

from apps.attendance.domain.eligibility import VoterClass
from apps.attendance.models import Ticket, TicketClaim
from apps.attendance.selectors import voter_class_map
from apps.talks.models import Conference, Talk

from ..domain.blocs import GROUP_WORDS, bloc_member_sentence
from ..domain.blocs import Bloc as FoundBloc
from ..domain.blocs_input import BlocInput, TalkFacts, VoterFacts, VoteScale, bloc_input_build
from ..models import Bloc, Promotion, Vote, WeightPolicy
from .policies import class_weights
from .tally import votes_packed


def bloc_input(*, conference: Conference, policy: WeightPolicy) -> BlocInput:
    """Every current vote (time = when it was first cast), each voter's class weight, ticket order,
    company (from their ticket), email domain (their account's, or their own ticket's work address when
    the account uses free mail) and account creation time; each talk's speakers' domains, companies
    and user accounts, and when the organizers promoted it."""
    voter_ids, talk_ids, scores, at = vote_arrays_timed(conference=conference)
    weights = class_weights(policy)
    classes = voter_class_map(conference=conference)
    tickets = {
        user_id: (order_code, company, holder_email.lower())
        for user_id, order_code, company, holder_email in TicketClaim.objects.filter(
            conference=conference, ticket__status=Ticket.Status.VALID
        ).values_list("user_id", "ticket__order_code", "ticket__holder_company", "ticket__holder_email")
    }
    # An address on several tickets of one order is the booker's, not each attendee's own.
    shared = set(
        Ticket.objects.filter(conference=conference)
        .exclude(holder_email="")
        .annotate(email_ci=Lower("holder_email"))
        .values("order_code", "email_ci")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("order_code", "email_ci")
    )
    from apps.attendance.models import User

    accounts = {
        pk: (email, joined)
        for pk, email, joined in User.objects.filter(  # a subquery: a list of a hundred thousand ids is slower to send
            pk__in=Vote.objects.filter(talk__conference=conference).values("user_id")
        ).values_list("pk", "email", "date_joined")
    }
    free = settings.FREE_MAIL_DOMAINS
    voters = []
    for v in sorted(set(voter_ids.tolist())):
        email, joined = accounts.get(v, ("", None))
        order_code, company, holder_email = tickets.get(v, (None, "", ""))
        domain, ticket_domain = _domain(email), _domain(holder_email)
        # Someone who signed up with free mail but whose own ticket carries a work address: the ticket
        # says where they work.
        if domain in free and ticket_domain and ticket_domain not in free and (order_code, holder_email) not in shared:
            domain = ticket_domain
        voters.append(
            VoterFacts(
                voter_id=v,
                weight=weights.of(classes.get(v, VoterClass.NOT_ELIGIBLE)),
                order_code=order_code,
                email_domain=domain,
                company=company or None,
                joined_at=joined.timestamp() if joined is not None else None,
            )
        )
    # Speakers with a user account are voters too (the `speakers` signal): Speaker.user_id comes with
    # the prefetched speakers, so this is still one query for all talks' speakers.
    promoted = promotion_times_by_talk(conference=conference)
    talks = [
        TalkFacts(
            talk_id=t.pk,
            speaker_email_domains=tuple(s.email_domain for s in t.speakers.all() if s.email_domain),
            speaker_companies=tuple(s.company for s in t.speakers.all() if s.company),
            speaker_voter_ids=tuple(sorted({s.user_id for s in t.speakers.all() if s.user_id is not None})),
            promoted_at=promoted.get(t.pk, ()),
        )
        for t in Talk.objects.filter(conference=conference).prefetch_related("speakers")
    ]
    return bloc_input_build(
        voter_ids=voter_ids,
        talk_ids=talk_ids,
        scores=scores,
        at_seconds=at,
        voters=voters,
        talks=talks,
        scale=VoteScale(
            minimum=conference.scale_min,
            maximum=conference.scale_max,
            wanted_min=conference.wanted_min_score,
            labels=tuple(conference.scale_labels),
        ),
        free_mail_domains=settings.FREE_MAIL_DOMAINS,
    )


def promotion_times_by_talk(*, conference: Conference) -> dict[int, tuple[float, ...]]:
    """talk id → when the conference's recorded promotions featured it (seconds since the epoch, in
    order). One query for all promotions."""
    times: dict[int, list[float]] = {}
    rows = Promotion.talks.through.objects.filter(promotion__conference=conference).values_list(
        "talk_id", "promotion__sent_at"
    )
    for talk_id, sent_at in rows.order_by("talk_id", "promotion__sent_at"):
        times.setdefault(talk_id, []).append(sent_at.timestamp())
    return {talk_id: tuple(at) for talk_id, at in times.items()}


def vote_arrays_timed(*, conference: Conference) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(voter ids, talk ids, scores, first-cast times in whole seconds) of every current vote on the
    conference's candidate talks, ordered by voter and talk."""
    if connection.vendor == "postgresql":  # packed by the database, as the tally reads them
        body = votes_packed(conference_id=conference.pk, first_cast=True)
        voters, talks, scores, at = (body[c].astype(np.int64) for c in ("voter", "talk", "score", "at"))
    else:
        rows = (
            Vote.objects.filter(talk__conference=conference)
            .exclude(talk__status=Talk.Status.WITHDRAWN)
            .values_list("user_id", "talk_id", "score", "created_at")
        )
        flat = np.array([(v, t, s, int(when.timestamp())) for v, t, s, when in rows], dtype=np.int64)
        voters, talks, scores, at = flat.reshape(-1, 4).T.copy()
    order = np.lexsort((talks, voters))
    return voters[order], talks[order], scores[order].astype(np.int16), at[order]


def _domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower() if "@" in email else ""


def bloc_reasons_for_user(*, user, conference: Conference) -> dict[int, str]:
    """talk id → what happened to this person's vote on it, in words that name nobody else."""
    blocs = Bloc.objects.filter(conference=conference, present=True, members=user).exclude(status="dismissed")
    return {bloc.talk_id: stored_bloc_sentence(bloc) for bloc in blocs}


def stored_bloc_sentence(bloc: Bloc) -> str:
    """What a member's vote on the bloc's talk counted at, and why; names no member."""
    return bloc_member_sentence(
        size=bloc.size,
        signals=bloc.signals,
        direction=bloc.direction,
        multiplier=bloc.multiplier,
        confirmed=bloc.status == Bloc.Status.CONFIRMED,
    )


def stored_bloc_as_found(bloc: Bloc) -> FoundBloc:
    """A stored bloc as the detection code's own Bloc, so its rules (bounds, discounts) apply to it.
    The members must be prefetched."""
    return FoundBloc(
        key=bloc.key,
        talk_id=bloc.talk_id,
        direction=bloc.direction,
        member_ids=tuple(sorted(m.pk for m in bloc.members.all())),
        weight=bloc.weight,
        fair_share=bloc.fair_share,
        signals=tuple(bloc.signals),
        evidence=(),
        p_value=bloc.p_value,
    )


# The signals an organizer can filter blocs by, in the words a member's receipt uses.
SIGNAL_CHOICES = tuple(sorted(GROUP_WORDS.items(), key=lambda item: item[1]))


def blocs_with_signal(queryset, signal: str):
    """The blocs whose evidence includes `signal` (one of SIGNAL_CHOICES). `signals` is a JSON list of
    names; quoted, no name is inside another ("burst" and "organisation_burst"), and a text match works
    on every database, unlike JSON containment."""
    return queryset.filter(signals__icontains=f'"{signal}"')
