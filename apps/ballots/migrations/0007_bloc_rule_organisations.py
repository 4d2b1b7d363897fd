"""The bloc rule gains `organisations` (a company and its email domain tested as one organisation,
completed through company ticket orders; docs/blocs.md, round 4), on by default for new policies. A
stored version is never edited in meaning, so existing policies get `organisations: false`, the
behaviour they were stored with."""

from django.db import migrations


def pin_separate_groups(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        if "organisations" not in rule:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, "organisations": False})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0006_bloc_rule_defaults"),
    ]

    operations = [
        migrations.RunPython(pin_separate_groups, migrations.RunPython.noop),
    ]
