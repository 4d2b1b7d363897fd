"""The bloc rule gains three keys (docs/blocs.md, round 6), and new policies store the new behaviour:

- `discovery_unit` "talk": under false-discovery control a signal's findings on one talk and way are
  one discovery, so a bloc booked in several orders does not lower the bar for other findings several
  times ("group": each group on each talk is one, as before);
- `merge` "evidenced": a finding that shares voters with a stronger one on the same talk and way brings
  in its other voters only when they are themselves more than chance ("whole": merged whole, as before);
- `ring_exponent` 0: a puppet ring's bloc counts as max(1, its fair share) voters (null: as any other
  bloc, max(k ** bound_exponent, fair share), as before).

A stored version is never edited in meaning, so every existing policy gets the value that keeps the
behaviour it was stored with."""

from django.db import migrations

STORED_BEHAVIOUR = {"discovery_unit": "group", "merge": "whole", "ring_exponent": None}


def pin_stored_behaviour(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        missing = {key: value for key, value in STORED_BEHAVIOUR.items() if key not in rule}
        if missing:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, **missing})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0008_bloc_rule_error_control"),
    ]

    operations = [
        migrations.RunPython(pin_stored_behaviour, migrations.RunPython.noop),
    ]
