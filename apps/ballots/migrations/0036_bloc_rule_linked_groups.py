"""The bloc rule gains `linked_groups` (docs/blocs.md, round 39): how a group is judged that only the wider
links (`speaker_links: registrable`, `organisation_pairs: plurality`) make the speaker's organisation.
"colleagues" is the behaviour before (round 35): by the colleague test alone.

A stored version is never edited in meaning, so every existing policy without the key gets "colleagues",
the behaviour it was stored with (written out, so that a later default cannot change it)."""

from django.db import migrations


def pin_stored_behaviour(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        if "linked_groups" not in rule:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, "linked_groups": "colleagues"})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0035_bloc_rule_lone_share"),
    ]

    operations = [
        migrations.RunPython(pin_stored_behaviour, migrations.RunPython.noop),
    ]
