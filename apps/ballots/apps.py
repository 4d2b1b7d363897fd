from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class BallotsConfig(AppConfig):
    name = "apps.ballots"
    label = "ballots"
    verbose_name = "Votes and tallies"

    def ready(self) -> None:
        from apps.talks.models import Conference, Talk

        from .selectors.voting import conference_for_vote_forget

        post_save.connect(conference_for_vote_forget, sender=Conference, dispatch_uid="ballots-conference-forget")
        post_delete.connect(conference_for_vote_forget, sender=Conference, dispatch_uid="ballots-conference-forget-del")
        # A talk added, withdrawn or removed changes the progress line's total (candidate_talk_count).
        post_save.connect(conference_for_vote_forget, sender=Talk, dispatch_uid="ballots-talk-forget")
        post_delete.connect(conference_for_vote_forget, sender=Talk, dispatch_uid="ballots-talk-forget-del")
