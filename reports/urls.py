from django.urls import path

from . import urls_dashboard, views

app_name = "reports"

urlpatterns = [
    path("", views.ReportListView.as_view(), name="report_list"),
    path("tao/", views.ReportCreateView.as_view(), name="report_create"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("<int:pk>/sua/", views.ReportUpdateView.as_view(), name="report_update"),
    path("<int:pk>/tao-pdf/", views.ReportRequestPdfView.as_view(), name="report_request_pdf"),
    path("phien-ban/<int:pk>/trang-thai/", views.ReportVersionStatusView.as_view(), name="report_version_status"),
    path("phien-ban/<int:pk>/tai/", views.ReportVersionDownloadView.as_view(), name="report_version_download"),
    path("phien-ban/<int:pk>/thu-lai/", views.ReportVersionRetryView.as_view(), name="report_version_retry"),
]

urlpatterns += urls_dashboard.urlpatterns
