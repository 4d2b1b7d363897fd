"""factory_boy factories: every test builds the data it needs, including data that must not leak."""

import datetime as dt

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from apps.attendance.models import Pledge, Ticket, TicketClaim, TicketType, User
from apps.ballots.models import Vote
from apps.scheduling.models import Room, Slot
from apps.talks.models import Conference, Speaker, Talk, Track

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """A verified primary email (allauth requires one to log in); pass verified=False to skip."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()


class ConferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conference

    slug = factory.Sequence(lambda n: f"conf{n}")
    name = factory.Sequence(lambda n: f"Conference {n}")
    start_date = factory.LazyFunction(lambda: timezone.now().date() + dt.timedelta(days=60))
    end_date = factory.LazyAttribute(lambda o: o.start_date + dt.timedelta(days=2))
    voting_opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    voting_closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=14))
    status = Conference.Status.VOTING


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    conference = factory.SubFactory(ConferenceFactory)
    name = factory.Sequence(lambda n: f"Track {n}")
    slug = factory.Sequence(lambda n: f"track-{n}")


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    conference = factory.SubFactory(ConferenceFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"speaker{n}@company.example")
    company = "Company"


class TalkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Talk
        skip_postgeneration_save = True

    conference = factory.SubFactory(ConferenceFactory)
    title = factory.Sequence(lambda n: f"Talk {n}")
    abstract = "An abstract."

    @factory.post_generation
    def speakers(self, create, extracted, **kwargs):
        if create and extracted:
            self.speakers.set(extracted)


class TicketTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TicketType

    conference = factory.SubFactory(ConferenceFactory)
    name = factory.Sequence(lambda n: f"Ticket type {n}")


class TicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ticket

    conference = factory.SubFactory(ConferenceFactory)
    ticket_type = factory.SubFactory(TicketTypeFactory, conference=factory.SelfAttribute("..conference"))
    order_code = factory.Sequence(lambda n: f"ORD{n:04d}")
    secret = factory.Sequence(lambda n: f"secret-{n:06d}")
    holder_email = factory.Sequence(lambda n: f"holder{n}@example.org")
    holder_name = factory.Faker("name")


class TicketClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TicketClaim

    ticket = factory.SubFactory(TicketFactory)
    conference = factory.SelfAttribute("ticket.conference")
    user = factory.SubFactory(UserFactory)
    method = TicketClaim.Method.ORDER_CODE


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge

    user = factory.SubFactory(UserFactory)
    conference = factory.SubFactory(ConferenceFactory)
    status = Pledge.Status.ACTIVE
    # The database insists that a withdrawn pledge says when.
    withdrawn_at = factory.LazyAttribute(lambda o: timezone.now() if o.status == Pledge.Status.WITHDRAWN else None)


class VoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vote

    user = factory.SubFactory(UserFactory)
    talk = factory.SubFactory(TalkFactory)
    score = 2
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.SelfAttribute("created_at")


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    conference = factory.SubFactory(ConferenceFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    capacity = 100


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot

    room = factory.SubFactory(RoomFactory)
    conference = factory.SelfAttribute("room.conference")
    start = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) + dt.timedelta(days=60))
    end = factory.LazyAttribute(lambda o: o.start + dt.timedelta(minutes=45))
