"""The bloc rule gains `lone_fair_share` (docs/blocs.md, round 41): what a lone-vote window predicts in its bloc's
fair share. "plugin" is the behaviour before, and stays the default: the plug-in prediction, whatever the
window's evidence states.

A stored version is never edited in meaning, so every existing policy without the key gets the behaviour it
was stored with, `lone_fair_share: plugin` (written out, so that a later default cannot change it)."""

from django.db import migrations

STORED_BEHAVIOUR = {"lone_fair_share": "plugin"}


def pin_stored_behaviour(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        missing = {key: value for key, value in STORED_BEHAVIOUR.items() if key not in rule}
        if missing:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, **missing})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0042_tally_publication_runs"),
    ]

    operations = [
        migrations.RunPython(pin_stored_behaviour, migrations.RunPython.noop),
    ]
