"""Every write to the registry. Views, admin actions, commands and tasks call these.

Each service runs in one transaction, validates with ``full_clean()`` (so the same Vietnamese
messages reach forms, admin and commands) and records the acting user in the audit context.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from borderzone.services import audit_context, check_version, validate_moment

from .models import (
    ROLE_GROUPS,
    AdministrativeUnit,
    Agreement,
    AgreementArticle,
    AgreementChapter,
    AgreementParty,
    AgreementStatus,
    BoardMember,
    Cluster,
    ClusterMember,
    CoordinationArea,
    LegalBasis,
    MobileTeam,
    MobileTeamMember,
    Officer,
    Role,
    SelfManagementModel,
    Unit,
)
from .permissions import acts_for, can_manage_registry, can_manage_units, works_under
from .querysets import sees_everything, user_unit_ids
from .selectors import agreement_communes_on

User = get_user_model()



def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))


def _validate_dates(instance, *names: str) -> None:
    """The entered dates of ``instance`` follow the one rule for dates (borderzone.services.validate_moment)."""
    for name in names:
        validate_moment(getattr(instance, name), name)


AGREEMENT_DATES = ("signed_on", "effective_from", "effective_to")


def _set_fields(instance, values: dict) -> None:
    for name, value in values.items():
        setattr(instance, name, value)


# Units and officers ---------------------------------------------------------------------------


@transaction.atomic
def unit_create(
    *,
    actor,
    name: str,
    force: str,
    level: str,
    area: AdministrativeUnit,
    parent: Unit | None = None,
    short_name: str = "",
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    successor: Unit | None = None,
) -> Unit:
    """Create an acting unit. The actor must be an administrator (or the system, actor=None)."""
    _require(actor is None or can_manage_units(actor))
    unit = Unit(
        name=name, force=force, level=level, area=area, parent=parent, short_name=short_name,
        valid_from=valid_from, valid_to=valid_to, successor=successor,
    )
    unit.full_clean()
    with audit_context(actor):
        unit.save()
    return unit


@transaction.atomic
def unit_update(*, actor, unit: Unit, **values) -> Unit:
    """Change a unit's fields (names as on the model). The actor must be an administrator."""
    _require(actor is None or can_manage_units(actor))
    _set_fields(unit, values)
    unit.full_clean()
    with audit_context(actor):
        unit.save()
    return unit


@transaction.atomic
def officer_create(
    *,
    actor,
    username: str,
    password: str | None = None,
    password_hash: str | None = None,
    full_name: str,
    unit: Unit,
    role: str = Role.OFFICER,
    rank: str = "",
    position: str = "",
    email: str = "",
) -> Officer:
    """Create a login for an officer of ``unit`` with ``role``; the role's group carries its permissions.

    Give exactly one of ``password`` or ``password_hash`` (an already hashed value, for bulk loads
    where hashing the same password dozens of times would dominate).
    """
    _require(actor is None or can_manage_units(actor))
    if (password is None) == (password_hash is None):
        raise ValueError("give exactly one of password and password_hash")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Tên đăng nhập này đã được dùng.")})
    last, _sep, first = full_name.strip().rpartition(" ")
    user = User(username=username, first_name=first or full_name, last_name=last, email=email)
    if password_hash is not None:
        user.password = password_hash
    else:
        user.set_password(password)
    # Only administrators work in the Django admin; everyone else uses the application's pages.
    user.is_staff = role == Role.ADMINISTRATOR
    user.full_clean()
    officer = Officer(user=user, unit=unit, role=role, rank=rank, position=position)
    officer.full_clean(exclude=["user"])
    with audit_context(actor):
        user.save()
        officer.user = user
        officer.save()
        user.groups.set([Group.objects.get(name=ROLE_GROUPS[role])])
    return officer


