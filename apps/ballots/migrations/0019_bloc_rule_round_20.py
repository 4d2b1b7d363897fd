"""The bloc rule gains `promotion_hours` (docs/blocs.md, round 20), and new policies store 24: a burst
window on a talk that overlaps the first 24 hours after a promotion of that talk the organizers
recorded (their own post or newsletter featuring it) is explained by it and not tested. 0: promotions
are ignored, as before.

A stored version is never edited in meaning, so every existing policy without the key gets 0, the
behaviour it was stored with."""

from django.db import migrations

STORED_BEHAVIOUR = {"promotion_hours": 0}


def pin_stored_behaviour(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        missing = {key: value for key, value in STORED_BEHAVIOUR.items() if key not in rule}
        if missing:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, **missing})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0018_promotions"),
    ]

    operations = [
        migrations.RunPython(pin_stored_behaviour, migrations.RunPython.noop),
    ]
