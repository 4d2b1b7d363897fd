"""The bloc rule gains two keys and a signal (docs/blocs.md, round 8):

- `bursts`, new policies "every": every burst on a talk that shares no vote with a more unusual one
  is reported (a campaign in waves), the further ones asked against alpha / (the windows on the
  talks where a burst is established), and the bursts of one talk and way are one bloc.
  "strongest": only the most unusual window of each talk and way, as before.
- `rings`, new policies "everyone": a puppet ring is counted over every account holding its common
  ballot's ratings, copies that varied more join while there are more of them than chance puts
  there, and the common ballot is what half of the members rated alike. "candidates": counted among
  the accounts hashing put together, as before.
- the signal `organisation_burst` (an organisation's votes on a talk within hours, against that
  organisation's own activity) is in the default `signals`. Every stored policy names its signals
  (migration 0006 wrote them out), so none gains it; one stored without the key gets the five
  signals it meant.

A stored version is never edited in meaning, so every existing policy without a key gets the value
that means the behaviour it was stored with."""

from django.db import migrations

STORED_BEHAVIOUR = {
    "bursts": "strongest",
    "rings": "candidates",
    "signals": ["order", "affiliation", "narrow", "burst", "similar"],
}


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
