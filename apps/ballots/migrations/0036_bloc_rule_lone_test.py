"""The bloc rule gains `lone_test` (docs/blocs.md, round 38): how a lone-vote window's count is tested.
"poisson" is the behaviour before: against the talk's share of the lone votes times the site's lone votes
in the window, the share taken as known.

A stored version is never edited in meaning, so every existing policy without the key gets "poisson", the
behaviour it was stored with (written out, so that a later default cannot change it)."""

from django.db import migrations


def pin_stored_behaviour(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        if "lone_test" not in rule:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, "lone_test": "poisson"})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0035_bloc_rule_lone_share"),
    ]

    operations = [
        migrations.RunPython(pin_stored_behaviour, migrations.RunPython.noop),
    ]
