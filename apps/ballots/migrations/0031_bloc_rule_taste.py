"""The bloc rule gains `taste` (docs/blocs.md, round 30): whether a puppet ring's finding rating a
talk up is dropped when the ring also rates up, as a group test would flag it, at least two of the
talk's ten neighbours (the talks most co-rated with it by voters outside the ring) — a shared taste for
the talk's topic (fans of a track, an employer's staff strong in one topic). "rings", the new default:
such findings are dropped before the merge. "ignored": every ring finding stands, as before.

A stored version is never edited in meaning, so every existing policy without the key gets "ignored",
the behaviour it was stored with."""

from django.db import migrations

STORED_BEHAVIOUR = {"taste": "ignored"}


def pin_stored_behaviour(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        missing = {key: value for key, value in STORED_BEHAVIOUR.items() if key not in rule}
        if missing:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, **missing})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0030_bloc_rule_ring_score_null"),
    ]

    operations = [
        migrations.RunPython(pin_stored_behaviour, migrations.RunPython.noop),
    ]
