from django.urls import path

from . import views

app_name = "attendance"

urlpatterns = [
    path("my/", views.my_overview, name="my_overview"),
    path("c/<slug:slug>/my-ticket/", views.my_ticket, name="my_ticket"),
    path("c/<slug:slug>/my-pledge/", views.my_pledge, name="my_pledge"),
    path("c/<slug:slug>/organizer/pledges/", views.pledge_dashboard, name="pledge_dashboard"),
    path("ticket-link/<str:token>/", views.ticket_link, name="ticket_link"),
    path("hooks/pretix/<str:token>/", views.pretix_webhook, name="pretix_webhook"),
]
