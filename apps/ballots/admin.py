from django.contrib import admin

from .models import Vote, VoteEvent


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
