from django.apps import AppConfig


class AllocationsApiConfig(AppConfig):
    """Import jobs are a table of their own app, so the API's tables migrate apart from the
    allocations domain's."""

    name = "allocations.api"
    label = "allocations_api"
    verbose_name = "API imports"
    default_auto_field = "django.db.models.BigAutoField"
