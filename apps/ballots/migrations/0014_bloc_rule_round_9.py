"""The bloc rule gains `order_colleagues` (docs/blocs.md, round 9), and new policies store true: a
ticket order most of whose voters are of one organisation (a company booking) voting on a talk by that
organisation's speaker is tested as colleagues of the speaker (the order test's own colleague family,
familywise, `colleague_min_ratio`) and reported as colleagues, so that loyalty is not counted among
the order signal's discoveries, where it lowered the bar for every other order. False: such votes are
order findings like any other, as before.

A stored version is never edited in meaning, so every existing policy without the key gets false,
the behaviour it was stored with."""

from django.db import migrations

STORED_BEHAVIOUR = {"order_colleagues": False}


def pin_stored_behaviour(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        missing = {key: value for key, value in STORED_BEHAVIOUR.items() if key not in rule}
        if missing:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, **missing})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0013_bloc_rule_round_8"),
    ]

    operations = [
        migrations.RunPython(pin_stored_behaviour, migrations.RunPython.noop),
    ]
