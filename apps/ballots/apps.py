from django.apps import AppConfig


class BallotsConfig(AppConfig):
    name = "apps.ballots"
    label = "ballots"
    verbose_name = "Votes and tallies"
