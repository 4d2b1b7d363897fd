"""The bloc rule gains `ring_candidates` (docs/blocs.md, round 23): how the puppet-ring test finds its
candidate rings. "bands", the default: 4 MinHash bands of 3 hashes, as before. "pairs", an option: 23
bands propose pairs of accounts, kept at an exact Jaccard of at least `similar_min_jaccard`, linked into
further candidate rings beside the 4 bands' rings.

A stored version is never edited in meaning, so every existing policy without the key gets "bands",
the behaviour it was stored with (the default today too; written out so that a later default cannot
change a stored policy)."""

from django.db import migrations

STORED_BEHAVIOUR = {"ring_candidates": "bands"}


def pin_stored_behaviour(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        missing = {key: value for key, value in STORED_BEHAVIOUR.items() if key not in rule}
        if missing:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, **missing})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0022_bloc_rule_round_22"),
    ]

    operations = [
        migrations.RunPython(pin_stored_behaviour, migrations.RunPython.noop),
    ]
