"""Tells drf-spectacular how our organizer tokens are sent, so the OpenAPI schema documents them."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "confvote.rest.ApiTokenAuthentication"
    name = "organizerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "An organizer token for one conference, sent as `Token cv_…`.",
        }
