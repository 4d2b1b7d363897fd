"""The bloc rule's defaults change (k ** 0.25 bound, burst windows of 1, 2, 4, 8 and 24 hours; see
docs/blocs.md). New weight policies store every parameter. A stored version is never edited in
meaning, so existing policies get the parameters they were using written out: the first defaults
for the keys they left to the code."""

from django.db import migrations, models

import apps.ballots.domain.blocs_input

# The rule's defaults before this migration, frozen here (the code's defaults may change again).
FIRST_DEFAULTS = {
    "signals": ["order", "affiliation", "narrow", "burst", "similar"],
    "alpha": 0.01,
    "min_members": 3,
    "min_ratio": 3.0,
    "colleague_min_ratio": 1.5,
    "narrow_max_votes": 2,
    "burst_window_hours": [1.0, 6.0, 24.0],
    "similar_min_talks": 4,
    "similar_min_jaccard": 0.5,
    "similar_max_group": 200,
    "oppose_max_score": None,
    "bound_exponent": 0.5,
    "confirmed_exponent": 0.0,
}


def pin_first_defaults(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**FIRST_DEFAULTS, **rule})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0005_bulletin_chain"),
    ]

    operations = [
        migrations.AlterField(
            model_name="weightpolicy",
            name="bloc_rule",
            field=models.JSONField(
                blank=True,
                default=apps.ballots.domain.blocs_input.bloc_rule_default,
                help_text="Parameters of the bloc discount rule.",
            ),
        ),
        migrations.RunPython(pin_first_defaults, migrations.RunPython.noop),
    ]
