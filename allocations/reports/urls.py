"""The report pages, under the dashboard's namespace (`allocations:report_*`)."""

from django.urls import path

from allocations.reports import views

urlpatterns = [
    path("reports/", views.report_list, name="report_list"),
    path("reports/run/", views.report_run, name="report_run"),
    path("reports/schedule/", views.report_schedule, name="report_schedule"),
    path("reports/<int:report_id>/", views.report_page, name="report_page"),
    path(
        "reports/<int:report_id>/report.<str:fmt>",
        views.report_file,
        name="report_file",
    ),
]
