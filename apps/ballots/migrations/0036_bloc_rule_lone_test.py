"""The bloc rule gains `lone_test` (docs/blocs.md, round 38): how a lone-vote window's count is tested.
"poisson" is the behaviour before: against the talk's share of the lone votes times the site's lone votes
in the window, the share taken as known. Round 38 also makes the lone-vote test the default (`lone_votes:
isolated`, `lone_control: familywise`, `lone_min_votes: 8`, `lone_share: local`, `lone_test: conditional`).

A stored version is never edited in meaning, so every existing policy gets, for each of these keys it does
not name, the behaviour it was stored with (written out, so that a later default cannot change it). 0031,
0033 and 0035 already wrote the first four into every policy stored before them; they are pinned here too
in case a policy lacks them."""

from django.db import migrations

BEFORE_ROUND_38 = {
    "lone_votes": "ignored",
    "lone_control": "error_control",
    "lone_min_votes": None,
    "lone_share": "whole",
    "lone_test": "poisson",
}


def pin_stored_behaviour(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        missing = {k: v for k, v in BEFORE_ROUND_38.items() if k not in rule}
        if missing:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, **missing})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0035_bloc_rule_lone_share"),
    ]

    operations = [
        migrations.RunPython(pin_stored_behaviour, migrations.RunPython.noop),
    ]
