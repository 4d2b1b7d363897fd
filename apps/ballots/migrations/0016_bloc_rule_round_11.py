"""The bloc rule gains `ring_null` (docs/blocs.md, round 11), and new policies store "held_out": a
candidate puppet ring's members are judged on the ratings the *other* members share (not on a common
ballot picked from their own ratings), and every account is counted by how rare its holding is for an
account of its activity and lean toward each way of rating, so long honest ballots no longer make
rings. "own": members count their holding of the common ballot picked from their own ballots and
accounts are counted by shared ratings, as before.

A stored version is never edited in meaning, so every existing policy without the key gets "own",
the behaviour it was stored with."""

from django.db import migrations

STORED_BEHAVIOUR = {"ring_null": "own"}


def pin_stored_behaviour(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        missing = {key: value for key, value in STORED_BEHAVIOUR.items() if key not in rule}
        if missing:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, **missing})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0015_bloc_rule_round_10"),
    ]

    operations = [
        migrations.RunPython(pin_stored_behaviour, migrations.RunPython.noop),
    ]
