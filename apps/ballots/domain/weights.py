"""How much one vote weighs before any bloc discount.

Each conference has a versioned weight policy: a ticket holder's vote weighs `ticket_holder`
(1.0 by default), an active pledger's weighs `pledger` (0.5 by default), and anyone else's weighs
nothing. Every tally records the policy version it used.
"""

from __future__ import annotations

from dataclasses import dataclass

from apps.attendance.domain.eligibility import VoterClass


@dataclass(frozen=True)
class ClassWeights:
    ticket_holder: float = 1.0
    pledger: float = 0.5

    def of(self, voter_class: VoterClass) -> float:
        if voter_class == VoterClass.TICKET_HOLDER:
            return self.ticket_holder
        if voter_class == VoterClass.PLEDGER:
            return self.pledger
        return 0.0
