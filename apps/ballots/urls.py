from django.urls import path

from . import views

app_name = "ballots"

urlpatterns = [
    path("vote/", views.vote_page, name="vote"),
    path("vote/<int:talk_id>/", views.vote_submit, name="vote_submit"),
    path("vote/receipts/", views.receipts, name="receipts"),
    path("vote/receipts/email/", views.receipt_email, name="receipt_email"),
    path("bulletin/", views.bulletin, name="bulletin"),
    path("anonymised-ballots.json", views.anonymised_ballots, name="anonymised_ballots"),
]
