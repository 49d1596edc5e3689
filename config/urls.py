from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("family/", include("allocations.portal.urls")),
    # The language a visitor chooses (set_language), remembered in the language cookie.
    path("i18n/", include("django.conf.urls.i18n")),
    path("invitations/", include("staffing.invitations.urls")),
    path("dashboard/", include("allocations.urls")),
    path("api/", include("allocations.api.urls")),
    path("admin/", admin.site.urls),
]
