"""Writes imported votes: all or nothing, idempotent (the same file twice changes nothing), with history.

Voters given by email become (or are matched to) accounts, and an unclaimed ticket of this
conference issued to that email is linked by the importing organizer, so those votes count like any
ticket holder's. Voters given by an opaque id get an account that cannot log in; their votes are
kept at weight 0 until an organizer links them to a ticket."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from apps.attendance.models import Ticket, User
from apps.attendance.services.claims import ClaimRefused, ticket_claim_by_organizer
from apps.talks.models import Conference, Talk

from ..domain.vote_import import VoteFile
from ..models import Vote, VoteEvent


@dataclass
class VoteImportReport:
    dry_run: bool
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    accounts_created: int = 0
    tickets_linked: int = 0
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.errors:
            return f"Nothing was imported: {len(self.errors)} problem(s) to fix first."
        verb = "Would import" if self.dry_run else "Imported"
        return (
            f"{verb} votes: {self.created} new, {self.changed} changed, {self.unchanged} unchanged; "
            f"{self.accounts_created} new voter account(s), {self.tickets_linked} ticket(s) linked."
        )


class _Rollback(Exception):
    pass


def votes_import(*, conference: Conference, parsed: VoteFile, dry_run: bool, by=None) -> VoteImportReport:
    report = VoteImportReport(dry_run=dry_run, errors=list(parsed.errors))
    if report.errors:
        return report
    talks = {}
    for pk, external_id in Talk.objects.filter(conference=conference).values_list("pk", "external_id"):
        talks[str(pk)] = pk
        if external_id:
            talks[external_id] = pk
    now = timezone.now()
    report.errors = [
        f"line {r.line}: no talk “{r.talk}” in {conference.name}" for r in parsed.rows if r.talk not in talks
    ] + [  # a later vote on the site would be stamped after it, in the future too
        f"line {r.line}: time {r.at.isoformat()} is in the future" for r in parsed.rows if r.at and r.at > now
    ]
    if report.errors:
        return report
    try:
        with transaction.atomic():
            Conference.objects.select_for_update(no_key=True).get(pk=conference.pk)  # one import at a time
            _write(conference, parsed, talks, report, by)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return report


def _write(conference, parsed: VoteFile, talks: dict, report: VoteImportReport, by) -> None:
    now = timezone.now()
    users = _voters(conference, {r.voter for r in parsed.rows}, report, by)
    speakers = {
        (email, talk_id)
        for talk_id, email in Talk.speakers.through.objects.filter(talk__conference=conference).values_list(
            "talk_id", "speaker__email"
        )
    }
    existing = {(v.user_id, v.talk_id): v for v in Vote.objects.filter(talk__conference=conference)}
    for row in parsed.rows:
        talk_id, user = talks[row.talk], users[row.voter]
        if (user.email, talk_id) in speakers:
            report.notes.append(f"line {row.line}: skipped, a speaker may not vote on their own talk")
            continue
        at = row.at or now
        vote = existing.get((user.pk, talk_id))
        if vote is None:
            Vote.objects.create(user=user, talk_id=talk_id, score=row.score, created_at=at, updated_at=at)
            VoteEvent.objects.create(user=user, talk_id=talk_id, kind="cast", new_score=row.score, at=at)
            report.created += 1
        elif vote.score != row.score:
            VoteEvent.objects.create(
                user=user,
                talk_id=talk_id,
                kind="change",
                old_score=vote.score,
                new_score=row.score,
                at=max(at, vote.updated_at),
            )
            Vote.objects.filter(pk=vote.pk).update(score=row.score, updated_at=max(at, vote.updated_at))
            report.changed += 1
        else:
            report.unchanged += 1


def _voters(conference, voters: set[str], report: VoteImportReport, by) -> dict[str, User]:
    emails = {
        v: v if "@" in v else f"voter-{hashlib.sha256(v.encode()).hexdigest()[:20]}@imported.invalid" for v in voters
    }
    # Any case: an account may be "Ann@Example.org" (emails are unique ignoring case), the file's voter is lower-cased.
    accounts = User.objects.annotate(email_ci=Lower("email")).filter(email_ci__in=set(emails.values()))
    found = {u.email.lower(): u for u in accounts}
    out = {}
    for voter, email in sorted(emails.items()):
        user = found.get(email)
        if user is None:
            user, created = _account_get_or_create(email)
            if created:
                report.accounts_created += 1
                if "@" in voter:
                    report.tickets_linked += _link_ticket(conference, user, by)
        out[voter] = user
    return out


def _account_get_or_create(email: str) -> tuple[User, bool]:
    """The account of `email`, made (unable to log in until they sign up) if there is none. An import
    for another conference may be making it at this moment (each import locks only its conference):
    our insert then waits for that import and fails on the unique email once it commits, and its
    account is ours to use, as if it had been there before we looked (the voters come in one order in
    every import, so two imports never wait for each other)."""
    try:
        with transaction.atomic():  # a savepoint: the unique violation must not abort the import
            user = User.objects.create_user(email=email, is_active=False)
            EmailAddress.objects.create(user=user, email=email, verified=False, primary=True)
    except IntegrityError:
        user = User.objects.annotate(email_ci=Lower("email")).filter(email_ci=email.lower()).first()
        if user is None:  # not the account's email that collided
            raise
        return user, False
    return user, True


def _link_ticket(conference, user, by) -> int:
    ticket = (
        Ticket.objects.filter(
            conference=conference, holder_email__iexact=user.email, status=Ticket.Status.VALID, claim__isnull=True
        )
        .order_by("-ticket_type__may_vote", "pk")
        .first()
    )
    if ticket is None:
        return 0
    try:
        ticket_claim_by_organizer(user=user, ticket=ticket, by=by)
    except ClaimRefused:
        return 0
    return 1
