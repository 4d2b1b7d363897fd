"""Reads that feed bloc detection: votes with their first-cast time, who each voter is, who speaks."""

from __future__ import annotations

import numpy as np
from django.conf import settings

from apps.attendance.domain.eligibility import VoterClass
from apps.attendance.models import Ticket, TicketClaim
from apps.attendance.selectors import voter_class_map
from apps.talks.models import Conference, Talk

from ..domain.blocs import GROUP_WORDS, bloc_member_sentence
from ..domain.blocs import Bloc as FoundBloc
from ..domain.blocs_input import BlocInput, TalkFacts, VoterFacts, VoteScale, bloc_input_build
from ..models import Bloc, Vote, WeightPolicy
from .policies import class_weights


def bloc_input(*, conference: Conference, policy: WeightPolicy) -> BlocInput:
    """Every current vote (time = when it was first cast), each voter's class weight, ticket order,
    email domain and account creation time, and each talk's speakers' domains, companies and user accounts."""
    rows = np.array(
        list(
            Vote.objects.filter(talk__conference=conference)
            .exclude(talk__status=Talk.Status.WITHDRAWN)
            .values_list("user_id", "talk_id", "score", "created_at")
            .order_by("user_id", "talk_id")
        ),
        dtype=object,
    ).reshape(-1, 4)
    voter_ids = rows[:, 0].astype(np.int64)
    at = np.array([t.timestamp() for t in rows[:, 3]], dtype=np.float64)
    weights = class_weights(policy)
    classes = voter_class_map(conference=conference)
    orders = dict(
        TicketClaim.objects.filter(conference=conference, ticket__status=Ticket.Status.VALID).values_list(
            "user_id", "ticket__order_code"
        )
    )
    from apps.attendance.models import User

    accounts = {
        pk: (email, joined)
        for pk, email, joined in User.objects.filter(pk__in=set(voter_ids.tolist())).values_list(
            "pk", "email", "date_joined"
        )
    }
    voters = [
        VoterFacts(
            voter_id=v,
            weight=weights.of(classes.get(v, VoterClass.NOT_ELIGIBLE)),
            order_code=orders.get(v),
            email_domain=accounts[v][0].rsplit("@", 1)[-1].lower() if v in accounts else "",
            joined_at=accounts[v][1].timestamp() if v in accounts else None,
        )
        for v in sorted(set(voter_ids.tolist()))
    ]
    # Speakers with a user account are voters too (the `speakers` signal): Speaker.user_id comes with
    # the prefetched speakers, so this is still one query for all talks' speakers.
    talks = [
        TalkFacts(
            talk_id=t.pk,
            speaker_email_domains=tuple(s.email_domain for s in t.speakers.all() if s.email_domain),
            speaker_companies=tuple(s.company for s in t.speakers.all() if s.company),
            speaker_voter_ids=tuple(sorted({s.user_id for s in t.speakers.all() if s.user_id is not None})),
        )
        for t in Talk.objects.filter(conference=conference).prefetch_related("speakers")
    ]
    return bloc_input_build(
        voter_ids=voter_ids,
        talk_ids=rows[:, 1].astype(np.int64),
        scores=rows[:, 2].astype(np.int16),
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
