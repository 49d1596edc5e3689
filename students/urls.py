from django.urls import path

from students import views

app_name = "family"
urlpatterns = [
    path("", views.family, name="index"),
    path("<int:student_id>/", views.child, name="child"),
]
