"""The bloc rule gains `lone_votes` (docs/blocs.md, round 31): whether the burst test is also run on the
votes cast alone (no other vote by the voter within half an hour either side). "ignored": the burst
test over all votes only, the behaviour before; "tested": also over the lone votes.

A stored version is never edited in meaning, so every existing policy without the key gets "ignored",
the behaviour it was stored with (written out, so that a later default cannot change it)."""

from django.db import migrations

STORED_BEHAVIOUR = {"lone_votes": "ignored"}


def pin_stored_behaviour(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        missing = {key: value for key, value in STORED_BEHAVIOUR.items() if key not in rule}
        if missing:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, **missing})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0030_bloc_rule_ring_score_null"),
    ]

    operations = [
        migrations.RunPython(pin_stored_behaviour, migrations.RunPython.noop),
    ]