@transaction.atomic
def officer_set_role(*, actor, officer: Officer, role: str) -> Officer:
    """Change an officer's role; the auth group follows the role."""
    _require(actor is None or can_manage_units(actor))
    officer.role = role
    officer.full_clean()
    with audit_context(actor):
        officer.save()
        officer.user.is_staff = role == Role.ADMINISTRATOR
        officer.user.save(update_fields=["is_staff"])
        officer.user.groups.set([Group.objects.get(name=ROLE_GROUPS[role])])
    return officer


# Agreements -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyData:
    unit: Unit
    signatory_name: str = ""
    signatory_position: str = ""


@dataclass
class AgreementData:
    title: str
    number: str = ""
    signed_on: datetime.date | None = None
    signed_at: str = ""
    effective_from: datetime.date | None = None
    effective_to: datetime.date | None = None
    chapter_count: int | None = None
    article_count: int | None = None
    status: str = AgreementStatus.IN_FORCE
    supersedes: Agreement | None = None
    summary: str = ""
    legal_bases: Sequence[LegalBasis] = field(default_factory=list)
    coordination_areas: Sequence[CoordinationArea] = field(default_factory=list)


def _validate_parties(parties: Sequence[PartyData]) -> None:
    if len(parties) < 2:
        raise ValidationError({"parties": _("Quy chế phối hợp phải có ít nhất hai bên tham gia.")})
    seen: set[int] = set()
    for party in parties:
        if party.unit.pk in seen:
            raise ValidationError({"parties": _("Đơn vị %(unit)s được khai báo hai lần.") % {"unit": party.unit}})
        seen.add(party.unit.pk)


def _actor_stays_party(actor, parties: Iterable[PartyData]) -> None:
    # A staff officer must remain able to see what they save; otherwise the record vanishes for them.
    if actor is None or sees_everything(actor):
        return
    own = set(user_unit_ids(actor))
    if not any(p.unit.pk in own for p in parties):
        raise ValidationError({"parties": _("Đơn vị của bạn (hoặc đơn vị cấp trên) phải là một bên của quy chế.")})


def _write_parties(agreement: Agreement, parties: Sequence[PartyData]) -> None:
    existing = {p.unit_id: p for p in agreement.parties.all()}
    wanted = {p.unit.pk for p in parties}
    for unit_id, party in existing.items():
        if unit_id not in wanted:
            if party.cluster_members.exists():
                raise ValidationError(
                    {"parties": _("Không thể bỏ %(unit)s: đơn vị này đang phụ trách xã thành viên của cụm.")
                     % {"unit": party.unit}}
                )
            party.delete()
    for order, data in enumerate(parties, start=1):
        party = existing.get(data.unit.pk) or AgreementParty(agreement=agreement, unit=data.unit)
        party.signatory_name = data.signatory_name
        party.signatory_position = data.signatory_position
        party.order = order
        party.full_clean()
        party.save()


def _apply_supersession(agreement: Agreement) -> None:
    previous = agreement.supersedes
    if (
        previous is not None
        and agreement.status == AgreementStatus.IN_FORCE
        and previous.status != AgreementStatus.SUPERSEDED
    ):
        previous.status = AgreementStatus.SUPERSEDED
        previous.save(update_fields=["status", "updated_at"])


@transaction.atomic
def agreement_create(
    *, actor, data: AgreementData, parties: Sequence[PartyData], document: UploadedFile | None = None
) -> Agreement:
    """Create an agreement with its parties.

    Must hold: the actor is staff or an administrator; at least two distinct parties; the actor's
    unit (or a unit above it) among them unless the actor sees everything. An agreement that
    supersedes another and is in force marks the older one superseded.
    """
    _require(actor is None or can_manage_registry(actor))
    _validate_parties(parties)
    _actor_stays_party(actor, parties)
    values = {k: v for k, v in data.__dict__.items() if k not in ("legal_bases", "coordination_areas")}
    agreement = Agreement(**values)
    _validate_dates(agreement, *AGREEMENT_DATES)
    agreement.full_clean(exclude=["document"])
    if agreement.supersedes_id:
        _require_visible(actor, agreement.supersedes)
    with audit_context(actor):
        agreement.save()
        if document is not None:
            agreement.document = document
            agreement.full_clean()
            agreement.save(update_fields=["document"])
        agreement.legal_bases.set(data.legal_bases)
        agreement.coordination_areas.set(data.coordination_areas)
        _write_parties(agreement, parties)
        _apply_supersession(agreement)
    return agreement


