"""Scenarios for the sensitivity report: the tally re-weighted under other pledge weights and bloc rules.

Each scenario recomputes every talk's score (the Bayesian average of the weighted vote) from the same
votes with one thing changed: the pledgers' weight, or how blocs are bounded ("off": no bloc bound at
all; "confirmed": every bloc found treated as confirmed, the policy's stronger discount). The engine
then re-runs the selection per scenario and lists the talks whose acceptance changes."""

from __future__ import annotations

from dataclasses import replace

from apps.ballots.domain.blocs import BlocStatus, bloc_multiplier
from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.domain.tally import discounts_align, tally_compute
from apps.ballots.domain.weights import ClassWeights
from apps.ballots.models import Bloc
from apps.ballots.selectors.blocs import stored_bloc_as_found
from apps.ballots.selectors.tally import tally_input
from apps.ballots.services.blocs import bloc_discount_mappings

from .domain.sensitivity import Scenario
from .models import ScheduleProposal

BLOC_SCENARIOS = ("off", "confirmed")


def sensitivity_scenarios(*, proposal: ScheduleProposal) -> tuple[Scenario, ...]:
    spec = (proposal.parameters or {}).get("sensitivity") or {}
    if not spec or proposal.tally_snapshot is None:
        return ()
    conference, policy = proposal.conference, proposal.tally_snapshot.policy
    data = tally_input(conference=conference, policy=policy)
    rule = BlocRule.from_json(policy.bloc_rule or {})
    blocs = list(Bloc.objects.filter(conference=conference, present=True).prefetch_related("members", "spared"))

    published = bloc_discount_mappings(conference=conference)[0]  # what the published tally applies

    def discount(mode: str):
        if mode == "current":
            mapping = published
        elif mode == "confirmed":
            mapping = {}
            for bloc in blocs:
                multiplier = bloc_multiplier(stored_bloc_as_found(bloc), rule, BlocStatus.CONFIRMED)
                spared = {m.pk for m in bloc.spared.all()}  # their score does not move the talk the bloc's way
                for member in bloc.members.all():
                    pair = (member.pk, bloc.talk_id)
                    if member.pk not in spared and multiplier < mapping.get(pair, 1.0):
                        mapping[pair] = multiplier  # in two blocs on one talk: the smaller
        else:
            mapping = {}
        return discounts_align(voter_ids=data.voter_ids, vote_talk_ids=data.vote_talk_ids, discounts=mapping)

    def scores(weights: ClassWeights, mode: str) -> tuple[tuple[int, float], ...]:
        result = tally_compute(replace(data, weights=weights, discount=discount(mode)))
        return tuple((int(t), float(s)) for t, s in zip(result.talk_ids, result.bayes_average, strict=True))

    current = ClassWeights(ticket_holder=float(policy.ticket_holder_weight), pledger=float(policy.pledger_weight))
    scenarios = [
        Scenario(f"pledge weight {w:g}", scores(replace(current, pledger=float(w)), "current"))
        for w in spec.get("pledge_weights", [])
    ]
    scenarios += [Scenario(f"bloc rule: {mode}", scores(current, mode)) for mode in spec.get("bloc", [])]
    return tuple(scenarios)
