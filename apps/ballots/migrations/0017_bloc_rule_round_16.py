"""The bloc rule gains `test_count` (docs/blocs.md, round 16), and new policies store "testable": a group
test (order, affiliation, colleagues, narrow) divides alpha by Tarone's count, the (group, talk, way)
cells whose smallest achievable p-value — every voter of the group voting that way, against the
prediction from everyone else's votes — reaches the bar, taken at its fixed point; only those cells can
be findings. "voted": the cells a member of the group voted on, as before.

A stored version is never edited in meaning, so every existing policy without the key gets "voted",
the behaviour it was stored with."""

from django.db import migrations

STORED_BEHAVIOUR = {"test_count": "voted"}


def pin_stored_behaviour(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        missing = {key: value for key, value in STORED_BEHAVIOUR.items() if key not in rule}
        if missing:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, **missing})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0016_bloc_rule_round_11"),
    ]

    operations = [
        migrations.RunPython(pin_stored_behaviour, migrations.RunPython.noop),
    ]
