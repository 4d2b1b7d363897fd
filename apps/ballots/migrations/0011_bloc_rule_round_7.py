"""The bloc rule gains `bound_by_evidence` (docs/blocs.md, round 7), and new policies store true: a
detected bloc's allowance above its fair share shrinks as its evidence grows (k ** (bound_exponent /
strength), never below what a confirmation gives). False: every detected bloc counts as
max(k ** bound_exponent, fair share), as before.

A stored version is never edited in meaning, so every existing policy without the key gets false,
the behaviour it was stored with."""

from django.db import migrations

STORED_BEHAVIOUR = {"bound_by_evidence": False}


def pin_stored_behaviour(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        missing = {key: value for key, value in STORED_BEHAVIOUR.items() if key not in rule}
        if missing:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, **missing})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0010_vote_write_function"),
    ]

    operations = [
        migrations.RunPython(pin_stored_behaviour, migrations.RunPython.noop),
    ]
