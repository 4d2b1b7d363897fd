"""Blocs keep how their group is linked to the speaker's organisation (`speaker_link`): a member's receipt
calls the group colleagues of the speaker only on an exact or declared link, and describes a group linked by
inference (a registered domain, a similar name, what most of a domain's voters write) as such (docs/blocs.md,
decision 3). Stored blocs are filled in from their evidence: a colleague sentence names the link it was made
by in brackets after "the speaker's organisation" exactly when the link is inferred (rounds 33 and 39). The
next detection writes the field anew."""

from django.db import migrations, models

INFERRED_MARK = "the speaker's organisation ("


def speaker_link_from_evidence(apps, schema_editor):
    Bloc = apps.get_model("ballots", "Bloc")
    for bloc in Bloc.objects.filter(signals__icontains='"colleagues"').only("pk", "signals", "evidence").iterator():
        if "colleagues" not in (bloc.signals or []):
            continue
        kinds = {
            "inferred" if INFERRED_MARK in e.get("sentence", "") else "exact"
            for e in bloc.evidence or []
            if e.get("signal") == "colleagues"
        }
        link = "" if not kinds else kinds.pop() if len(kinds) == 1 else "mixed"
        Bloc.objects.filter(pk=bloc.pk).update(speaker_link=link)


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0038_anonymised_ballots_document"),
    ]

    operations = [
        migrations.AddField(
            model_name="bloc",
            name="speaker_link",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Not the speaker's organisation"),
                    ("exact", "The speaker's organisation (exact or declared link)"),
                    ("inferred", "Taken for the speaker's organisation from a similar name or email domain"),
                    ("mixed", "Both"),
                ],
                default="",
                help_text="How the group is linked to the speaker's organisation: a member's receipt calls it "
                "colleagues of the speaker only on exact or declared links.",
                max_length=8,
            ),
        ),
        migrations.AddConstraint(
            model_name="bloc",
            constraint=models.CheckConstraint(
                condition=models.Q(("speaker_link__in", ["", "exact", "inferred", "mixed"])),
                name="bloc_speaker_link_valid",
            ),
        ),
        migrations.RunPython(speaker_link_from_evidence, migrations.RunPython.noop),
    ]
