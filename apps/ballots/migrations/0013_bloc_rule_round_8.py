"""The bloc rule gains `bursts` (docs/blocs.md, round 8), and new policies store "every": every burst on
a talk that shares no vote with a more unusual one is reported (a campaign in waves), the further
ones asked against alpha / (the windows on the talks where a burst is established), and the bursts
of one talk and way are one bloc. "strongest": only the most unusual window of each talk and way, as
before.

A stored version is never edited in meaning, so every existing policy without the key gets
"strongest", the behaviour it was stored with."""

from django.db import migrations

STORED_BEHAVIOUR = {"bursts": "strongest"}


def pin_stored_behaviour(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        missing = {key: value for key, value in STORED_BEHAVIOUR.items() if key not in rule}
        if missing:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, **missing})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0012_bloc_runs_and_decisions"),
    ]

    operations = [
        migrations.RunPython(pin_stored_behaviour, migrations.RunPython.noop),
    ]