def _require_visible(actor, agreement: Agreement) -> None:
    if actor is not None and not Agreement.objects.visible_to(actor).filter(pk=agreement.pk).exists():
        raise ValidationError({"supersedes": _("Không tìm thấy quy chế được thay thế.")})


@transaction.atomic
def agreement_update(
    *,
    actor,
    agreement: Agreement,
    data: AgreementData,
    parties: Sequence[PartyData] | None = None,
    document: UploadedFile | None | bool = None,
    expected_version: int | None = None,
) -> Agreement:
    """Change an agreement. ``document=False`` removes the file, ``None`` keeps it.

    Must hold: the agreement is visible to the actor and the actor may manage the registry; it
    has not changed since ``expected_version``, the version the edit was loaded from (None: no check).
    """
    _require(actor is None or can_manage_registry(actor))
    if actor is not None and not Agreement.objects.visible_to(actor).filter(pk=agreement.pk).exists():
        raise PermissionDenied
    agreement.version = check_version(agreement, expected_version) + 1
    if parties is not None:
        _validate_parties(parties)
        _actor_stays_party(actor, parties)
    values = {k: v for k, v in data.__dict__.items() if k not in ("legal_bases", "coordination_areas")}
    _set_fields(agreement, values)
    if document is False:
        agreement.document = ""
    elif document is not None:
        agreement.document = document
    _validate_dates(agreement, *AGREEMENT_DATES)
    agreement.full_clean()
    if agreement.supersedes_id:
        _require_visible(actor, agreement.supersedes)
    with audit_context(actor):
        agreement.save()
        agreement.legal_bases.set(data.legal_bases)
        agreement.coordination_areas.set(data.coordination_areas)
        if parties is not None:
            _write_parties(agreement, parties)
        _apply_supersession(agreement)
    return agreement


@transaction.atomic
def legal_basis_get_or_create(*, actor, number: str, issued_on: datetime.date | None, title: str) -> LegalBasis:
    basis = LegalBasis.objects.filter(number=number, issued_on=issued_on).first()
    if basis is not None:
        return basis
    basis = LegalBasis(number=number, issued_on=issued_on, title=title)
    basis.full_clean()
    with audit_context(actor):
        basis.save()
    return basis


@transaction.atomic
def agreement_set_structure(
    *, actor, agreement: Agreement, chapters: Sequence[tuple[int, str, Sequence[tuple[int, str, str]]]]
) -> Agreement:
    """Replace the chapters and articles: ``[(chapter_no, title, [(article_no, title, text), ...]), ...]``.

    The chapter and article counts follow the structure so they cannot disagree with it.
    """
    _require(actor is None or can_manage_registry(actor))
    numbers = [c[0] for c in chapters]
    if len(numbers) != len(set(numbers)):
        raise ValidationError({"chapters": _("Số chương bị trùng.")})
    with audit_context(actor):
        agreement.chapters.all().delete()
        articles = 0
        for number, title, items in chapters:
            chapter = AgreementChapter(agreement=agreement, number=number, title=title)
            chapter.full_clean()
            chapter.save()
            for a_number, a_title, a_text in items:
                article = AgreementArticle(chapter=chapter, number=a_number, title=a_title, text=a_text)
                article.full_clean()
                article.save()
                articles += 1
        agreement.chapter_count = len(chapters)
        agreement.article_count = articles
        agreement.save(update_fields=["chapter_count", "article_count", "updated_at"])
    return agreement


