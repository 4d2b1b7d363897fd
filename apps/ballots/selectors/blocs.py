"""Reads that feed bloc detection: votes with their first-cast time, who each voter is, who speaks."""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import connection, models
from django.db.models import BigIntegerField, BooleanField, Count, Func
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower

from apps.attendance.domain.eligibility import VoterClass
from apps.attendance.models import Ticket, TicketClaim, User
from apps.attendance.selectors import voter_class_map
from apps.talks.models import Conference, Talk

from ..domain.blocs import GROUP_WORDS, bloc_member_sentence
from ..domain.blocs import Bloc as FoundBloc
from ..domain.blocs_input import (
    BlocInput,
    BlocRule,
    DeclaredOrganisation,
    TalkFacts,
    VoterFacts,
    VoteScale,
    bloc_input_build,
    company_normalize,
)
from ..domain.blocs_run_inputs import OrganisationRead, PromotionRead, promotions_from_rows, run_inputs_record
from ..domain.weights import ClassWeights
from ..models import Bloc, Organisation, Promotion, Vote, WeightPolicy
from .policies import class_weights
from .tally import _on_own_connection, votes_packed


def bloc_input(*, conference: Conference, policy: WeightPolicy) -> BlocInput:
    """What detection reads (`bloc_input_recorded`, without the record of the organizers' data)."""
    return bloc_input_recorded(conference=conference, policy=policy)[0]


def bloc_input_recorded(*, conference: Conference, policy: WeightPolicy) -> tuple[BlocInput, dict]:
    """Every current vote (time = when it was first cast), each voter's class weight, ticket order,
    company (from their ticket), email domain (their account's, or their own ticket's work address when
    the account uses free mail) and account creation time; each talk's speakers' domains, companies
    and user accounts, and when the organizers promoted it; the organisations the organizers declared.
    With it, the record of the organizers' data it read (the policy version, the promotions, the declared
    organisations: `domain/blocs_run_inputs.py`), made from the same rows."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Outside a transaction (the Celery task), the tickets, classes and talks are read on a second
        # connection while the votes arrive, as the tally reads its votes: the database works on both.
        with ThreadPoolExecutor(max_workers=1) as pool:
            context_future = pool.submit(_on_own_connection, _bloc_context, conference=conference)
            voter_ids, talk_ids, scores, at = vote_arrays_timed(conference=conference)
            context = context_future.result()
    else:
        voter_ids, talk_ids, scores, at = vote_arrays_timed(conference=conference)
        context = _bloc_context(conference=conference)
    voters_seen = _distinct_sorted(voter_ids)  # the votes come ordered by voter
    voters = voter_facts(
        voter_ids=voters_seen,
        accounts=accounts_of_voters(conference=conference, voter_ids=voters_seen),
        context=context,
        weights=class_weights(policy),
    )
    found_in = bloc_input_build(
        voter_ids=voter_ids,
        talk_ids=talk_ids,
        scores=scores,
        at_seconds=at,
        voters=voters,
        talks=context.talks,
        scale=VoteScale(
            minimum=conference.scale_min,
            maximum=conference.scale_max,
            wanted_min=conference.wanted_min_score,
            labels=tuple(conference.scale_labels),
        ),
        free_mail_domains=settings.FREE_MAIL_DOMAINS,
        organisations=tuple(
            DeclaredOrganisation(name=o.name, email_domains=o.email_domains, companies=o.company_names)
            for o in context.organisations
        ),
        wide_links=BlocRule.from_json(policy.bloc_rule or {}).speaker_links == "registrable",
    )
    record = run_inputs_record(
        policy_id=policy.pk,
        policy_version=policy.version,
        promotions=context.promotions,
        organisations=context.organisations,
    )
    return found_in, record


@dataclass(frozen=True)
class _BlocContext:
    """What bloc detection reads besides the votes and the voters' accounts: none of it depends on them."""

    classes: Mapping[int, VoterClass]
    tickets: VoterTickets
    talks: list[TalkFacts]
    promotions: tuple[PromotionRead, ...]
    organisations: tuple[OrganisationRead, ...]


def _bloc_context(*, conference: Conference) -> _BlocContext:
    promotions = promotions_read(conference=conference)
    return _BlocContext(
        classes=voter_class_map(conference=conference),
        tickets=voter_tickets(conference=conference),
        talks=talk_facts(conference=conference, promotions=promotions),
        promotions=promotions,
        organisations=declared_organisations(conference=conference),
    )


def declared_organisations(*, conference: Conference) -> tuple[OrganisationRead, ...]:
    """The organisations the organizers declared for the conference (admin *Organisations*), by name."""
    rows = Organisation.objects.filter(conference=conference).order_by("name", "pk")
    return tuple(
        OrganisationRead(organisation_id=pk, name=name, email_domains=tuple(domains), company_names=tuple(names))
        for pk, name, domains, names in rows.values_list("pk", "name", "email_domains", "company_names")
    )


