from django.urls import path

from allocations import portal as views

app_name = "portal"
urlpatterns = [
    path("<int:student_id>/", views.child, name="child"),
]
