"""Reading free-text query parameters of a request (filters, search boxes, receipt codes)."""

from django.http import QueryDict
from django.urls import reverse


def query_text(params, key: str, limit: int) -> str:
    """A free-text query parameter, trimmed and cut to `limit`, without NUL bytes (PostgreSQL text
    cannot hold one: a filter with one would be a DataError, a 500, instead of a search)."""
    return params.get(key, "").replace("\x00", "").strip()[:limit]


class AdminQueryNulDropped:
    """Middleware: the admin's change lists hand query parameters to the database as filters (?status=…,
    ?name=…), where a NUL byte was a DataError on PostgreSQL, a 500. In the admin NUL bytes are dropped
    from every query parameter, as query_text drops them on the other pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        params = request.GET
        if any("\x00" in key + "".join(values) for key, values in params.lists()) and request.path.startswith(
            reverse("admin:index")
        ):
            cleaned = QueryDict(mutable=True)
            for key, values in params.lists():
                cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)