# Clusters ---------------------------------------------------------------------------------------


def _require_cluster_rights(actor, agreement: Agreement) -> None:
    _require(actor is None or can_manage_registry(actor))
    if actor is not None and not Agreement.objects.visible_to(actor).filter(pk=agreement.pk).exists():
        raise PermissionDenied


@transaction.atomic
def cluster_create(
    *,
    actor,
    agreement: Agreement,
    name: str,
    kind: str,
    established_on: datetime.date | None = None,
    description: str = "",
) -> Cluster:
    """Create a cluster under an agreement the actor may see and manage."""
    _require_cluster_rights(actor, agreement)
    cluster = Cluster(
        agreement=agreement, name=name, kind=kind, established_on=established_on, description=description
    )
    _validate_dates(cluster, "established_on")
    cluster.full_clean()
    with audit_context(actor):
        cluster.save()
    return cluster


@transaction.atomic
def cluster_update(*, actor, cluster: Cluster, expected_version: int | None = None, **values) -> Cluster:
    """Change a cluster's own fields; moving it to another agreement requires rights on both.

    Refused when the cluster has changed since ``expected_version`` (None: no check).
    """
    _require_cluster_rights(actor, cluster.agreement)
    cluster.version = check_version(cluster, expected_version) + 1
    if "agreement" in values and values["agreement"].pk != cluster.agreement_id:
        _require_cluster_rights(actor, values["agreement"])
        if cluster.members.exists():
            raise ValidationError(
                {"agreement": _("Không thể chuyển cụm sang quy chế khác khi cụm đã có xã thành viên.")}
            )
    _set_fields(cluster, values)
    _validate_dates(cluster, "established_on")
    cluster.full_clean()
    with audit_context(actor):
        cluster.save()
    return cluster


@transaction.atomic
def cluster_member_add(
    *,
    actor,
    cluster: Cluster,
    commune: AdministrativeUnit,
    responsible_party: AgreementParty,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
) -> ClusterMember:
    """Add a commune to a cluster.

    Must hold: the commune lies within the responsible party's area, the party belongs to the
    cluster's agreement, and the commune is not already a member for an overlapping period.
    """
    _require_cluster_rights(actor, cluster.agreement)
    member = ClusterMember(
        cluster=cluster, commune=commune, responsible_party=responsible_party, valid_from=valid_from,
        valid_to=valid_to,
    )
    _validate_dates(member, "valid_from", "valid_to")
    member.full_clean()
    with audit_context(actor):
        member.save()
    return member


@transaction.atomic
def cluster_member_update(*, actor, member: ClusterMember, **values) -> ClusterMember:
    """Change a membership (typically to close it with ``valid_to``); same rules as adding."""
    _require_cluster_rights(actor, member.cluster.agreement)
    _set_fields(member, values)
    _validate_dates(member, "valid_from", "valid_to")
    member.full_clean()
    with audit_context(actor):
        member.save()
    return member


@transaction.atomic
def cluster_member_remove(*, actor, member: ClusterMember) -> None:
    """Delete a membership entered by mistake (to end a real membership, set ``valid_to``)."""
    _require_cluster_rights(actor, member.cluster.agreement)
    with audit_context(actor):
        member.delete()


@transaction.atomic
def board_member_add(
    *,
    actor,
    cluster: Cluster,
    full_name: str,
    unit: Unit,
    board_role: str,
    rank: str = "",
    position: str = "",
    duties: str = "",
) -> BoardMember:
    """Seat someone on the cluster's steering board."""
    _require_cluster_rights(actor, cluster.agreement)
    order = cluster.board_members.count() + 1
    member = BoardMember(
        cluster=cluster, full_name=full_name, unit=unit, board_role=board_role, rank=rank, position=position,
        duties=duties, order=order,
    )
    member.full_clean()
    with audit_context(actor):
        member.save()
    return member


