from django.apps import AppConfig


class StaffingApiConfig(AppConfig):
    """API tokens are a table of their own app, so the API's tables migrate apart from the
    staffing domain's."""

    name = "staffing.api"
    label = "staffing_api"
    verbose_name = "API access"
    default_auto_field = "django.db.models.BigAutoField"
