from django.urls import path

from . import views

app_name = "patrols"

# Mounted under "tuan-tra/" (borderzone/urls.py).
urlpatterns = [
    path("", views.PatrolListView.as_view(), name="patrol_list"),
    path("ghi-nhan/", views.PatrolCreateView.as_view(), name="patrol_create"),
    path("cho-xac-nhan/", views.PatrolPendingView.as_view(), name="patrol_pending"),
    path("<int:pk>/", views.PatrolDetailView.as_view(), name="patrol_detail"),
    path("<int:pk>/sua/", views.PatrolUpdateView.as_view(), name="patrol_update"),
    path("<int:pk>/xac-nhan/", views.PatrolConfirmView.as_view(), name="patrol_confirm"),
    path("dot-cao-diem/", views.CampaignListView.as_view(), name="campaign_list"),
    path("dot-cao-diem/them/", views.CampaignCreateView.as_view(), name="campaign_create"),
    path("chot-kiem-soat/", views.CheckpointListView.as_view(), name="checkpoint_list"),
    path("chot-kiem-soat/them/", views.CheckpointCreateView.as_view(), name="checkpoint_create"),
]
