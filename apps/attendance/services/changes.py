"""The append-only record of state changes: who, when, from → to, why."""

from ..models import Pledge, StateChange, Ticket


def state_change_record(
    *,
    subject: str,
    conference_id: int,
    from_state: str,
    to_state: str,
    reason: str,
    actor=None,
    user_id: int | None = None,
    ticket: Ticket | None = None,
    pledge: Pledge | None = None,
    save: bool = True,
) -> StateChange:
    change = StateChange(
        subject=subject,
        conference_id=conference_id,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        actor=actor if actor is not None and actor.is_authenticated else None,
        user_id=user_id,
        ticket=ticket,
        pledge=pledge,
    )
    if save:
        change.save()
    return change
