"""URLs of the dashboards; reports/urls.py adds them to its own (``urlpatterns += urls_dashboard.urlpatterns``)."""

from django.urls import path

from . import views_dashboard as views

urlpatterns = [
    path("bang-dieu-khien/quy-che/<int:pk>/", views.AgreementDashboardView.as_view(), name="dashboard_agreement"),
    path("bang-dieu-khien/cum/<int:pk>/", views.ClusterDashboardView.as_view(), name="dashboard_cluster"),
    # Without pk: the user's own unit (administrators: the whole country).
    path("bang-dieu-khien/don-vi/", views.UnitDashboardView.as_view(), name="dashboard_unit"),
    path("bang-dieu-khien/don-vi/<int:pk>/", views.UnitDashboardView.as_view(), name="dashboard_unit"),
    # kind: quy-che | cum | don-vi (pk 0 = the user's own unit, as dashboard_unit without pk).
    path("bang-dieu-khien/<slug:kind>/<int:pk>/xuat/", views.DashboardExportView.as_view(), name="dashboard_export"),
]
