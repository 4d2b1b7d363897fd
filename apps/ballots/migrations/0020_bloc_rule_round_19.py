"""The bloc rule gains `ring_scores` (docs/blocs.md, round 19). "exact", an option: a puppet ring whose
upward ratings can tell the top score from the others must also agree on which talks get the top score
more than the ring's own habits and each talk's other raters explain, so honest fans of one track (the
same talks, rated up, with scores of their own) are no longer rings. "way", the default: only the way of
each rating counts, as before.

A stored version is never edited in meaning, so every existing policy without the key gets "way",
the behaviour it was stored with (the default today too; written out so that a later default cannot
change a stored policy)."""

from django.db import migrations

STORED_BEHAVIOUR = {"ring_scores": "way"}


def pin_stored_behaviour(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        missing = {key: value for key, value in STORED_BEHAVIOUR.items() if key not in rule}
        if missing:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, **missing})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0019_bloc_rule_round_20"),
    ]

    operations = [
        migrations.RunPython(pin_stored_behaviour, migrations.RunPython.noop),
    ]
