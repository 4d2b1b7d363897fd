"""The base of every confvote admin: values that reach a form from the request (an add page's
`?conference=` prefill, a posted form) are checked before Django's widgets look them up; and a
middleware that does the same for the rows ticked for an admin action, on every admin.

Django's autocomplete widget looks the selected ids up as given, so an id its field cannot hold
(`?conference=abc`, a posted `talks=x`) was a ValueError, a 500, where a form error belongs; and the
admin's split date/time widget could not show a prefill at all (`?start=2026-05-04 10:00` was a 500)."""

from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db import models


def holds(field: models.Field, text) -> bool:
    """Whether `text` (from a request) is a value of the model field `field`, within its range: what
    a lookup on the field can be given without an error (ids beyond 64 bits overflow on SQLite)."""
    try:
        field.run_validators(field.to_python(text))
    except ValidationError:
        return False
    return True


class _SelectedIdsChecked:
    """An autocomplete widget that leaves out the selected values its field cannot hold: the form
    then says "Select a valid choice" for a posted one, and a prefilled one is ignored."""

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        return super().optgroups(name, [v for v in value if holds(target, v)], attr)


class AutocompleteSelect(_SelectedIdsChecked, widgets.AutocompleteSelect):
    pass


class AutocompleteSelectMultiple(_SelectedIdsChecked, widgets.AutocompleteSelectMultiple):
    pass


class ModelAdmin(admin.ModelAdmin):
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        """The add page's prefill from the query string as values of their fields (Django hands the
        widgets text); a value its field cannot hold is ignored, as if it had not been given."""
        initial = super().get_changeform_initial_data(request)
        fields = {f.name: f for f in self.opts.get_fields() if f.concrete}
        for name, value in list(initial.items()):
            field = fields.get(name)
            if field is None:
                continue
            target = field.target_field if field.is_relation else field
            values = value if field.many_to_many else [value]
            if all(holds(target, v) for v in values):
                converted = [target.to_python(v) for v in values]
                initial[name] = converted if field.many_to_many else converted[0]
            else:
                del initial[name]
        return initial


class AdminSelectedIdsChecked:
    """Middleware: Django's admin looks the rows ticked for an action (`_selected_action`) up as posted,
    for every admin (ours, and the groups and email addresses of auth and allauth), so a value that cannot
    be an id of the model (`abc`, beyond 64 bits) was a 500. Such values are dropped: they name no row, as
    the id of a deleted row names none, and with none left the admin says that items must be selected."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        model_admin = getattr(view_func, "model_admin", None)  # set on the views of every ModelAdmin
        if model_admin is None or request.method != "POST" or ACTION_CHECKBOX_NAME not in request.POST:
            return None
        pk = model_admin.model._meta.pk
        target = pk.target_field if pk.is_relation else pk
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        ids = [value for value in selected if holds(target, value)]
        if ids != selected:
            post = request.POST.copy()
            post.setlist(ACTION_CHECKBOX_NAME, ids)
            post._mutable = False
            request.POST = post
        return None
