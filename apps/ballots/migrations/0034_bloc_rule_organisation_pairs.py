"""The bloc rule gains `organisation_pairs` and `placeholder_companies` (docs/blocs.md, round 36).
`organisation_pairs`: "majority", a company and a domain are one organisation only by round 4's mutual
majority (the behaviour before); "plurality": a speaker is also linked through a company that is a domain's
clear plurality spelling. `placeholder_companies`: "kept", every company field is an organisation (the
behaviour before); "listed" / "spread": a field that names no employer ("Patient", "Retired") is not.

A stored version is never edited in meaning, so every existing policy without a key gets the behaviour it
was stored with (written out, so that a later default cannot change it)."""

from django.db import migrations

STORED_BEHAVIOUR = {"organisation_pairs": "majority", "placeholder_companies": "kept"}


def pin_stored_behaviour(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        missing = {key: value for key, value in STORED_BEHAVIOUR.items() if key not in rule}
        if missing:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, **missing})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0033_bloc_rule_lone_bar"),
    ]

    operations = [
        migrations.RunPython(pin_stored_behaviour, migrations.RunPython.noop),
    ]
