"""URL map. Domain apps are mounted under their own prefix when they have a `urls` module."""

from importlib import import_module
from importlib.util import find_spec

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .accounts.views import SignInView
from .api import api
from .domains import DOMAIN_APPS

urlpatterns = [
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("rightstrack.core.urls")),
]

handler403 = "rightstrack.core.error_views.permission_denied"
handler404 = "rightstrack.core.error_views.page_not_found"
handler500 = "rightstrack.core.error_views.server_error"

for app, prefix in DOMAIN_APPS.items():
    module = f"rightstrack.{app}.urls"
    if find_spec(module) is not None:
        urlpatterns.append(path(prefix, include(import_module(module))))
