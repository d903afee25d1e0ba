from django.urls import path

from . import views

app_name = "incidents"

urlpatterns = [
    path("nguon-tin/", views.TipListView.as_view(), name="tip_list"),
    path("nguon-tin/can-xu-ly/", views.TipInboxView.as_view(), name="tip_inbox"),
    path("nguon-tin/ghi-nhan/", views.TipCreateView.as_view(), name="tip_create"),
    path("nguon-tin/<int:pk>/", views.TipDetailView.as_view(), name="tip_detail"),
    path("nguon-tin/<int:pk>/da-nhan/", views.TipAcknowledgeView.as_view(), name="tip_acknowledge"),
    path("nguon-tin/<int:pk>/trang-thai/", views.TipStatusView.as_view(), name="tip_status"),
    path("nguon-tin/<int:pk>/lien-ket-vu-viec/", views.TipLinkIncidentView.as_view(), name="tip_link_incident"),
    path("vu-viec/", views.IncidentListView.as_view(), name="incident_list"),
    path("vu-viec/ghi-nhan/", views.IncidentCreateView.as_view(), name="incident_create"),
    path("vu-viec/<int:pk>/", views.IncidentDetailView.as_view(), name="incident_detail"),
    path("vu-viec/<int:pk>/sua/", views.IncidentUpdateView.as_view(), name="incident_update"),
    path("vu-viec/<int:pk>/trang-thai/", views.IncidentStatusView.as_view(), name="incident_status"),
]
