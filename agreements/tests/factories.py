"""factory-boy factories for the registry. Geography rows are made directly (the full import is slow)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from agreements.models import (
    ROLE_GROUPS,
    AdministrativeUnit,
    AdminLevel,
    Agreement,
    AgreementParty,
    AgreementStatus,
    BoardMember,
    BoardRole,
    Cluster,
    ClusterKind,
    ClusterMember,
    Era,
    Force,
    MobileTeam,
    MobileTeamMember,
    Officer,
    Role,
    Unit,
    UnitLevel,
)


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit

    era = Era.LEGACY
    level = AdminLevel.PROVINCE
    # Above every real code (communes end near 32.300) and the fixed codes tests give (95000–96999),
    # however many units a whole run creates.
    code = factory.Sequence(lambda n: 1_000_000 + n)
    name = factory.Sequence(lambda n: f"Tỉnh Thử Nghiệm {n}")
    division_type = "tỉnh"
    codename = factory.Sequence(lambda n: f"tinh_thu_nghiem_{n}")


class DistrictFactory(ProvinceFactory):
    level = AdminLevel.DISTRICT
    name = factory.Sequence(lambda n: f"Huyện Thử Nghiệm {n}")
    division_type = "huyện"
    parent = factory.SubFactory(ProvinceFactory)


class CommuneFactory(ProvinceFactory):
    level = AdminLevel.COMMUNE
    name = factory.Sequence(lambda n: f"Xã Thử Nghiệm {n}")
    division_type = "xã"
    parent = factory.SubFactory(DistrictFactory)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Công an huyện Thử Nghiệm {n}")
    force = Force.POLICE
    level = UnitLevel.DISTRICT
    area = factory.SubFactory(DistrictFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"canbo{n}")
    first_name = "Văn"
    last_name = "Nguyễn"
    password = factory.django.Password("matkhau-thu-nghiem")


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Role.OFFICER
    rank = "Đại úy"
    position = "Cán bộ"

    @factory.post_generation
    def group(self, create, extracted, **kwargs):
        if create:
            self.user.groups.add(Group.objects.get(name=ROLE_GROUPS[self.role]))
            if self.role == Role.ADMINISTRATOR:
                self.user.is_staff = True
                self.user.save(update_fields=["is_staff"])
            self.user.save()


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    number = factory.Sequence(lambda n: f"{n:02d}/QC-PH")
    title = factory.Sequence(lambda n: f"Quy chế phối hợp bảo đảm an ninh, trật tự vùng giáp ranh số {n}")
    signed_on = datetime.date(2021, 3, 1)
    signed_at = "UBND xã Thử Nghiệm"
    effective_from = datetime.date(2021, 3, 1)
    status = AgreementStatus.IN_FORCE


class AgreementPartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementParty

    agreement = factory.SubFactory(AgreementFactory)
    unit = factory.SubFactory(UnitFactory)
    signatory_name = "Trần Văn Ký"
    signatory_position = "Trưởng Công an huyện"


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster

    name = factory.Sequence(lambda n: f"Cụm giáp ranh an toàn về ANTT số {n}")
    kind = ClusterKind.SAFE
    agreement = factory.SubFactory(AgreementFactory)
    established_on = datetime.date(2021, 3, 1)


class ClusterMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClusterMember

    cluster = factory.SubFactory(ClusterFactory)
    responsible_party = factory.SubFactory(
        AgreementPartyFactory, agreement=factory.SelfAttribute("..cluster.agreement")
    )
    commune = factory.SubFactory(CommuneFactory, parent=factory.SelfAttribute("..responsible_party.unit.area"))
    valid_from = datetime.date(2021, 3, 1)


class BoardMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardMember

    cluster = factory.SubFactory(ClusterFactory)
    full_name = factory.Sequence(lambda n: f"Lê Văn Ban {n}")
    unit = factory.SubFactory(UnitFactory)
    board_role = BoardRole.MEMBER
    duties = "Phụ trách công tác tuyên truyền"


class MobileTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MobileTeam

    cluster = factory.SubFactory(ClusterFactory)
    name = "Đội công an cơ động của cụm"


class MobileTeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MobileTeamMember

    team = factory.SubFactory(MobileTeamFactory)
    full_name = factory.Sequence(lambda n: f"Phạm Văn Đội {n}")
    unit = factory.SubFactory(UnitFactory)
    commune = factory.SubFactory(CommuneFactory)


@dataclass(frozen=True)
class Jurisdiction:
    """A two-party agreement with one cluster of two communes (one per side) and an officer of side A.

    Frozen so a test cannot quietly swap a piece for one from another world; what a test adds on top
    (patrols, tips, extra users) lives in its own fixtures.
    """

    agreement: Agreement
    party_a: AgreementParty
    party_b: AgreementParty
    cluster: Cluster
    member_a: ClusterMember
    member_b: ClusterMember
    officer: Officer

    @property
    def user(self):
        return self.officer.user

    @property
    def unit_a(self) -> Unit:
        return self.party_a.unit

    @property
    def unit_b(self) -> Unit:
        return self.party_b.unit

    @property
    def commune_a(self) -> AdministrativeUnit:
        return self.member_a.commune

    @property
    def commune_b(self) -> AdministrativeUnit:
        return self.member_b.commune

    def officer_of_a(self, role: str = Role.OFFICER) -> Officer:
        return OfficerFactory(unit=self.unit_a, role=role)

    def officer_of_b(self, role: str = Role.OFFICER) -> Officer:
        return OfficerFactory(unit=self.unit_b, role=role)

    def third_party(self) -> AgreementParty:
        """Another signatory of the same agreement, with its own area outside the cluster."""
        return AgreementPartyFactory(agreement=self.agreement)


def jurisdiction(*, role: str = Role.OFFICER) -> Jurisdiction:
    """A fresh :class:`Jurisdiction` whose officer of side A has ``role``.

    The root ``j`` fixture is one of these; call this directly when a test needs a second one.
    """
    agreement = AgreementFactory()
    party_a = AgreementPartyFactory(agreement=agreement)
    party_b = AgreementPartyFactory(agreement=agreement)
    cluster = ClusterFactory(agreement=agreement)
    member_a = ClusterMemberFactory(cluster=cluster, responsible_party=party_a)
    member_b = ClusterMemberFactory(cluster=cluster, responsible_party=party_b)
    officer = OfficerFactory(unit=party_a.unit, role=role)
    return Jurisdiction(
        agreement=agreement,
        party_a=party_a,
        party_b=party_b,
        cluster=cluster,
        member_a=member_a,
        member_b=member_b,
        officer=officer,
    )
