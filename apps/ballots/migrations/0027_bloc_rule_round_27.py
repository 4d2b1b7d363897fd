"""The bloc rule gains `discount_votes` (round 27): which members' votes on their bloc's talk lose
weight. "pushing", the new default: only the votes that move the talk the bloc's way; a support bloc's
member scoring below the mean of the talk's other voters (an opposition bloc's member scoring above it)
counts in full, since taking weight from that vote would move the talk the bloc's way. "all": every
member's vote, as before.

Blocs store the members a detection spared (`Bloc.spared`, refreshed by every detection), so the
published tally, the receipts, the export and the scheduling sensitivity count them in full.

A stored version is never edited in meaning, so every existing policy without the key gets "all",
the behaviour it was stored with."""

from django.conf import settings
from django.db import migrations, models

STORED_BEHAVIOUR = {"discount_votes": "all"}


def pin_stored_behaviour(apps, schema_editor):
    WeightPolicy = apps.get_model("ballots", "WeightPolicy")
    for policy in WeightPolicy.objects.all().only("pk", "bloc_rule"):
        rule = dict(policy.bloc_rule or {})
        missing = {key: value for key, value in STORED_BEHAVIOUR.items() if key not in rule}
        if missing:
            WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**rule, **missing})


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0026_promotion_external_id"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="bloc",
            name="spared",
            field=models.ManyToManyField(
                blank=True,
                help_text="Members whose vote counts in full: their score does not move the talk the bloc's way "
                "(bloc rule `discount_votes: pushing`). Refreshed by every detection.",
                related_name="blocs_spared",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(pin_stored_behaviour, migrations.RunPython.noop),
    ]
