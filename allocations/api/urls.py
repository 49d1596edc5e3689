"""The API's one router: every app's resources under /api/v1/, the OpenAPI 3 schema at
/api/schema/ and its pages at /api/docs/ (Swagger UI) and /api/docs/redoc/."""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

import staffing.api.urls
import students.api.urls
from allocations.api import jobs, ledger, views

router = DefaultRouter()
staffing.api.urls.register(router)
students.api.urls.register(router)
router.register("absences", views.AbsenceViewSet, basename="absence")
router.register("assignments", views.AssignmentViewSet, basename="assignment")
router.register("unstaffed", views.UnstaffedViewSet, basename="unstaffed")
router.register("runs", views.RunViewSet, basename="run")
router.register("alerts", views.AlertViewSet, basename="alert")
router.register("delivery-records", ledger.DeliveryRecordViewSet, basename="delivery-record")
router.register("compensatory-balances", ledger.BalanceViewSet, basename="compensatory-balance")
router.register("reports", ledger.ReportViewSet, basename="report")
router.register("imports", jobs.ImportJobViewSet, basename="import")

app_name = "api"
urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("docs/redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]
