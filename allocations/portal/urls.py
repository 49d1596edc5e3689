from django.urls import path
from django.views.generic import RedirectView

from allocations.portal import views

app_name = "family"
urlpatterns = [
    path("", views.family, name="index"),
    path("<int:student_id>/", views.child, name="child"),
    path("<int:student_id>/record.<str:fmt>", views.record, name="record"),
    # The week's staffing had a page of its own until it joined the child's page.
    path(
        "plan/<int:student_id>/",
        RedirectView.as_view(pattern_name="family:child", permanent=True, query_string=True),
        name="plan",
    ),
]
