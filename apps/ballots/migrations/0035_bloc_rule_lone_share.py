"""The bloc rule gains `lone_share` (docs/blocs.md, round 37): the talk's share a lone-vote window is
judged against. "whole" is the behaviour before: the talk's share of the lone votes over the whole vote.

A stored version is never edited in meaning, so every existing policy without the key gets "whole", the
behaviour it was stored with (written out, so that a later default cannot change it).

(Numbered 0035: 0034 is another change in flight. On merge, this migration's dependency becomes 0034.)"""

from django.db import migrations


def pin_stored_behaviour(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        if "lone_share" not in rule:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, "lone_share": "whole"})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0034_bloc_rule_organisation_pairs"),
    ]

    operations = [
        migrations.RunPython(pin_stored_behaviour, migrations.RunPython.noop),
    ]
