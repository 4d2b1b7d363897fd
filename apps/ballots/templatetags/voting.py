"""{% vote_form talk %} and {% vote_progress rated total %}: the voting page's forms and progress line,
the same HTML the vote answer sends (apps/ballots/fragments.py)."""

from django import template
from django.urls import reverse

from ..fragments import vote_form_html, vote_progress_html

register = template.Library()


@register.simple_tag(takes_context=True)
def vote_form(context, talk, error: str = ""):
    """Needs `conference`, `csrf_token`, `return_query` and `voting_closed` in the context; `talk`
    is a Talk (or a dict) with pk, title and my_score."""
    conference = context["conference"]
    get = talk.get if isinstance(talk, dict) else lambda name: getattr(talk, name, None)
    return vote_form_html(
        vote_url=reverse("ballots:vote_submit", args=[conference.slug, get("pk")]),
        csrf_token=str(context.get("csrf_token") or ""),
        return_query=context.get("return_query") or "",
        title=get("title") or "",
        scale=conference.scale,
        my_score=get("my_score"),
        closed=bool(context.get("voting_closed")),
        error=error or context.get("error") or "",
    )


@register.simple_tag
def vote_progress(rated, total, oob: bool = False):
    return vote_progress_html(rated=rated or 0, total=total or 0, oob=oob)
