"""The bloc rule gains `follow_ups` (docs/blocs.md, round 21): the family the merge's follow-up bar
divides alpha by. "asked", the new default, counts the findings that could ask a question (some of their
voters possibly in, some surely new); "shared" counts every finding that shares a voter with a
stronger one on its talk, as before round 21.

A stored version is never edited in meaning, so every existing policy without the key gets "shared",
the behaviour it was stored with."""

from django.db import migrations

STORED_BEHAVIOUR = {"follow_ups": "shared"}


def pin_stored_behaviour(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        missing = {key: value for key, value in STORED_BEHAVIOUR.items() if key not in rule}
        if missing:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, **missing})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0020_bloc_rule_round_19"),
    ]

    operations = [
        migrations.RunPython(pin_stored_behaviour, migrations.RunPython.noop),
    ]
