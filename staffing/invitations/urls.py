from django.urls import path

from staffing.invitations import views

app_name = "invitations"
urlpatterns = [
    path("<slug:kind>/<str:token>/", views.accept, name="accept"),
]
