"""The bloc rule gains `burst_sittings` (docs/blocs.md, round 41): whether, under `lone_order: apart`, a site-wide
burst that comes after a lone-vote window sharing its voters must show that its votes cast in sittings are a burst
of their own. "whole" is the behaviour before; "tested" becomes the default (with `lone_order: apart`).

A stored version is never edited in meaning, so every existing policy without the key gets the behaviour it
was stored with, `burst_sittings: whole` (written out, so that a later default cannot change it)."""

from django.db import migrations

STORED_BEHAVIOUR = {"burst_sittings": "whole"}


def pin_stored_behaviour(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        missing = {key: value for key, value in STORED_BEHAVIOUR.items() if key not in rule}
        if missing:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, **missing})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0043_bloc_rule_lone_fair_share"),
    ]

    operations = [
        migrations.RunPython(pin_stored_behaviour, migrations.RunPython.noop),
    ]