def promotions_read(*, conference: Conference) -> tuple[PromotionRead, ...]:
    """The conference's recorded promotions with the talks they featured, in the order they went out.
    One query for all promotions (a promotion featuring no talk explains nothing and is not read, nor is
    a talk moved to another conference since it was featured)."""
    rows = Promotion.talks.through.objects.filter(
        promotion__conference=conference, talk__conference=conference
    ).values_list("promotion_id", "talk_id", "promotion__sent_at", "promotion__channel")
    return promotions_from_rows(rows)


@dataclass(frozen=True)
class VoterTickets:
    """The voters' tickets as detection reads them (`voter_tickets`)."""

    # user id → (order code, company, holder email lowercased) of the valid ticket they claimed
    by_user: Mapping[int, tuple[str, str, str]]
    # (order code, holder email lowercased) found on several tickets of that order: the booker's address
    shared: set[tuple[str, str]]

    def email_domain(self, *, user_id: int, email: str, free_mail) -> str:
        """The voter's email domain as detection takes it (`voter_email_domain`), from their account's
        `email` and the ticket they claimed."""
        order_code, _, holder_email = self.by_user.get(user_id, (None, "", ""))
        return voter_email_domain(
            email=email, order_code=order_code, holder_email=holder_email, shared=self.shared, free_mail=free_mail
        )


def voter_tickets(*, conference: Conference, naming_a_company: bool = False) -> VoterTickets:
    """Each claimer's valid ticket of `conference` (its order, the company on it, its holder's address)
    and the addresses that are an order's booker's rather than a holder's own (`shared_ticket_addresses`),
    as bloc detection reads them; the suggested organisations read them here too, so that the two take a
    voter's company and work address alike. With `naming_a_company`, only the tickets that name a
    company, and the booker's addresses of their orders only."""
    claims = TicketClaim.objects.filter(conference=conference, ticket__status=Ticket.Status.VALID)
    if naming_a_company:
        claims = claims.exclude(ticket__holder_company="")
    rows = claims.values_list("user_id", "ticket__order_code", "ticket__holder_company", "ticket__holder_email")
    return VoterTickets(
        by_user={user_id: (order_code, company, email.lower()) for user_id, order_code, company, email in rows},
        shared=shared_ticket_addresses(
            conference=conference, orders=claims.values("ticket__order_code") if naming_a_company else None
        ),
    )


def shared_ticket_addresses(*, conference: Conference, orders=None) -> set[tuple[str, str]]:
    """(order code, holder email lowercased) found on several tickets of one order: an address on several
    tickets of one order is the booker's, not each attendee's own. `orders` (order codes, a queryset)
    limits the answer to those orders; an order's addresses depend on its own tickets only."""
    tickets = Ticket.objects.filter(conference=conference)
    if orders is not None:
        tickets = tickets.filter(order_code__in=orders)
    return set(
        tickets.exclude(holder_email="")
        .annotate(email_ci=Lower("holder_email"))
        .values("order_code", "email_ci")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("order_code", "email_ci")
    )


