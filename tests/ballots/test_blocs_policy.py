"""A new weight policy stores the bloc rule written out in full, so its meaning never depends on the
code's defaults of the day."""

import pytest

from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.services.policies import weight_policy_ensure, weight_policy_revise
from tests.factories import ConferenceFactory

pytestmark = pytest.mark.django_db


def test_a_new_policy_stores_every_parameter_of_the_bloc_rule():
    policy = weight_policy_ensure(conference=ConferenceFactory())
    assert policy.bloc_rule == BlocRule().to_json()
    assert policy.bloc_rule["bound_exponent"] == 0.25
    assert policy.bloc_rule["burst_window_hours"] == [1.0, 2.0, 4.0, 8.0, 24.0]
    assert policy.bloc_rule["error_control"] == "false_discovery"
    assert policy.bloc_rule["bound_by_evidence"] is True
    assert BlocRule.from_json(policy.bloc_rule) == BlocRule()


def test_a_revision_keeps_the_rule_it_does_not_change():
    conference = ConferenceFactory()
    weight_policy_ensure(conference=conference)
    revised = weight_policy_revise(conference=conference, bloc_rule={**BlocRule().to_json(), "bound_exponent": 0.5})
    assert BlocRule.from_json(revised.bloc_rule).bound_exponent == 0.5
    assert revised.bloc_rule["min_ratio"] == BlocRule().min_ratio


ROUND_6 = ("discovery_unit", "merge", "ring_exponent")


