"""The bloc rule gains `speaker_links` (docs/blocs.md, round 33): which voters' email domains are the
speaker's organisation. "exact": the speaker's own address's domain and the domains registered under the
speaker's company name spelled out, the behaviour before; "registrable": also the domains registered
under the same domain as the speaker's address, and those named as the speaker's company once a few
words naming the kind of organisation ("university", "of", "studio", …) are set aside.

A stored version is never edited in meaning, so every existing policy without the key gets "exact",
the behaviour it was stored with (written out, so that a later default cannot change it)."""

from django.db import migrations

STORED_BEHAVIOUR = {"speaker_links": "exact"}


def pin_stored_behaviour(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        missing = {key: value for key, value in STORED_BEHAVIOUR.items() if key not in rule}
        if missing:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, **missing})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0031_bloc_rule_lone_votes"),
    ]

    operations = [
        migrations.RunPython(pin_stored_behaviour, migrations.RunPython.noop),
    ]
