"""Organizer screens for the attendance logs: failed ticket links, state changes, one-time links.
They are read-only: visible, filterable and exportable, never edited or deleted by hand."""

from django.contrib import admin

from confvote.admin_readonly import ReadOnlyAdmin

from .admin_csv import csv_export_action
from .models import StateChange, TicketClaimFailure, TicketInvitation


@admin.register(TicketClaimFailure)
class TicketClaimFailureAdmin(ReadOnlyAdmin):
    list_display = ("at", "kind", "user", "ip_address", "order_code", "ticket", "conference")
    list_filter = ("conference", "kind")
    search_fields = ("user__email", "order_code", "ip_address")
    list_select_related = ("user", "ticket", "conference")
    date_hierarchy = "at"
    actions = [
        csv_export_action(
            [
                ("at", "at"),
                ("conference", "conference.slug"),
                ("kind", "kind"),
                ("user_email", "user.email"),
                ("ip_address", "ip_address"),
                ("order_code", "order_code"),
                ("ticket_order_code", "ticket.order_code"),
            ],
            "failed-ticket-links",
        )
    ]


@admin.register(StateChange)
class StateChangeAdmin(ReadOnlyAdmin):
    list_display = ("at", "subject", "from_state", "to_state", "user", "actor", "reason", "conference")
    list_filter = ("conference", "subject", "to_state")
    search_fields = ("user__email", "actor__email", "reason", "ticket__order_code")
    list_select_related = ("user", "actor", "conference")
    date_hierarchy = "at"
    actions = [
        csv_export_action(
            [
                ("at", "at"),
                ("conference", "conference.slug"),
                ("subject", "subject"),
                ("from", "from_state"),
                ("to", "to_state"),
                ("user_email", "user.email"),
                ("by", "actor.email"),
                ("reason", "reason"),
            ],
            "state-changes",
        )
    ]


@admin.register(TicketInvitation)
class TicketInvitationAdmin(ReadOnlyAdmin):
    list_display = ("ticket", "sent_to", "created_at", "expires_at", "used_at", "used_by")
    list_filter = ("ticket__conference",)
    search_fields = ("sent_to", "ticket__order_code")
    list_select_related = ("ticket", "used_by")
    exclude = ("token_hash",)