class _EpochSeconds(Func):
    """A datetime column as whole seconds since 1970, rounded down, computed by the database (PostgreSQL
    or SQLite, the two confvote runs on): turning a hundred thousand datetimes into Python objects took
    longer than the rest of the read."""

    output_field = BigIntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="floor(extract(epoch FROM %(expressions)s))::bigint")

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite keeps UTC datetimes as text; strftime would round a fraction to the millisecond (up to
        # the next second from .9995 on), so the fraction is cut off first.
        template = "CAST(strftime('%%%%s', substr(%(expressions)s, 1, 19)) AS INTEGER)"
        return self.as_sql(compiler, connection, template=template)


def accounts_of_voters(*, conference: Conference, voter_ids: np.ndarray) -> dict[int, tuple[str, int]]:
    """voter id → (account email, when the account was created in whole seconds since 1970), for the
    distinct `voter_ids` of the conference's votes."""
    if connection.vendor == "postgresql":
        # The ids the votes brought, sent as one array literal (`id = ANY(…)`: a hashed lookup in one pass
        # over the accounts): reading who voted from the votes again scanned a million votes a second time.
        voters = User.objects.filter(ids_any(User, "id", voter_ids.tolist()))
    else:  # a subquery: SQLite limits how many values one query may carry
        voters = User.objects.filter(pk__in=Vote.objects.filter(talk__conference=conference).values("user_id"))
    rows = voters.values_list("pk", "email", _EpochSeconds("date_joined"))
    return {pk: (email, joined) for pk, email, joined in rows.order_by()}


def ids_any(model: type[models.Model], column: str, ids: list[int]) -> RawSQL:
    """PostgreSQL: `model`'s `column` is one of `ids`, sent as one array parameter (`= ANY(…)`), for a
    list of ids too long for an IN list or for SQLite's limit on a query's values."""
    literal = "{" + ",".join(map(str, ids)) + "}"
    any_of = f'"{model._meta.db_table}"."{column}" = ANY(%s::bigint[])'  # constant SQL; the ids are a parameter
    return RawSQL(any_of, (literal,), output_field=BooleanField())  # noqa: S611


def voter_facts(
    *,
    voter_ids: np.ndarray,
    accounts: Mapping[int, tuple[str, int]],
    context: _BlocContext,
    weights: ClassWeights,
) -> list[VoterFacts]:
    """Each voter (ascending ids) as detection sees them."""
    free = settings.FREE_MAIL_DOMAINS
    weight_of = {voter_class: weights.of(voter_class) for voter_class in VoterClass}
    not_eligible = weight_of[VoterClass.NOT_ELIGIBLE]
    classes, tickets, shared = context.classes, context.tickets.by_user, context.tickets.shared
    voters = []
    for v in voter_ids.tolist():
        email, joined = accounts.get(v, ("", None))
        order_code, company, holder_email = tickets.get(v, (None, "", ""))
        # VoterTickets.email_domain, unrolled: this runs once per voter (a hundred thousand).
        domain = voter_email_domain(
            email=email, order_code=order_code, holder_email=holder_email, shared=shared, free_mail=free
        )
        voter_class = classes.get(v)
        voters.append(
            VoterFacts(
                voter_id=v,
                weight=not_eligible if voter_class is None else weight_of[voter_class],
                order_code=order_code,
                email_domain=domain,
                company=company or None,
                joined_at=joined,
            )
        )
    return voters


def voter_email_domain(
    *, email: str, order_code: str | None, holder_email: str, shared: set[tuple[str, str]], free_mail
) -> str:
    """A voter's email domain as detection takes it: their account's, or their own ticket's work
    address when the account uses free mail (an address on several tickets of one order is the
    booker's, not theirs)."""
    domain = _domain(email)
    if domain in free_mail and holder_email:
        # Someone who signed up with free mail but whose own ticket carries a work address: the
        # ticket says where they work.
        ticket_domain = _domain(holder_email)
        if ticket_domain and ticket_domain not in free_mail and (order_code, holder_email) not in shared:
            domain = ticket_domain
    return domain


def talk_facts(*, conference: Conference, promotions: tuple[PromotionRead, ...] | None = None) -> list[TalkFacts]:
    """Each talk of the conference with its speakers' email domains, companies and user accounts (the
    `speakers` signal: speakers with an account are voters too) and when it was promoted. Plain rows,
    one per talk and speaker (a talk without speakers: one row of nulls): five thousand talks'
    prefetched speaker objects took seconds."""
    speakers: dict[int, list[tuple[str, str, int | None]]] = {}
    rows = Talk.objects.filter(conference=conference).values_list(
        "pk", "speakers__id", "speakers__email_domain", "speakers__company", "speakers__user_id"
    )
    for talk_id, speaker_id, email_domain, company, user_id in rows.order_by("pk", "speakers__name", "speakers__id"):
        own = speakers.setdefault(talk_id, [])
        if speaker_id is not None:
            own.append((email_domain, company, user_id))
    promoted = promotion_times_by_talk(
        promotions=promotions_read(conference=conference) if promotions is None else promotions
    )
    return [
        TalkFacts(
            talk_id=talk_id,
            speaker_email_domains=tuple(domain for domain, _, _ in own if domain),
            speaker_companies=tuple(company for _, company, _ in own if company),
            speaker_voter_ids=tuple(sorted({user_id for _, _, user_id in own if user_id is not None})),
            promoted_at=promoted.get(talk_id, ()),
        )
        for talk_id, own in speakers.items()
    ]


def promotion_times_by_talk(*, promotions: tuple[PromotionRead, ...]) -> dict[int, tuple[float, ...]]:
    """talk id → when the promotions featured it (seconds since the epoch, in order)."""
    times: dict[int, list[float]] = {}
    for promotion in promotions:  # in the order they went out
        for talk_id in promotion.talk_ids:
            times.setdefault(talk_id, []).append(promotion.sent_at.timestamp())
    return {talk_id: tuple(at) for talk_id, at in sorted(times.items())}


def vote_arrays_timed(*, conference: Conference) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(voter ids, talk ids, scores, first-cast times in whole seconds) of every current vote on the
    conference's candidate talks, ordered by voter and talk."""
    if connection.vendor == "postgresql":  # packed by the database, as the tally reads them
        body = votes_packed(conference_id=conference.pk, first_cast=True)
        voters, talks, scores, at = (body[c] for c in ("voter", "talk", "score", "at"))
    else:
        rows = (
            Vote.objects.filter(talk__conference=conference)
            .exclude(talk__status=Talk.Status.WITHDRAWN)
            .values_list("user_id", "talk_id", "score", _EpochSeconds("created_at"))
        )
        flat = np.fromiter((value for row in rows for value in row), dtype=np.int64)
        voters, talks, scores, at = flat.reshape(-1, 4).T.copy()
    order = _by_voter_and_talk(voters, talks)
    return voters[order], talks[order], scores[order].astype(np.int16), at[order]


def _by_voter_and_talk(voters: np.ndarray, talks: np.ndarray) -> np.ndarray:
    """The order of the votes by voter, then talk. One key per vote when the ids allow it (a stable sort
    of a million nearly ordered keys takes an eighth of a two-key lexsort); a voter votes once per talk, so
    either gives the same order."""
    if len(voters) and min(int(voters.min()), int(talks.min())) >= 0:
        span = int(talks.max()) + 1
        if int(voters.max()) * span + span < 2**63:
            return np.argsort(voters.astype(np.int64) * span + talks, kind="stable")
    return np.lexsort((talks, voters))


def _distinct_sorted(values: np.ndarray) -> np.ndarray:
    """np.unique of an array that is already in order, without sorting it again."""
    return values[np.concatenate(([True], values[1:] != values[:-1]))] if len(values) else values


def _domain(email: str) -> str:
    _, at, domain = email.rpartition("@")
    return domain.lower() if at else ""


def bloc_reasons_for_user(*, user, conference: Conference) -> dict[int, str]:
    """talk id → what happened to this person's vote on it, in words that name nobody else: the votes
    a bloc counted at a reduced weight. Like a dismissed bloc, a bloc whose bound is not below its
    weight (multiplier 1) and a bloc that spared this person (their score does not move the talk its
    way) left their vote in full, so they have nothing to say here; the published tally and its
    bulletin board apply the same rule (services.blocs.bloc_discount_mappings). A vote withdrawn since
    the detection counts at no weight: the talk is listed only while the person still votes on it."""
    blocs = (
        Bloc.objects.filter(conference=conference, present=True, members=user, multiplier__lt=1)
        .filter(talk__in=Vote.objects.filter(user=user).values("talk_id"))
        .exclude(status="dismissed")
        .exclude(spared=user)
    )
    return {bloc.talk_id: stored_bloc_sentence(bloc) for bloc in blocs}


def stored_bloc_sentence(bloc: Bloc) -> str:
    """What a member's vote on the bloc's talk counted at, and why; names no member."""
    return bloc_member_sentence(
        size=bloc.size,
        signals=bloc.signals,
        direction=bloc.direction,
        multiplier=bloc.multiplier,
        confirmed=bloc.status == Bloc.Status.CONFIRMED,
        speaker_link=bloc.speaker_link,
    )


def stored_bloc_as_found(bloc: Bloc) -> FoundBloc:
    """A stored bloc as the detection code's own Bloc, so its rules (bounds, discounts) apply to it.
    The members and the spared members must be prefetched."""
    return FoundBloc(
        key=bloc.key,
        talk_id=bloc.talk_id,
        direction=bloc.direction,
        member_ids=tuple(sorted(m.pk for m in bloc.members.all())),
        not_pushing=tuple(sorted(m.pk for m in bloc.spared.all())),
        weight=bloc.weight,
        fair_share=bloc.fair_share,
        signals=tuple(bloc.signals),
        speaker_link=bloc.speaker_link,
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


def organisation_member_counts(*, organisation: Organisation) -> list[tuple[str, int]]:
    """Per member of a declared organisation, how many of its conference's voters it matches now: a
    domain, voters whose account email is at it; a company name, voters whose claimed ticket names
    that company (compared as detection compares companies)."""
    conference = organisation.conference
    voters = Vote.objects.filter(talk__conference=conference).values("user_id")
    per_domain = {
        domain: User.objects.filter(pk__in=voters, email__iendswith=f"@{domain}").count()
        for domain in organisation.email_domains
    }
    companies = (
        TicketClaim.objects.filter(conference=conference, user_id__in=voters, ticket__status=Ticket.Status.VALID)
        .values_list("ticket__holder_company", flat=True)
        .order_by()
    )
    per_company: dict[str, int] = {}
    for company in companies:
        key = company_normalize(company)
        per_company[key] = per_company.get(key, 0) + 1
    return [(domain, per_domain.get(domain, 0)) for domain in organisation.email_domains] + [
        (name, per_company.get(company_normalize(name), 0)) for name in organisation.company_names
    ]
