"""The bloc rule gains `lone_order` (docs/blocs.md, round 40): where a lone-vote window comes in the merge of
its talk and way. "strongest" is the behaviour before, and stays the default: by its own p-value, as any
finding.

A stored version is never edited in meaning, so every existing policy without the key gets the behaviour it
was stored with, `lone_order: strongest` (written out, so that a later default cannot change it)."""

from django.db import migrations

STORED_BEHAVIOUR = {"lone_order": "strongest"}


def pin_stored_behaviour(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        missing = {key: value for key, value in STORED_BEHAVIOUR.items() if key not in rule}
        if missing:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, **missing})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0040_promotion_suggestions_document"),
    ]

    operations = [
        migrations.RunPython(pin_stored_behaviour, migrations.RunPython.noop),
    ]
