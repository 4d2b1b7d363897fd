from django.apps import AppConfig


class TalksConfig(AppConfig):
    name = "apps.talks"
    label = "talks"
    verbose_name = "Conferences and talks"
