"""Get-or-create by natural key, one method per kind of registry object, all through :mod:`agreements.services`.

Shared by the seeds (:mod:`demo.registry_seeds`) and the loader (:mod:`demo.registry_loader`); ``units``
maps the loader's keys ("ca_dienban") to the units created or found so far.
"""

from __future__ import annotations

import datetime
import functools
from collections import Counter
from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from agreements import services
from agreements.models import (
    AdministrativeUnit,
    AdminLevel,
    Agreement,
    AgreementParty,
    BoardMember,
    Cluster,
    ClusterMember,
    CoordinationArea,
    Era,
    Force,
    LegalBasis,
    MobileTeam,
    MobileTeamMember,
    Role,
    SelfManagementModel,
    Unit,
    UnitLevel,
)
from demo.registry import DEMO_PASSWORD, LEGACY_LAST_DAY, DemoAccount, DemoDataError


def _local_name(area: AdministrativeUnit) -> str:
    """"Xã Phú Long" → "xã Phú Long", as it reads inside a unit's name."""
    prefix = area.division_type
    if area.name.lower().startswith(prefix.lower() + " "):
        return f"{prefix} {area.name[len(prefix) + 1:]}"
    return area.name


class RegistryBuilder:
    def __init__(self) -> None:
        self.created: Counter[str] = Counter()
        self.units: dict[str, Unit] = {}

    # Geography -------------------------------------------------------------------------------

    def _admin(self, level: str, name: str, parent: AdministrativeUnit | None = None) -> AdministrativeUnit:
        qs = AdministrativeUnit.objects.filter(era=Era.LEGACY, level=level, name=name)
        if parent is not None:
            qs = qs.filter(parent=parent)
        found = qs.select_related("parent").first()
        if found is None:
            where = f" thuộc {parent.name}" if parent is not None else ""
            raise DemoDataError(
                f"Không tìm thấy đơn vị hành chính «{name}»{where} (trước 01/7/2025). "
                "Hãy chạy «manage.py import_geography» trước."
            )
        return found

    def province(self, name: str) -> AdministrativeUnit:
        return self._admin(AdminLevel.PROVINCE, name)

    def district(self, province: AdministrativeUnit, name: str) -> AdministrativeUnit:
        return self._admin(AdminLevel.DISTRICT, name, province)

    def commune(self, district: AdministrativeUnit, name: str) -> AdministrativeUnit:
        return self._admin(AdminLevel.COMMUNE, name, district)

    # Units and officers --------------------------------------------------------------------

    def unit(
        self,
        key: str,
        *,
        name: str,
        force: str,
        level: str,
        area: AdministrativeUnit,
        parent: str | None = None,
        short_name: str = "",
        valid_from: datetime.date | None = None,
        valid_to: datetime.date | None = None,
        successor: str | None = None,
    ) -> Unit:
        values = {
            "force": force,
            "level": level,
            "parent": self.units[parent] if parent else None,
            "short_name": short_name,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "successor": self.units[successor] if successor else None,
        }
        unit = Unit.objects.filter(name=name, area=area).first()
        if unit is None:
            unit = services.unit_create(actor=None, name=name, area=area, **values)
            self.created["units"] += 1
        self.units[key] = unit
        return unit

    def commune_police(
        self, key: str, commune: AdministrativeUnit, parent: str, *, name: str = "", short_name: str = ""
    ) -> Unit:
        return self.unit(
            key,
            name=name or f"Công an {_local_name(commune)}",
            short_name=short_name,
            force=Force.POLICE,
            level=UnitLevel.COMMUNE,
            area=commune,
            parent=parent,
            valid_to=LEGACY_LAST_DAY,
        )

    def officer(self, account: DemoAccount) -> None:
        if not get_user_model().objects.filter(username__iexact=account.username).exists():
            officer = services.officer_create(
                actor=None,
                username=account.username,
                password_hash=_demo_password_hash(),
                full_name=account.full_name,
                unit=self.units[account.unit],
                role=account.role,
                rank=account.rank,
                position=account.position,
            )
            self.created["officers"] += 1
            if account.role == Role.ADMINISTRATOR:
                # The demo administrator also gets the Django superuser flag (user rows are not audited).
                officer.user.is_superuser = True
                officer.user.save(update_fields=["is_superuser"])

    # Agreements ------------------------------------------------------------------------------

    def legal_basis(self, *, number: str, issued_on: datetime.date | None, title: str) -> LegalBasis:
        exists = LegalBasis.objects.filter(number=number, issued_on=issued_on).exists()
        basis = services.legal_basis_get_or_create(actor=None, number=number, issued_on=issued_on, title=title)
        self.created["legal_bases"] += not exists
        return basis

    @staticmethod
    def areas(*codes: str) -> list[CoordinationArea]:
        found = {a.code: a for a in CoordinationArea.objects.filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise DemoDataError(f"Thiếu nội dung phối hợp {', '.join(missing)} (migration agreements 0002).")
        return [found[c] for c in codes]

    def party(self, unit: str, name: str = "", position: str = "") -> services.PartyData:
        return services.PartyData(unit=self.units[unit], signatory_name=name, signatory_position=position)

    def agreement(self, data: services.AgreementData, parties: Sequence[services.PartyData]) -> Agreement:
        existing = Agreement.objects.filter(number=data.number).first()
        if existing is not None:
            return existing
        self.created["agreements"] += 1
        return services.agreement_create(actor=None, data=data, parties=parties)

    def structure(self, agreement: Agreement, chapters: Sequence[tuple[int, str, Sequence[tuple[int, str, str]]]]):
        if not agreement.chapters.exists():
            services.agreement_set_structure(actor=None, agreement=agreement, chapters=chapters)
            self.created["structures"] += 1

    @staticmethod
    def party_of(agreement: Agreement, unit: Unit) -> AgreementParty:
        return AgreementParty.objects.select_related("unit__area").get(agreement=agreement, unit=unit)

    # Clusters ----------------------------------------------------------------------------------

    def cluster(
        self, agreement: Agreement, *, name: str, kind: str, established_on: datetime.date, description: str = ""
    ) -> Cluster:
        existing = Cluster.objects.filter(agreement=agreement, name=name).first()
        if existing is not None:
            return existing
        self.created["clusters"] += 1
        return services.cluster_create(
            actor=None, agreement=agreement, name=name, kind=kind, established_on=established_on,
            description=description,
        )

    def member(
        self,
        cluster: Cluster,
        commune: AdministrativeUnit,
        unit: str,
        valid_from: datetime.date,
        valid_to: datetime.date | None,
    ) -> ClusterMember:
        existing = ClusterMember.objects.filter(cluster=cluster, commune=commune, valid_from=valid_from).first()
        if existing is not None:
            return existing
        self.created["cluster_members"] += 1
        party = self.party_of(cluster.agreement, self.units[unit])
        return services.cluster_member_add(
            actor=None, cluster=cluster, commune=commune, responsible_party=party, valid_from=valid_from,
            valid_to=valid_to,
        )

    def board(
        self, cluster: Cluster, *, full_name: str, unit: str, board_role: str, rank: str, position: str, duties: str
    ) -> None:
        if BoardMember.objects.filter(cluster=cluster, full_name=full_name).exists():
            return
        services.board_member_add(
            actor=None, cluster=cluster, full_name=full_name, unit=self.units[unit], board_role=board_role,
            rank=rank, position=position, duties=duties,
        )
        self.created["board_members"] += 1

    def team(self, cluster: Cluster, *, name: str, established_on: datetime.date, duties: str) -> MobileTeam:
        team = MobileTeam.objects.filter(cluster=cluster).first()
        if team is not None:
            return team
        self.created["mobile_teams"] += 1
        return services.mobile_team_set(
            actor=None, cluster=cluster, name=name, established_on=established_on, duties=duties
        )

    def team_member(self, team: MobileTeam, *, full_name: str, rank: str, unit: str, commune: AdministrativeUnit):
        if MobileTeamMember.objects.filter(team=team, full_name=full_name, commune=commune).exists():
            return
        services.mobile_team_member_add(
            actor=None, team=team, full_name=full_name, rank=rank, unit=self.units[unit], commune=commune
        )
        self.created["mobile_team_members"] += 1

    def self_management(
        self,
        agreement: Agreement,
        *,
        kind: str,
        name: str,
        commune: AdministrativeUnit,
        cluster: Cluster | None,
        started_on: datetime.date,
    ) -> None:
        if SelfManagementModel.objects.filter(agreement=agreement, name=name, commune=commune).exists():
            return
        services.self_management_model_create(
            actor=None, agreement=agreement, kind=kind, name=name, commune=commune, cluster=cluster,
            started_on=started_on,
        )
        self.created["self_management_models"] += 1


@functools.cache
def _demo_password_hash() -> str:
    # One hash shared by every demo account: they share the password, and hashing it 32 times
    # (about half a second each) would double the first `make run`.
    return make_password(DEMO_PASSWORD)
