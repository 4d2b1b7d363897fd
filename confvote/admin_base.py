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
from django.db.models.constants import LOOKUP_SEP
from django.utils.text import smart_split, unescape_string_literal


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


def _search_lookup(field_name: str) -> str:
    """The lookup Django's admin makes of a search field: `^` starts with, `=` is exactly, `@` full
    text, otherwise contains (all ignoring case)."""
    prefixes = {"^": "istartswith", "=": "iexact", "@": "search"}
    if field_name[:1] in prefixes:
        return f"{field_name[1:]}__{prefixes[field_name[:1]]}"
    return f"{field_name}__icontains"


def keys_or_subquery(queryset: models.QuerySet, limit: int):
    """What a search matched, to filter a big table's rows with `…__in`: up to `limit` matches as their keys,
    so that the database knows how few rows it looks for and reads them through the key's index (rather than
    walking the list's order until it has found a page: the whole table when nothing matches); more stay a
    subquery."""
    keys = list(queryset.values_list("pk", flat=True)[: limit + 1])
    return keys if len(keys) <= limit else queryset.values("pk")


class SearchRelatedInSubqueries:
    """Search of a change list over a big table (votes, receipts, history): a search field on another
    model ("user__email", "talk__title") is matched there first, in a subquery, and the rows kept are
    those whose key is in its answer. Django's own search joins every row of the big table to the
    others and filters the join (`email LIKE … OR title LIKE …` over a million joined rows took 11 s
    on the large demo); the subqueries read the small tables and the big one's keys (0.3 s). What is
    found is the same (the terms must all match, each in any of the fields), never twice the same row.
    Search fields here are plain paths with at most Django's `^`, `=` and `@` prefixes."""

    search_keys_listed = 1000

    def get_search_results(self, request, queryset, search_term):
        fields = [str(f) for f in self.get_search_fields(request)]
        if not fields or not search_term:
            return queryset, False
        terms = []
        for bit in smart_split(search_term):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            either = models.Q()
            for name in fields:
                either |= self._search_q(name, bit)
            terms.append(either)
        return queryset.filter(*terms), False

    def _search_q(self, name: str, bit: str) -> models.Q:
        prefix, path = (name[0], name[1:]) if name[:1] in "^=@" else ("", name)
        hop, _, rest = path.partition(LOOKUP_SEP)
        field = self.model._meta.get_field(hop)
        if not rest:
            return models.Q(**{_search_lookup(name): bit})
        if field.many_to_one or (field.one_to_one and field.concrete):
            matching = field.related_model._default_manager.filter(**{_search_lookup(prefix + rest): bit}).order_by()
            return models.Q(**{f"{hop}__in": keys_or_subquery(matching, self.search_keys_listed)})
        # A relation to many (speakers of a talk): the keys of the rows that have a match among them.
        matching = self.model._default_manager.filter(**{_search_lookup(name): bit})
        return models.Q(pk__in=matching.values("pk"))
