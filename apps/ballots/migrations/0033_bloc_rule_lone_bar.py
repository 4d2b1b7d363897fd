"""The bloc rule gains `lone_control` and `lone_min_votes` (docs/blocs.md, round 34): the lone-vote family's
bar and the fewest lone votes a lone-vote window needs. "error_control" and null are the behaviour before:
the rule's `error_control` (false discovery by default, so the family's strong findings lower its bar for
every other window) and `min_members` votes.

A stored version is never edited in meaning, so every existing policy without the keys gets
"error_control" and null, the behaviour it was stored with (written out, so that a later default cannot
change it)."""

from django.db import migrations

STORED_BEHAVIOUR = {"lone_control": "error_control", "lone_min_votes": None}


def pin_stored_behaviour(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        missing = {key: value for key, value in STORED_BEHAVIOUR.items() if key not in rule}
        if missing:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, **missing})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0032_bloc_rule_speaker_links"),
    ]

    operations = [
        migrations.RunPython(pin_stored_behaviour, migrations.RunPython.noop),
    ]
