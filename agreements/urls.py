from django.urls import path

from . import urls_geography, views

app_name = "agreements"

urlpatterns = [
    path("quy-che/", views.AgreementListView.as_view(), name="agreement_list"),
    path("quy-che/them/", views.AgreementCreateView.as_view(), name="agreement_create"),
    path("quy-che/<int:pk>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
    path("quy-che/<int:pk>/sua/", views.AgreementUpdateView.as_view(), name="agreement_update"),
    path("quy-che/<int:pk>/van-ban/", views.AgreementDocumentView.as_view(), name="agreement_document"),
    path("quy-che/<int:agreement_pk>/cum/them/", views.ClusterCreateView.as_view(), name="cluster_create"),
    path("cum/", views.ClusterListView.as_view(), name="cluster_list"),
    path("cum/<int:pk>/", views.ClusterDetailView.as_view(), name="cluster_detail"),
    path("cum/<int:pk>/sua/", views.ClusterUpdateView.as_view(), name="cluster_update"),
    path("cum/<int:pk>/xa/them/", views.ClusterMemberAddView.as_view(), name="cluster_member_add"),
    path("cum/xa/<int:pk>/sua/", views.ClusterMemberUpdateView.as_view(), name="cluster_member_update"),
    path("cum/xa/<int:pk>/xoa/", views.ClusterMemberDeleteView.as_view(), name="cluster_member_delete"),
    path("cum/<int:pk>/ban-chi-dao/them/", views.BoardMemberAddView.as_view(), name="board_member_add"),
    path("cum/ban-chi-dao/<int:pk>/xoa/", views.BoardMemberDeleteView.as_view(), name="board_member_delete"),
    path("cum/<int:pk>/doi-co-dong/", views.MobileTeamUpdateView.as_view(), name="mobile_team_update"),
    path("cum/<int:pk>/doi-co-dong/them/", views.MobileTeamMemberAddView.as_view(), name="mobile_team_member_add"),
    path(
        "cum/doi-co-dong/<int:pk>/xoa/",
        views.MobileTeamMemberDeleteView.as_view(),
        name="mobile_team_member_delete",
    ),
]

urlpatterns += urls_geography.urlpatterns
