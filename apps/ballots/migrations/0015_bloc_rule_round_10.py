"""The bloc rule gains `narrow_colleagues` (docs/blocs.md, round 10), and new policies store true: a
voter who rated at most `narrow_max_votes` talks and is of the speaker's organisation (the
organisations of round 4) is left out of the narrow test on that speaker's talk, in its count and in
its prediction, because colleagues favour a colleague's talk out of loyalty, which the narrow test's
model of independent light voters does not allow for, and the colleague test already judges them.
False: such votes count in the narrow test like any other, as before.

A stored version is never edited in meaning, so every existing policy without the key gets false,
the behaviour it was stored with."""

from django.db import migrations

STORED_BEHAVIOUR = {"narrow_colleagues": False}


def pin_stored_behaviour(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        missing = {key: value for key, value in STORED_BEHAVIOUR.items() if key not in rule}
        if missing:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, **missing})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0014_bloc_rule_round_9"),
    ]

    operations = [
        migrations.RunPython(pin_stored_behaviour, migrations.RunPython.noop),
    ]
