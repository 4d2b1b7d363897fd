"""The bloc rule gains `ring_score_null` (docs/blocs.md, "Puppet rings and shared taste"): whether a
puppet ring (`similar`) must also repeat scores. "shifted", the new default: on the talks of its common
ballot the ring's members must give the very same score more often than the talks' other raters'
scores, moved by one shift fitted to the ring, explain (asked where copies would pass). "none": the ring
test alone, as before.

A stored version is never edited in meaning, so every existing policy without the key gets "none",
the behaviour it was stored with."""

from django.db import migrations

STORED_BEHAVIOUR = {"ring_score_null": "none"}


def pin_stored_behaviour(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        missing = {key: value for key, value in STORED_BEHAVIOUR.items() if key not in rule}
        if missing:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, **missing})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0029_bloc_rule_round_28"),
    ]

    operations = [
        migrations.RunPython(pin_stored_behaviour, migrations.RunPython.noop),
    ]
