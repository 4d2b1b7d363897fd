"""The bloc rule gains `oppose_lean` (docs/blocs.md, round 28): whether an organisation's low scores on
a talk are also judged against the talk's other raters (of the organisation's voters who rated the
talk, how many gave it a score in the lowest quarter of the scale, against the share of the talk's
other raters who did). "tested", the new default, runs that test beside the group tests; "ignored"
runs only the group tests, as before.

A stored version is never edited in meaning, so every existing policy without the key gets "ignored",
the behaviour it was stored with."""

from django.db import migrations

STORED_BEHAVIOUR = {"oppose_lean": "ignored"}


def pin_stored_behaviour(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        missing = {key: value for key, value in STORED_BEHAVIOUR.items() if key not in rule}
        if missing:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, **missing})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0028_blocdetectionrun_inputs"),
    ]

    operations = [
        migrations.RunPython(pin_stored_behaviour, migrations.RunPython.noop),
    ]
