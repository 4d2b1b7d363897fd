from django.urls import path

from . import blocs, mine

urlpatterns = [
    path("conferences/<slug:slug>/blocs/", blocs.BlocList.as_view(), name="api-bloc-list"),
    path("conferences/<slug:slug>/blocs/<int:pk>/decide/", blocs.BlocDecide.as_view(), name="api-bloc-decide"),
    path("conferences/<slug:slug>/me/ballot/", mine.MyBallot.as_view(), name="api-my-ballot"),
    path("conferences/<slug:slug>/me/votes/<int:talk_id>/", mine.MyVote.as_view(), name="api-my-vote"),
    path("conferences/<slug:slug>/me/receipts/", mine.MyReceipts.as_view(), name="api-my-receipts"),
    path("conferences/<slug:slug>/me/ticket/", mine.MyTicket.as_view(), name="api-my-ticket"),
    path("conferences/<slug:slug>/me/pledge/", mine.MyPledge.as_view(), name="api-my-pledge"),
]
