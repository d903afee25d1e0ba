from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from reports.views_dashboard import HomeView

# Accounts: only what a closed network needs (no password reset by e-mail; administrators reset passwords).
account_patterns = [
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("doi-mat-khau/xong/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]

# MEDIA is deliberately not served here, not even with DEBUG: signed documents are read only through
# agreements:agreement_document, which checks the user's jurisdiction.
urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("tai-khoan/", include(account_patterns)),
    path("quan-tri/", admin.site.urls),
    path("", include("agreements.urls")),
    path("", include("incidents.urls")),
    path("tuan-tra/", include("patrols.urls")),
    path("bao-cao/", include("reports.urls")),
]
