from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "apps.attendance"
    label = "attendance"
    verbose_name = "Attendees, tickets and pledges"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)
