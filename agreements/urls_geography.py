"""URLs of the administrative geography pages; included by agreements/urls.py (app_name "agreements")."""

from django.urls import path

from .views_geography import AdministrativeUnitDetailView, AdministrativeUnitSearchView

urlpatterns = [
    path("dia-ban/", AdministrativeUnitSearchView.as_view(), name="adminunit_search"),
    path("dia-ban/<int:pk>/", AdministrativeUnitDetailView.as_view(), name="adminunit_detail"),
]
