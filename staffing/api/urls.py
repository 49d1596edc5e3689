"""Staffing's routes, registered on the API's one router (allocations.api.urls)."""

from __future__ import annotations

from rest_framework.routers import BaseRouter

from staffing.api import views


def register(router: BaseRouter) -> None:
    router.register("schools", views.SchoolViewSet, basename="school")
    router.register("aides", views.AideViewSet, basename="aide")
    router.register("contracts", views.ContractViewSet, basename="contract")
