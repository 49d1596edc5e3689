from django.urls import path

from allocations import views
from allocations.reports.urls import urlpatterns as report_urls

app_name = "allocations"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("runs/", views.run_start, name="run_start"),
    path("runs/<int:run_id>/progress/", views.run_progress, name="run_progress"),
]
urlpatterns += report_urls
