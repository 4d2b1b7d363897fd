"""The bloc rule gains `score_deviation` (docs/blocs.md, round 25): whether a fixed group's finding (a
ticket order, an organisation, the light voters, a burst window, one organisation's burst window) must
also lean the talk the finding's way compared with the talk's other votes. "required", an option: a
group that put no more of its votes on the talk that way than the talk's other votes' share predicts
(binomial upper tail above one half) is not reported. "ignored", the default: the group tests ask only
whether the group rated the talk that way more often than independent voting predicts, as before.

A stored version is never edited in meaning, so every existing policy without the key gets "ignored",
the behaviour it was stored with (the default today too; written out so that a later default cannot
change a stored policy)."""

from django.db import migrations

STORED_BEHAVIOUR = {"score_deviation": "ignored"}


def pin_stored_behaviour(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        missing = {key: value for key, value in STORED_BEHAVIOUR.items() if key not in rule}
        if missing:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, **missing})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0023_bloc_rule_round_23"),
    ]

    operations = [
        migrations.RunPython(pin_stored_behaviour, migrations.RunPython.noop),
    ]
