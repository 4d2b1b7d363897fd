"""Every write of the attendance app. Callers import from here: `from apps.attendance import services`."""

from .claims import (
    ClaimRefused,
    account_links_apply,
    ticket_claim_by_invitation,
    ticket_claim_by_order_code,
    ticket_claim_by_organizer,
    ticket_claim_revoke,
    ticket_invitation_find,
    ticket_invitations_send,
    tickets_autolink_for_conference,
)
from .pledges import PledgeRefused, pledge_make, pledge_withdraw, pledges_default_overdue, pledges_settle
from .pretix import PretixSyncError, pretix_sync_event, pretix_sync_order
from .tickets import UpsertReport, ticket_status_set, tickets_import_csv, tickets_upsert

__all__ = [
    "ClaimRefused",
    "PledgeRefused",
    "PretixSyncError",
    "UpsertReport",
    "account_links_apply",
    "pledge_make",
    "pledge_withdraw",
    "pledges_default_overdue",
    "pledges_settle",
    "pretix_sync_event",
    "pretix_sync_order",
    "ticket_claim_by_invitation",
    "ticket_claim_by_order_code",
    "ticket_claim_by_organizer",
    "ticket_claim_revoke",
    "ticket_invitation_find",
    "ticket_invitations_send",
    "ticket_status_set",
    "tickets_autolink_for_conference",
    "tickets_import_csv",
    "tickets_upsert",
]