def _stored_then_migrated(before_migration: str, stored_rule: dict):
    """Goes back to `before_migration`, stores one policy with `stored_rule` and one with today's full
    rule, migrates forward to the latest state and returns both policies as they are then."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from apps.ballots.models import WeightPolicy

    MigrationExecutor(connection).migrate([("ballots", before_migration)])
    conference = ConferenceFactory()
    old = WeightPolicy.objects.create(conference=conference, version=1, bloc_rule=stored_rule)
    chosen = WeightPolicy.objects.create(conference=conference, version=2, bloc_rule=BlocRule().to_json())
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    old.refresh_from_db()
    chosen.refresh_from_db()
    return old, chosen


@pytest.mark.django_db(transaction=True)
def test_round_6_migrations_pin_stored_policies_to_the_rule_they_were_stored_with():
    """0009 writes `discovery_unit: group`, `merge: whole` and `ring_exponent: null` into
    policies stored without them (docs/blocs.md, round 6); a policy that already names them keeps its
    choice."""
    before = {k: v for k, v in BlocRule().to_json().items() if k not in ROUND_6}
    old, chosen = _stored_then_migrated("0008_bloc_rule_error_control", before)
    assert old.bloc_rule == {**before, "discovery_unit": "group", "merge": "whole", "ring_exponent": None}
    assert BlocRule.from_json(old.bloc_rule) == BlocRule(discovery_unit="group", merge="whole", ring_exponent=None)
    assert chosen.bloc_rule == BlocRule().to_json()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("before_migration", "key"),
    [
        ("0010_vote_write_function", "bound_by_evidence"),
        ("0013_bloc_rule_round_8", "order_colleagues"),
        ("0014_bloc_rule_round_9", "narrow_colleagues"),
    ],
)
def test_a_one_key_migration_pins_stored_policies_to_the_rule_they_were_stored_with(before_migration, key):
    """0011 writes `bound_by_evidence: false` (docs/blocs.md, round 7: every detected bloc keeps
    max(k ** bound_exponent, fair share)), 0014 `order_colleagues: false` (round 9: a company
    booking's votes on its own speaker's talk stay order findings) and 0015 `narrow_colleagues: false`
    (round 10: light colleagues of the speaker stay in the narrow test on their speaker's talk) into
    policies stored without the key; a policy that names the key keeps its choice, and new policies
    store true."""
    before = {k: v for k, v in BlocRule().to_json().items() if k != key}
    old, chosen = _stored_then_migrated(before_migration, before)
    assert old.bloc_rule == {**before, key: False}
    assert BlocRule.from_json(old.bloc_rule) == BlocRule(**{key: False})
    assert chosen.bloc_rule == BlocRule().to_json() and chosen.bloc_rule[key] is True
    kept = {**before, key: True}
    old, _ = _stored_then_migrated(before_migration, kept)
    assert old.bloc_rule == kept


@pytest.mark.django_db(transaction=True)
def test_round_8_migration_pins_stored_policies_to_the_rule_they_were_stored_with():
    """0013 writes `bursts: strongest`, `rings: candidates` and, where no signals are named, the five
    signals before round 8 into policies stored without them (docs/blocs.md, round 8); a policy that
    already names a key keeps its choice (a stored policy naming its signals does not gain
    organisation_burst), and new policies store "every", "everyone" and every signal (since round 12 also
    `speakers` and since round 18 `joined`, which need no migration for the same reason)."""
    five = ["order", "affiliation", "narrow", "burst", "similar"]
    before = {k: v for k, v in BlocRule().to_json().items() if k not in ("bursts", "rings", "signals")}
    old, chosen = _stored_then_migrated("0012_bloc_runs_and_decisions", before)
    assert old.bloc_rule == {**before, "bursts": "strongest", "rings": "candidates", "signals": five}
    assert BlocRule.from_json(old.bloc_rule) == BlocRule(bursts="strongest", rings="candidates", signals=tuple(five))
    assert chosen.bloc_rule == BlocRule().to_json()
    assert (chosen.bloc_rule["bursts"], chosen.bloc_rule["rings"]) == ("every", "everyone")
    assert chosen.bloc_rule["signals"] == [*five, "organisation_burst", "speakers", "joined"]
    kept = {**before, "rings": "everyone", "signals": five}
    old, _ = _stored_then_migrated("0012_bloc_runs_and_decisions", kept)
    assert old.bloc_rule == {**kept, "bursts": "strongest"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("before_migration", "key", "stored", "default", "other"),
    [
        ("0015_bloc_rule_round_10", "ring_null", "own", "held_out", "held_out"),
        ("0019_bloc_rule_round_20", "ring_scores", "way", "way", "exact"),
        ("0020_bloc_rule_round_19", "follow_ups", "shared", "asked", "asked"),
        ("0021_bloc_rule_round_21", "promotions_explain", "bursts", "votes", "votes"),
        ("0022_bloc_rule_round_22", "ring_candidates", "bands", "bands", "pairs"),
        ("0023_bloc_rule_round_23", "score_deviation", "ignored", "ignored", "required"),
        ("0026_promotion_external_id", "discount_votes", "all", "pushing", "pushing"),
        ("0028_blocdetectionrun_inputs", "oppose_lean", "ignored", "tested", "tested"),
        ("0029_bloc_rule_round_28", "ring_score_null", "none", "shifted", "shifted"),
        ("0030_bloc_rule_ring_score_null", "lone_votes", "ignored", "isolated", "tested"),
        ("0031_bloc_rule_lone_votes", "speaker_links", "exact", "registrable", "registrable"),
        ("0033_bloc_rule_lone_bar", "organisation_pairs", "majority", "plurality", "plurality"),
        ("0033_bloc_rule_lone_bar", "placeholder_companies", "kept", "kept", "listed"),
        ("0034_bloc_rule_organisation_pairs", "lone_share", "whole", "local", "local"),
        ("0035_bloc_rule_lone_share", "lone_test", "poisson", "conditional", "conditional"),
        ("0036_bloc_rule_lone_test", "linked_groups", "colleagues", "before", "either"),
        ("0040_promotion_suggestions_document", "lone_order", "strongest", "apart", "after_burst"),
        ("0042_tally_publication_runs", "lone_fair_share", "plugin", "plugin", "conditional"),
        ("0043_bloc_rule_lone_fair_share", "burst_sittings", "whole", "tested", "tested"),
    ],
)
def test_a_one_word_migration_pins_stored_policies_to_the_rule_they_were_stored_with(
    before_migration, key, stored, default, other
):
    """0016 writes `ring_null: own` (round 11: a puppet ring's members counted on the common ballot picked
    from their own ratings), 0020 `ring_scores: way` (round 19), 0021 `follow_ups: shared` (round 21:
    the follow-up family of before), 0022 `promotions_explain: bursts` (round 22: a promotion explains
    burst windows only), 0023 `ring_candidates: bands` (round 23), 0024 `score_deviation: ignored`
    (round 25: group findings need not lean the talk's way), 0027 `discount_votes: all` (round 27:
    every member's vote loses weight), 0029 `oppose_lean: ignored` (round 28: no lean test of an
    organisation's low scores against the talk's other raters), 0030 `ring_score_null: none` (round
    29: puppet rings need not repeat scores), 0031 `lone_votes: ignored` (round 31: no burst test over
    the votes cast alone), 0032 `speaker_links: exact` (round 33: a speaker's organisation only through
    their own address's domain and their company's name spelled out), 0034 `organisation_pairs: majority`
    and `placeholder_companies: kept` (round 36: round 4's mutual majority only; every company field an
    organisation), 0035 `lone_share: whole` (round 37: a lone-vote window judged against the talk's share
    over the whole vote), 0036 `lone_test: poisson` (round 38: a lone-vote window's count tested against a
    plug-in prediction), 0037 `linked_groups: colleagues` (round 39: a group only the wider links make the
    speaker's judged by the colleague test alone), 0041 `lone_order: strongest` (round 40: a lone-vote window
    merged by its own p-value), 0043 `lone_fair_share: plugin` (round 41: a lone-vote window's plug-in prediction
    in its bloc's fair share) and 0044 `burst_sittings: whole` (round 41: a site-wide burst's votes in sittings come
    in with it) into policies stored without the key; a policy that names the key keeps its
    choice, and new policies store today's default (for `ring_scores`, `ring_candidates`, `lone_votes`,
    `speaker_links`, `organisation_pairs`, `placeholder_companies`, `lone_share`, `lone_test`, `linked_groups`,
    `lone_order`, `lone_fair_share` and `burst_sittings` the stored word, written out so that a later default cannot
    change a stored policy)."""
    before = {k: v for k, v in BlocRule().to_json().items() if k != key}
    old, chosen = _stored_then_migrated(before_migration, before)
    assert old.bloc_rule == {**before, key: stored}
    assert BlocRule.from_json(old.bloc_rule) == BlocRule(**{key: stored})
    assert chosen.bloc_rule == BlocRule().to_json() and chosen.bloc_rule[key] == default
    kept = {**before, key: other}
    old, _ = _stored_then_migrated(before_migration, kept)
    assert old.bloc_rule == kept


@pytest.mark.django_db(transaction=True)
def test_round_34_migration_pins_the_lone_family_s_bar_and_window_size_in_stored_policies():
    """0033 writes `lone_control: error_control` and `lone_min_votes: null` (round 34: the lone-vote family
    under the rule's own error control, its windows of `min_members` votes) into policies stored without
    them; a stored policy with `lone_votes: isolated` keeps round 32's meaning. A policy that names a key
    keeps its choice, and new policies store today's default, written out."""
    keys = ("lone_control", "lone_min_votes")
    before = {k: v for k, v in BlocRule().to_json().items() if k not in keys} | {"lone_votes": "isolated"}
    old, chosen = _stored_then_migrated("0032_bloc_rule_speaker_links", before)
    assert old.bloc_rule == {**before, "lone_control": "error_control", "lone_min_votes": None}
    assert BlocRule.from_json(old.bloc_rule) == BlocRule(lone_control="error_control", lone_min_votes=None)
    assert chosen.bloc_rule == BlocRule().to_json()
    assert {k: chosen.bloc_rule[k] for k in keys} == {"lone_control": "familywise", "lone_min_votes": 8}
    kept = {**before, "lone_control": "familywise", "lone_min_votes": 8}
    old, _ = _stored_then_migrated("0032_bloc_rule_speaker_links", kept)
    assert old.bloc_rule == kept


@pytest.mark.django_db(transaction=True)
def test_round_38_keeps_the_lone_vote_test_off_in_policies_stored_before_it_became_the_default():
    """Round 38 makes the lone-vote test the default (`lone_votes: isolated` with its four guards). A policy
    stored before the lone keys existed keeps the rule it was stored with: 0031, 0033, 0035 and 0036 write the
    behaviour before into it, so its detection runs no lone-vote test; new policies store the new default."""
    keys = {
        "lone_votes": "ignored",
        "lone_control": "error_control",
        "lone_min_votes": None,
        "lone_share": "whole",
        "lone_test": "poisson",
    }
    before = {k: v for k, v in BlocRule().to_json().items() if k not in keys}
    old, chosen = _stored_then_migrated("0030_bloc_rule_ring_score_null", before)
    assert old.bloc_rule == {**before, **keys}
    assert BlocRule.from_json(old.bloc_rule) == BlocRule(**keys)
    assert chosen.bloc_rule == BlocRule().to_json()
    assert {k: chosen.bloc_rule[k] for k in keys} == {
        "lone_votes": "isolated",
        "lone_control": "familywise",
        "lone_min_votes": 8,
        "lone_share": "local",
        "lone_test": "conditional",
    }


@pytest.mark.django_db(transaction=True)
def test_round_39_migration_pins_the_exact_links_in_policies_stored_without_them():
    """0037 writes `speaker_links: exact`, `organisation_pairs: majority` and `linked_groups: colleagues` (the
    behaviour before round 39 made the wider links the default, judged as before the link) into policies
    stored without them; a policy that names a key keeps its choice, and new policies store today's default."""
    keys = ("speaker_links", "organisation_pairs", "linked_groups")
    before = {k: v for k, v in BlocRule().to_json().items() if k not in keys}
    old, chosen = _stored_then_migrated("0036_bloc_rule_lone_test", before)
    pinned = {"speaker_links": "exact", "organisation_pairs": "majority", "linked_groups": "colleagues"}
    assert old.bloc_rule == {**before, **pinned}
    assert BlocRule.from_json(old.bloc_rule) == BlocRule(**pinned)
    assert chosen.bloc_rule == BlocRule().to_json()
    assert {k: chosen.bloc_rule[k] for k in keys} == {
        "speaker_links": "registrable",
        "organisation_pairs": "plurality",
        "linked_groups": "before",
    }
    kept = {**before, "speaker_links": "registrable"}
    old, _ = _stored_then_migrated("0036_bloc_rule_lone_test", kept)
    assert old.bloc_rule == {**kept, "organisation_pairs": "majority", "linked_groups": "colleagues"}
