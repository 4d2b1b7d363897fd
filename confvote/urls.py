"""Top-level URL configuration."""

from allauth.account.decorators import secure_admin_login
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from apps.talks import views as talk_views

# The admin login goes through allauth, so its rate limits and email verification apply there too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "confvote organizers"
admin.site.site_title = "confvote"
admin.site.index_title = "Run your conference"

urlpatterns = [
    path("", talk_views.home, name="home"),
    path("healthz", talk_views.healthz, name="healthz"),
    path("c/<slug:slug>/", talk_views.conference_detail, name="conference_detail"),
    path("c/<slug:slug>/", include("apps.ballots.urls")),
    path("", include("apps.scheduling.urls")),
    path("", include("apps.attendance.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("confvote.api")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Redoc styles itself inline and parses in a web worker: this one page gets those two allowances.
    path(
        "api/v1/docs/",
        csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]})(
            SpectacularRedocView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
]
