from django.contrib import admin

from . import services
from .models import Vote, VoteEvent, WeightPolicy


class ReadOnlyAdmin(admin.ModelAdmin):
    """Votes change only through the voting service, which appends to their history."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ("user", "talk", "score", "created_at", "updated_at")
    list_filter = ("talk__conference", "score")
    search_fields = ("user__email", "talk__title")
    list_select_related = ("user", "talk")
    date_hierarchy = "updated_at"
    show_full_result_count = False


@admin.register(VoteEvent)
class VoteEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "kind", "user", "talk", "old_score", "new_score")
    list_filter = ("kind", "talk__conference")
    search_fields = ("user__email", "talk__title")
    list_select_related = ("user", "talk")
    date_hierarchy = "at"
    show_full_result_count = False


@admin.register(WeightPolicy)
class WeightPolicyAdmin(admin.ModelAdmin):
    """Policies are versioned: saving the form makes a new version; old versions stay as they were."""

    list_display = ("conference", "version", "ticket_holder_weight", "pledger_weight", "created_by", "created_at")
    list_filter = ("conference",)
    search_fields = ("conference__name", "note")
    fields = ("conference", "ticket_holder_weight", "pledger_weight", "bloc_rule", "note")
    autocomplete_fields = ("conference",)

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj is not None else ()

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        new = services.weight_policy_revise(
            conference=obj.conference,
            by=request.user,
            note=obj.note,
            ticket_holder_weight=obj.ticket_holder_weight,
            pledger_weight=obj.pledger_weight,
            bloc_rule=obj.bloc_rule,
        )
        obj.pk, obj.version = new.pk, new.version
