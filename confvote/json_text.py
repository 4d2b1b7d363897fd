"""Reading JSON that someone else wrote: a webhook's body, a file given to a management command."""

import json


def json_loads(text: str | bytes):
    """json.loads, with arrays or objects nested thousands deep a ValueError like any other malformed
    document, not the RecursionError the parser raises for them (a 500, or a command's traceback).
    (The API's parser is confvote.rest.JSONParser; the talk import, pure code, says it in its own words.)"""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
