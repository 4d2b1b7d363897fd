"""The bloc rule gains `linked_groups` (docs/blocs.md, round 39): how a group is judged that only the wider
links (`speaker_links: registrable`, `organisation_pairs: plurality`) make the speaker's organisation.
"colleagues" is the behaviour before (round 35): by the colleague test alone. The default becomes
`speaker_links: registrable`, `organisation_pairs: plurality`, `linked_groups: before`.

A stored version is never edited in meaning, so every existing policy without a key gets the behaviour it was
stored with: `speaker_links: exact`, `organisation_pairs: majority`, `linked_groups: colleagues` (written out,
so that a later default cannot change it; 0032 and 0034 wrote the first two already)."""

from django.db import migrations

STORED_BEHAVIOUR = {"speaker_links": "exact", "organisation_pairs": "majority", "linked_groups": "colleagues"}


def pin_stored_behaviour(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        missing = {key: value for key, value in STORED_BEHAVIOUR.items() if key not in rule}
        if missing:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, **missing})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0036_bloc_rule_lone_test"),
    ]

    operations = [
        migrations.RunPython(pin_stored_behaviour, migrations.RunPython.noop),
    ]