@transaction.atomic
def board_member_remove(*, actor, member: BoardMember) -> None:
    _require_cluster_rights(actor, member.cluster.agreement)
    with audit_context(actor):
        member.delete()


@transaction.atomic
def mobile_team_set(
    *, actor, cluster: Cluster, name: str, established_on: datetime.date | None = None, duties: str = ""
) -> MobileTeam:
    """Create or rename the cluster's mobile team (a cluster has at most one)."""
    _require_cluster_rights(actor, cluster.agreement)
    team = MobileTeam.objects.filter(cluster=cluster).first() or MobileTeam(cluster=cluster)
    team.name, team.established_on, team.duties = name, established_on, duties
    _validate_dates(team, "established_on")
    team.full_clean()
    with audit_context(actor):
        team.save()
    return team


@transaction.atomic
def mobile_team_member_add(
    *, actor, team: MobileTeam, full_name: str, unit: Unit, commune: AdministrativeUnit, rank: str = ""
) -> MobileTeamMember:
    """Add a member; the commune must be a member of the team's cluster."""
    _require_cluster_rights(actor, team.cluster.agreement)
    member = MobileTeamMember(team=team, full_name=full_name, unit=unit, commune=commune, rank=rank)
    member.full_clean()
    with audit_context(actor):
        member.save()
    return member


@transaction.atomic
def mobile_team_member_remove(*, actor, member: MobileTeamMember) -> None:
    _require_cluster_rights(actor, member.team.cluster.agreement)
    with audit_context(actor):
        member.delete()


@transaction.atomic
def self_management_model_create(
    *,
    actor,
    agreement: Agreement,
    kind: str,
    name: str,
    commune: AdministrativeUnit,
    cluster: Cluster | None = None,
    started_on: datetime.date | None = None,
    status: str = "active",
) -> SelfManagementModel:
    """Record a community self-management model under an agreement the actor may manage."""
    _require_cluster_rights(actor, agreement)
    model = SelfManagementModel(
        agreement=agreement, cluster=cluster, kind=kind, name=name, commune=commune, started_on=started_on,
        status=status,
    )
    model.full_clean()
    with audit_context(actor):
        model.save()
    return model


# Field records (patrols, tips, incidents): who writes them, and where they may have happened. --


def require_record_rights(actor, *, agreement: Agreement, unit: Unit | None = None) -> None:
    """The actor works under ``agreement`` and, unless he sees everything, acts for ``unit``.

    An officer records and edits only for his own unit (or a unit above it that he belongs to).
    """
    if actor is None:
        return
    if not works_under(actor, agreement.pk):
        raise PermissionDenied
    if unit is not None and not acts_for(actor, unit.pk):
        raise PermissionDenied(_("Bạn chỉ được ghi nhận, sửa hồ sơ do đơn vị mình chủ trì."))


def validate_place(
    *, agreement: Agreement, cluster: Cluster | None, communes: Sequence[AdministrativeUnit], day: datetime.date,
    field: str = "communes",
) -> None:
    """Communes must belong to the cluster on that day, or to a party's area when no cluster is named."""
    if cluster is not None and cluster.agreement_id != agreement.pk:
        raise ValidationError({"cluster": _("Cụm phải thuộc quy chế phối hợp đã chọn.")})
    allowed = set(
        agreement_communes_on(agreement=agreement, cluster=cluster, day=day)
        .filter(pk__in=[c.pk for c in communes])
        .values_list("pk", flat=True)
    )
    outside = [c for c in communes if c.pk not in allowed]
    if outside:
        names = ", ".join(c.name for c in outside)
        if cluster is not None:
            msg = _("%(names)s không thuộc cụm vào ngày %(day)s.") % {"names": names, "day": f"{day:%d/%m/%Y}"}
        else:
            msg = _("%(names)s nằm ngoài địa bàn của các bên tham gia quy chế.") % {"names": names}
        raise ValidationError({field: msg})
