"""The bloc rule gains `promotions_explain` (docs/blocs.md, round 22): what a promotion the organizers
recorded explains. "votes", the new default: the burst windows of round 20, and the votes on the talk
cast in the promotion hours are left out of the puppet-ring (`similar`) and account-creation (`joined`)
tests; "bursts": the burst windows only, as in round 20.

A stored version is never edited in meaning, so every existing policy without the key gets "bursts",
the behaviour it was stored with."""

from django.db import migrations

STORED_BEHAVIOUR = {"promotions_explain": "bursts"}


def pin_stored_behaviour(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        missing = {key: value for key, value in STORED_BEHAVIOUR.items() if key not in rule}
        if missing:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, **missing})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0021_bloc_rule_round_21"),
    ]

    operations = [
        migrations.RunPython(pin_stored_behaviour, migrations.RunPython.noop),
    ]
