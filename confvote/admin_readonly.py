"""The organizer screens of records that only the application writes (logs, votes, detection runs,
decision histories): visible, filterable and exportable in the admin, never added, edited or deleted
by hand there."""

from .admin_base import ModelAdmin


class ReadOnlyAdmin(ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
