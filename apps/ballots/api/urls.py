from django.urls import path

from . import blocs

urlpatterns = [
    path("conferences/<slug:slug>/blocs/", blocs.BlocList.as_view(), name="api-bloc-list"),
    path("conferences/<slug:slug>/blocs/<int:pk>/decide/", blocs.BlocDecide.as_view(), name="api-bloc-decide"),
]
