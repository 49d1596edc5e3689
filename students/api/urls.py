"""Students' routes, registered on the API's one router (allocations.api.urls)."""

from __future__ import annotations

from rest_framework.routers import BaseRouter

from students.api import views


def register(router: BaseRouter) -> None:
    router.register("students", views.StudentViewSet, basename="student")
    router.register("mandates", views.MandateViewSet, basename="mandate")
