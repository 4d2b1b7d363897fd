"""The bloc rule gains `burst_share` (docs/blocs.md, round 14), and new policies store "estimated": a
burst window's prediction rests on the talk's share of all votes measured on its votes outside the
window, and the window's count is judged against the negative binomial that this measured share gives
(a Poisson whose share carries the uncertainty of a few votes). "known": against a Poisson with the
measured share taken as exact, as before.

A stored version is never edited in meaning, so every existing policy without the key gets "known",
the behaviour it was stored with."""

from django.db import migrations

STORED_BEHAVIOUR = {"burst_share": "known"}


def pin_stored_behaviour(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        missing = {key: value for key, value in STORED_BEHAVIOUR.items() if key not in rule}
        if missing:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, **missing})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0016_bloc_rule_round_11"),
    ]

    operations = [
        migrations.RunPython(pin_stored_behaviour, migrations.RunPython.noop),
    ]
