"""Reading free-text query parameters of a request (filters, search boxes, receipt codes)."""


def query_text(params, key: str, limit: int) -> str:
    """A free-text query parameter, trimmed and cut to `limit`, without NUL bytes (PostgreSQL text
    cannot hold one: a filter with one would be a DataError, a 500, instead of a search)."""
    return params.get(key, "").replace("\x00", "").strip()[:limit]
