"""Pages of the registry: agreements, clusters and what hangs off a cluster.

Every lookup goes through ``selectors`` (which start from ``visible_to``), so a record of another
jurisdiction answers 404 exactly like a missing one. Pages that change something check the role
only after the lookup: out of scope is 404 before it is 403. Each form's ``form_valid`` calls one
service and maps its ``ValidationError`` back onto the form.
"""

from __future__ import annotations

import copy
import os

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView, View

from borderzone.forms import VERSION_FIELD, add_version_field, loaded_version, search_text
from borderzone.views import GuardedDetailView, GuardedMixin, ServiceFormsetView, ServiceFormView

from . import permissions, selectors, services
from .forms import (
    AgreementForm,
    BoardMemberForm,
    ClusterForm,
    ClusterMemberForm,
    ClusterMemberUpdateForm,
    MobileTeamForm,
    MobileTeamMemberForm,
    party_formset,
)
from .history import history_for
from .models import AgreementStatus, Cluster, Era, MobileTeam
from .querysets import officer_of

# Confirmations ----------------------------------------------------------------------------------


class ConfirmDeleteView(GuardedMixin, TemplateView):
    """GET shows a confirmation page; only POST deletes (through one service)."""

    permission = permissions.can_manage_registry
    template_name = "agreements/confirm_delete.html"
    object_label = ""
    success_message = ""

    def delete_object(self) -> None:
        """Subclasses call their delete service (which checks the rights again)."""
        raise NotImplementedError

    def get_object_description(self) -> str:
        return str(self.object)

    def get_cancel_url(self) -> str:
        """Subclasses give the page to go back to when the user cancels."""
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object=self.object,
            object_label=self.object_label,
            object_description=self.get_object_description(),
            cancel_url=self.get_cancel_url(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        success_url = self.get_cancel_url()
        self.delete_object()
        messages.success(request, self.success_message)
        return HttpResponseRedirect(success_url)


class RegistryFormView(ServiceFormView):
    """A registry form: staff officers and administrators only."""

    permission = permissions.can_manage_registry

    def form_extra_kwargs(self) -> dict:
        return {"user": self.request.user}


# Agreements -------------------------------------------------------------------------------------


class AgreementListView(GuardedMixin, ListView):
    template_name = "agreements/agreement_list.html"
    context_object_name = "agreements"
    paginate_by = 25

    def get_queryset(self):
        self.q, self.q_error = search_text(self.request.GET.get("q", ""))
        status = self.request.GET.get("status", "")
        self.status = status if status in AgreementStatus.values else ""
        # Aggregating querysets drop Meta.ordering, and pagination needs a stable order.
        return selectors.agreement_list(user=self.request.user, q=self.q, status=self.status).order_by(
            "-signed_on", "-pk"
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            q=self.q,
            q_error=self.q_error,
            status=self.status,
            statuses=AgreementStatus.choices,
            can_manage=permissions.can_manage_registry(self.request.user),
            **kwargs,
        )


class AgreementDetailView(GuardedDetailView):
    template_name = "agreements/agreement_detail.html"
    context_object_name = "agreement"

    def get_object(self, queryset=None):
        return selectors.agreement_detail(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        agreement = self.object
        chapters = list(agreement.chapters.all())
        return super().get_context_data(
            chain=selectors.agreement_supersedes_chain(user=self.request.user, agreement=agreement),
            parties=list(agreement.parties.all()),
            chapters=chapters,
            has_article_text=any(a.text for c in chapters for a in c.articles.all()),
            clusters=list(agreement.clusters.all()),
            self_management_count=selectors.self_management_models(agreement=agreement).count(),
            history=history_for(user=self.request.user, objects=[agreement]),
            can_manage=permissions.can_manage_registry(self.request.user),
            **kwargs,
        )


class AgreementDocumentView(GuardedMixin, View):
    """The signed document, only through the choke point; MEDIA is never served directly."""

    def load_objects(self):
        self.object = selectors.agreement_get(user=self.request.user, pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        agreement = self.object
        if not agreement.document:
            raise Http404(gettext("Quy chế này chưa có văn bản đã ký."))
        try:
            handle = agreement.document.open("rb")
        except FileNotFoundError as exc:
            raise Http404(gettext("Không tìm thấy tệp văn bản.")) from exc
        filename = os.path.basename(agreement.document.name)
        # Images and PDFs open in the browser; the explicit name keeps the original on save.
        return FileResponse(handle, as_attachment=request.GET.get("tai") == "1", filename=filename)


class AgreementFormMixin(ServiceFormsetView):
    """Agreement fields plus the rows of its parties; one service call saves both."""

    permission = permissions.can_manage_registry
    template_name = "agreements/agreement_form.html"
    agreement = None

    def get_forms(self, data=None, files=None, refresh=None):
        # A copy: ModelForm validation writes the input onto its instance, the service gets the stored one.
        instance = copy.copy(self.agreement) if self.agreement is not None else None
        form = AgreementForm(data, files, user=self.request.user, instance=instance)
        if self.agreement is not None:
            formset = party_formset(data, user=self.request.user, agreement=self.agreement)
        else:
            officer = officer_of(self.request.user)
            formset = party_formset(data, user=self.request.user, initial_unit=officer.unit if officer else None)
        return form, formset

    def get_context_data(self, **kwargs):
        return super().get_context_data(agreement=self.agreement, **kwargs)


class AgreementCreateView(AgreementFormMixin):
    def call_service(self, form, formset):
        return services.agreement_create(
            actor=self.request.user,
            data=form.agreement_data(),
            parties=formset.parties(),
            document=form.document_change() or None,
        )

    def get_success_message(self, agreement):
        return gettext("Đã thêm quy chế “%(title)s”.") % {"title": agreement.title}


class AgreementUpdateView(AgreementFormMixin):
    def load_objects(self):
        self.agreement = selectors.agreement_detail(user=self.request.user, pk=self.kwargs["pk"])

    def get_forms(self, data=None, files=None, refresh=None):
        form, formset = super().get_forms(data, files, refresh)
        add_version_field(form, self.agreement)
        return form, formset

    def call_service(self, form, formset):
        return services.agreement_update(
            actor=self.request.user,
            agreement=self.agreement,
            data=form.agreement_data(),
            parties=formset.parties(),
            document=form.document_change(),
            expected_version=loaded_version(form),
        )

    def get_success_message(self, agreement):
        return gettext("Đã lưu thay đổi của quy chế “%(title)s”.") % {"title": agreement.title}


# Clusters ---------------------------------------------------------------------------------------


class ClusterListView(GuardedMixin, ListView):
    template_name = "agreements/cluster_list.html"
    context_object_name = "clusters"
    paginate_by = 25

    def get_queryset(self):
        self.q, self.q_error = search_text(self.request.GET.get("q", ""))
        self.agreement = None
        agreement_pk = self.request.GET.get("quy_che", "")
        if agreement_pk.isdecimal():
            self.agreement = selectors.agreement_get(user=self.request.user, pk=int(agreement_pk))
        return selectors.cluster_list(user=self.request.user, agreement=self.agreement, q=self.q).order_by("name", "pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(q=self.q, q_error=self.q_error, agreement=self.agreement, **kwargs)


def _team_of(cluster):
    try:
        return cluster.mobile_team
    except MobileTeam.DoesNotExist:
        return None


class ClusterDetailView(GuardedDetailView):
    template_name = "agreements/cluster_detail.html"
    context_object_name = "cluster"

    def get_object(self, queryset=None):
        return selectors.cluster_detail(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        cluster = self.object
        today = timezone.localdate()
        members = list(cluster.members.all())
        for member in members:
            member.active = member.is_active_on(today)
            member.is_legacy = member.commune.era == Era.LEGACY
            member.now_part_of = list(member.commune.successors.all())
        team = _team_of(cluster)
        team_groups = []
        if team is not None:
            for member in team.members.all():
                if not team_groups or team_groups[-1]["commune"].pk != member.commune_id:
                    team_groups.append({"commune": member.commune, "members": []})
                team_groups[-1]["members"].append(member)
        return super().get_context_data(
            members=members,
            active_member_count=sum(1 for m in members if m.active),
            board_members=list(cluster.board_members.all()),
            team=team,
            team_groups=team_groups,
            team_size=sum(len(g["members"]) for g in team_groups),
            self_management=list(selectors.self_management_models(cluster=cluster)),
            history=history_for(user=self.request.user, objects=[cluster]),
            can_manage=permissions.can_manage_registry(self.request.user),
            **kwargs,
        )


class ClusterCreateView(RegistryFormView):
    template_name = "agreements/cluster_form.html"
    form_class = ClusterForm

    def load_objects(self):
        self.agreement = selectors.agreement_get(user=self.request.user, pk=self.kwargs["agreement_pk"])

    def form_extra_kwargs(self):
        return {"user": self.request.user, "instance": Cluster(agreement=self.agreement)}

    def call_service(self, form):
        return services.cluster_create(actor=self.request.user, agreement=self.agreement, **form.service_values())

    def get_success_message(self, cluster):
        return gettext("Đã thêm cụm “%(name)s”.") % {"name": cluster.name}

    def get_context_data(self, **kwargs):
        return super().get_context_data(agreement=self.agreement, cluster=None, **kwargs)


class ClusterUpdateView(RegistryFormView):
    template_name = "agreements/cluster_form.html"
    form_class = ClusterForm
    success_message = _("Đã lưu thay đổi của cụm.")

    def load_objects(self):
        self.cluster = selectors.cluster_get(user=self.request.user, pk=self.kwargs["pk"])

    def form_extra_kwargs(self):
        # ModelForm validation writes the input onto its instance: give it a copy, so the service
        # compares the input with the cluster as stored (e.g. a move to another agreement).
        return {"user": self.request.user, "instance": copy.copy(self.cluster)}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        add_version_field(form, self.cluster)
        return form

    def call_service(self, form):
        values = form.service_values()
        values.pop(VERSION_FIELD, None)
        return services.cluster_update(
            actor=self.request.user, cluster=self.cluster, expected_version=loaded_version(form), **values
        )

    def get_success_url(self):
        return self.cluster.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(agreement=self.cluster.agreement, cluster=self.cluster, **kwargs)


class ClusterChildFormView(RegistryFormView):
    """A form that adds or changes something under a cluster named by ``pk``."""

    template_name = "agreements/cluster_child_form.html"
    title = ""

    def load_objects(self):
        self.cluster = selectors.cluster_get(user=self.request.user, pk=self.kwargs["pk"])

    def form_extra_kwargs(self) -> dict:
        return {"cluster": self.cluster}

    def get_success_url(self):
        return self.cluster.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(cluster=self.cluster, title=self.title, **kwargs)


class ClusterMemberAddView(ClusterChildFormView):
    form_class = ClusterMemberForm
    title = _("Thêm xã thành viên")
    success_message = _("Đã thêm xã thành viên.")

    def get_initial(self):
        return {"valid_from": timezone.localdate()}

    def call_service(self, form):
        data = form.cleaned_data
        return services.cluster_member_add(
            actor=self.request.user,
            cluster=self.cluster,
            commune=data["commune"],
            responsible_party=data["responsible_party"],
            valid_from=data["valid_from"],
            valid_to=data.get("valid_to"),
        )


class ClusterMemberUpdateView(ClusterChildFormView):
    form_class = ClusterMemberUpdateForm
    success_message = _("Đã lưu thay đổi của xã thành viên.")

    def load_objects(self):
        self.member = selectors.cluster_member_get(user=self.request.user, pk=self.kwargs["pk"])
        self.cluster = self.member.cluster

    @property
    def title(self):
        return gettext("Sửa xã thành viên: %(commune)s") % {"commune": self.member.commune.name}

    def form_extra_kwargs(self):
        return {"cluster": self.cluster, "instance": copy.copy(self.member)}

    def call_service(self, form):
        data = form.cleaned_data
        return services.cluster_member_update(
            actor=self.request.user,
            member=self.member,
            responsible_party=data["responsible_party"],
            valid_from=data["valid_from"],
            valid_to=data.get("valid_to"),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(member=self.member, **kwargs)


class ClusterMemberDeleteView(ConfirmDeleteView):
    object_label = _("xã thành viên")
    success_message = _("Đã xóa xã thành viên khỏi cụm.")

    def load_objects(self):
        self.object = selectors.cluster_member_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_object_description(self):
        member = self.object
        return f"{member.commune.name} – {member.cluster.name}"

    def get_cancel_url(self):
        return self.object.cluster.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            hint=_(
                "Nếu xã chỉ thôi tham gia cụm, hãy sửa “Tham gia đến” thay vì xóa: việc xóa dành cho dòng nhập nhầm."
            ),
            **kwargs,
        )

    def delete_object(self):
        services.cluster_member_remove(actor=self.request.user, member=self.object)


class BoardMemberAddView(ClusterChildFormView):
    form_class = BoardMemberForm
    title = _("Thêm thành viên ban chỉ đạo")
    success_message = _("Đã thêm thành viên ban chỉ đạo.")

    def call_service(self, form):
        data = form.cleaned_data
        return services.board_member_add(
            actor=self.request.user,
            cluster=self.cluster,
            full_name=data["full_name"],
            unit=data["unit"],
            board_role=data["board_role"],
            rank=data.get("rank") or "",
            position=data.get("position") or "",
            duties=data.get("duties") or "",
        )


class BoardMemberDeleteView(ConfirmDeleteView):
    object_label = _("thành viên ban chỉ đạo")
    success_message = _("Đã xóa thành viên ban chỉ đạo.")

    def load_objects(self):
        self.object = selectors.board_member_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_cancel_url(self):
        return self.object.cluster.get_absolute_url()

    def delete_object(self):
        services.board_member_remove(actor=self.request.user, member=self.object)


class MobileTeamUpdateView(ClusterChildFormView):
    form_class = MobileTeamForm
    success_message = _("Đã lưu thông tin đội công an cơ động.")

    def load_objects(self):
        super().load_objects()
        self.team = selectors.mobile_team_of(cluster=self.cluster)

    @property
    def title(self):
        if self.team is None:
            return gettext("Thành lập đội công an cơ động")
        return gettext("Sửa thông tin đội công an cơ động")

    def form_extra_kwargs(self):
        return {"instance": copy.copy(self.team) if self.team else MobileTeam(cluster=self.cluster)}

    def get_initial(self):
        if self.team is None:
            return {"name": gettext("Đội công an cơ động cụm %(name)s") % {"name": self.cluster.name}}
        return {}

    def call_service(self, form):
        data = form.cleaned_data
        return services.mobile_team_set(
            actor=self.request.user,
            cluster=self.cluster,
            name=data["name"],
            established_on=data.get("established_on"),
            duties=data.get("duties") or "",
        )


class MobileTeamMemberAddView(ClusterChildFormView):
    form_class = MobileTeamMemberForm
    title = _("Thêm thành viên đội công an cơ động")
    success_message = _("Đã thêm thành viên đội công an cơ động.")

    def load_objects(self):
        super().load_objects()
        self.team = selectors.mobile_team_of(cluster=self.cluster)

    def get(self, request, *args, **kwargs):
        if self.team is None:
            return self._team_first()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.team is None:
            return self._team_first()
        return super().post(request, *args, **kwargs)

    def _team_first(self):
        messages.info(self.request, gettext("Cụm chưa có đội công an cơ động; hãy thành lập đội trước."))
        return redirect("agreements:mobile_team_update", pk=self.cluster.pk)

    def form_extra_kwargs(self):
        return {"team": self.team}

    def call_service(self, form):
        data = form.cleaned_data
        return services.mobile_team_member_add(
            actor=self.request.user,
            team=self.team,
            full_name=data["full_name"],
            unit=data["unit"],
            commune=data["commune"],
            rank=data.get("rank") or "",
        )


class MobileTeamMemberDeleteView(ConfirmDeleteView):
    object_label = _("thành viên đội công an cơ động")
    success_message = _("Đã xóa thành viên đội công an cơ động.")

    def load_objects(self):
        self.object = selectors.mobile_team_member_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_object_description(self):
        return f"{self.object.full_name} – {self.object.commune.name}"

    def get_cancel_url(self):
        return self.object.team.cluster.get_absolute_url()

    def delete_object(self):
        services.mobile_team_member_remove(actor=self.request.user, member=self.object)
