"""The bloc rule gains `error_control` (docs/blocs.md, round 5): "false_discovery" lets each finding of
a signal lower the bar for the next by one step of alpha / tests, while the first still needs what
Bonferroni asked; "familywise" keeps Bonferroni for every finding. New policies store
"false_discovery". A stored version is never edited in meaning, so existing policies get
"familywise", the behaviour they were stored with."""

from django.db import migrations


def pin_familywise(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        if "error_control" not in rule:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, "error_control": "familywise"})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0007_bloc_rule_organisations"),
    ]

    operations = [
        migrations.RunPython(pin_familywise, migrations.RunPython.noop),
    ]
