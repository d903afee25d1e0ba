import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from pghistory.models import Events

from agreements import services
from agreements.models import AgreementStatus, ClusterMember, Role
from agreements.services import AgreementData, PartyData

from .factories import (
    AgreementFactory,
    AgreementPartyFactory,
    ClusterFactory,
    ClusterMemberFactory,
    CommuneFactory,
    DistrictFactory,
    MobileTeamFactory,
    OfficerFactory,
    UnitFactory,
    jurisdiction,
)

pytestmark = pytest.mark.django_db


def _staff_and_units():
    unit_a, unit_b = UnitFactory(), UnitFactory()
    staff = OfficerFactory(unit=unit_a, role=Role.STAFF).user
    return staff, unit_a, unit_b


def test_agreement_create_records_parties_in_order_and_actor():
    staff, unit_a, unit_b = _staff_and_units()
    agreement = services.agreement_create(
        actor=staff,
        data=AgreementData(title="Quy chế phối hợp vùng giáp ranh", number="01/QC"),
        parties=[PartyData(unit=unit_b, signatory_name="B"), PartyData(unit=unit_a, signatory_name="A")],
    )
    assert [p.unit for p in agreement.parties.all()] == [unit_b, unit_a]
    events = Events.objects.tracks(agreement)
    assert events.count() == 1
    assert events.get().pgh_context["user"] == staff.pk


def test_agreement_create_rejects_a_party_listed_twice():
    staff, unit_a, _unit_b = _staff_and_units()
    with pytest.raises(ValidationError) as exc:
        services.agreement_create(
            actor=staff, data=AgreementData(title="QC"), parties=[PartyData(unit=unit_a), PartyData(unit=unit_a)]
        )
    assert "hai lần" in exc.value.message_dict["parties"][0]


def test_agreement_create_needs_two_parties():
    staff, unit_a, _unit_b = _staff_and_units()
    with pytest.raises(ValidationError) as exc:
        services.agreement_create(actor=staff, data=AgreementData(title="QC"), parties=[PartyData(unit=unit_a)])
    assert "ít nhất hai bên" in exc.value.message_dict["parties"][0]


def test_agreement_create_rejects_dates_out_of_order_and_saves_nothing():
    staff, unit_a, unit_b = _staff_and_units()
    data = AgreementData(
        title="QC", effective_from=datetime.date(2022, 1, 1), effective_to=datetime.date(2021, 1, 1)
    )
    with pytest.raises(ValidationError) as exc:
        services.agreement_create(actor=staff, data=data, parties=[PartyData(unit=unit_a), PartyData(unit=unit_b)])
    assert exc.value.message_dict["effective_to"] == ["Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."]
    assert not staff.officer.unit.party_to.exists()


def test_staff_must_stay_a_party_of_what_they_create():
    staff, _unit_a, _unit_b = _staff_and_units()
    others = [PartyData(unit=UnitFactory()), PartyData(unit=UnitFactory())]
    with pytest.raises(ValidationError) as exc:
        services.agreement_create(actor=staff, data=AgreementData(title="QC"), parties=others)
    assert "Đơn vị của bạn" in exc.value.message_dict["parties"][0]


def test_officer_and_commander_may_not_create_agreements():
    for role in (Role.OFFICER, Role.COMMANDER):
        officer = OfficerFactory(role=role)
        with pytest.raises(PermissionDenied):
            services.agreement_create(
                actor=officer.user,
                data=AgreementData(title="QC"),
                parties=[PartyData(unit=officer.unit), PartyData(unit=UnitFactory())],
            )


def test_new_agreement_in_force_marks_the_one_it_supersedes():
    staff, unit_a, unit_b = _staff_and_units()
    parties = [PartyData(unit=unit_a), PartyData(unit=unit_b)]
    old = services.agreement_create(actor=staff, data=AgreementData(title="QC 2019"), parties=parties)
    new = services.agreement_create(actor=staff, data=AgreementData(title="QC 2021", supersedes=old), parties=parties)
    old.refresh_from_db()
    assert old.status == AgreementStatus.SUPERSEDED
    assert new.supersedes_chain_ids() == [old.pk]


def test_supersedes_loop_is_rejected():
    staff, unit_a, unit_b = _staff_and_units()
    parties = [PartyData(unit=unit_a), PartyData(unit=unit_b)]
    old = services.agreement_create(actor=staff, data=AgreementData(title="QC 2019"), parties=parties)
    new = services.agreement_create(actor=staff, data=AgreementData(title="QC 2021", supersedes=old), parties=parties)
    with pytest.raises(ValidationError) as exc:
        services.agreement_update(actor=staff, agreement=old, data=AgreementData(title="QC 2019", supersedes=new))
    assert "vòng lặp" in exc.value.message_dict["supersedes"][0]


def test_cannot_supersede_an_invisible_agreement():
    staff, unit_a, unit_b = _staff_and_units()
    foreign = AgreementFactory()
    with pytest.raises(ValidationError) as exc:
        services.agreement_create(
            actor=staff,
            data=AgreementData(title="QC", supersedes=foreign),
            parties=[PartyData(unit=unit_a), PartyData(unit=unit_b)],
        )
    assert "supersedes" in exc.value.message_dict


def test_agreement_update_of_foreign_agreement_is_denied():
    staff, _unit_a, _unit_b = _staff_and_units()
    foreign = AgreementPartyFactory().agreement
    with pytest.raises(PermissionDenied):
        services.agreement_update(actor=staff, agreement=foreign, data=AgreementData(title="Sửa"))


def test_removing_a_party_that_answers_for_members_is_refused():
    j = jurisdiction(role=Role.STAFF)
    with pytest.raises(ValidationError) as exc:
        services.agreement_update(
            actor=j.user,
            agreement=j.agreement,
            data=AgreementData(title=j.agreement.title),
            parties=[PartyData(unit=j.unit_a), PartyData(unit=UnitFactory())],
        )
    assert "đang phụ trách" in exc.value.message_dict["parties"][0]


def test_agreement_structure_sets_counts():
    j = jurisdiction(role=Role.STAFF)
    services.agreement_set_structure(
        actor=j.user,
        agreement=j.agreement,
        chapters=[(1, "Quy định chung", [(1, "Phạm vi", ""), (2, "Đối tượng", "")]), (2, "Nội dung", [(3, "X", "")])],
    )
    j.agreement.refresh_from_db()
    assert (j.agreement.chapter_count, j.agreement.article_count) == (2, 3)


def test_cluster_member_outside_party_area_is_rejected():
    j = jurisdiction(role=Role.STAFF)
    elsewhere = CommuneFactory(parent=DistrictFactory())
    with pytest.raises(ValidationError) as exc:
        services.cluster_member_add(
            actor=j.user, cluster=j.cluster, commune=elsewhere, responsible_party=j.party_a,
            valid_from=datetime.date(2022, 1, 1),
        )
    assert "nằm ngoài địa bàn" in exc.value.message_dict["commune"][0]


def test_cluster_member_party_of_another_agreement_is_rejected():
    j = jurisdiction(role=Role.STAFF)
    stranger = AgreementPartyFactory(unit=j.unit_a)
    with pytest.raises(ValidationError) as exc:
        services.cluster_member_add(
            actor=j.user, cluster=j.cluster, commune=CommuneFactory(parent=j.unit_a.area),
            responsible_party=stranger, valid_from=datetime.date(2022, 1, 1),
        )
    assert "responsible_party" in exc.value.message_dict


@pytest.mark.parametrize(
    ("start", "end", "overlaps"),
    [
        (datetime.date(2020, 1, 1), datetime.date(2021, 3, 1), True),  # last day touches the first
        (datetime.date(2020, 1, 1), datetime.date(2021, 2, 28), False),
        (datetime.date(2023, 1, 1), None, True),
    ],
)
def test_overlapping_membership_of_one_commune(start, end, overlaps):
    j = jurisdiction(role=Role.STAFF)
    member = j.member_a  # valid from 01/3/2021, open-ended
    call = lambda: services.cluster_member_add(  # noqa: E731
        actor=j.user, cluster=j.cluster, commune=member.commune, responsible_party=j.party_a,
        valid_from=start, valid_to=end,
    )
    if overlaps:
        with pytest.raises(ValidationError) as exc:
            call()
        assert "trùng lặp" in str(exc.value)
    else:
        assert call().pk


def test_overlap_is_also_enforced_by_the_database():
    member = ClusterMemberFactory()
    clone = ClusterMember(
        cluster=member.cluster, commune=member.commune, responsible_party=member.responsible_party,
        valid_from=member.valid_from,
    )
    with pytest.raises(IntegrityError):
        clone.save()


def test_membership_end_before_start_is_rejected():
    j = jurisdiction(role=Role.STAFF)
    with pytest.raises(ValidationError) as exc:
        services.cluster_member_update(actor=j.user, member=j.member_a, valid_to=datetime.date(2020, 1, 1))
    assert exc.value.message_dict["valid_to"] == ["Ngày rời cụm phải sau ngày tham gia."]


def test_commune_rejoining_after_leaving_is_allowed():
    j = jurisdiction(role=Role.STAFF)
    services.cluster_member_update(actor=j.user, member=j.member_a, valid_to=datetime.date(2022, 6, 30))
    again = services.cluster_member_add(
        actor=j.user, cluster=j.cluster, commune=j.commune_a, responsible_party=j.party_a,
        valid_from=datetime.date(2023, 1, 1),
    )
    assert again.pk


def test_cluster_services_denied_outside_jurisdiction():
    staff = OfficerFactory(role=Role.STAFF).user
    cluster = ClusterFactory()
    with pytest.raises(PermissionDenied):
        services.cluster_update(actor=staff, cluster=cluster, name="Đổi tên")
    with pytest.raises(PermissionDenied):
        services.cluster_create(actor=staff, agreement=cluster.agreement, name="Cụm mới", kind="safe")


def test_mobile_team_member_commune_must_belong_to_cluster():
    j = jurisdiction(role=Role.STAFF)
    team = services.mobile_team_set(actor=j.user, cluster=j.cluster, name="Đội cơ động")
    ok = services.mobile_team_member_add(
        actor=j.user, team=team, full_name="Phạm Văn A", unit=j.unit_a, commune=j.commune_a
    )
    assert ok.pk
    with pytest.raises(ValidationError) as exc:
        services.mobile_team_member_add(
            actor=j.user, team=team, full_name="Phạm Văn B", unit=j.unit_a, commune=CommuneFactory()
        )
    assert exc.value.message_dict["commune"] == ["Xã này không phải thành viên của cụm."]


def test_mobile_team_set_is_one_per_cluster():
    team = MobileTeamFactory()
    staff = OfficerFactory(role=Role.ADMINISTRATOR).user
    again = services.mobile_team_set(actor=staff, cluster=team.cluster, name="Tên mới")
    assert again.pk == team.pk and again.name == "Tên mới"


def test_officer_create_assigns_role_group_and_staff_flag():
    admin = OfficerFactory(role=Role.ADMINISTRATOR).user
    unit = UnitFactory()
    officer = services.officer_create(
        actor=admin, username="chihuy.moi", password="mat-khau-dai-123", full_name="Nguyễn Văn Huy",
        unit=unit, role=Role.COMMANDER,
    )
    assert list(officer.user.groups.values_list("name", flat=True)) == ["Chỉ huy"]
    assert not officer.user.is_staff
    assert officer.user.first_name == "Huy" and officer.user.last_name == "Nguyễn Văn"
    services.officer_set_role(actor=admin, officer=officer, role=Role.ADMINISTRATOR)
    officer.user.refresh_from_db()
    assert officer.user.is_staff
    assert list(officer.user.groups.values_list("name", flat=True)) == ["Quản trị viên"]


def test_officer_create_rejects_taken_username_and_non_admin_actor():
    admin = OfficerFactory(role=Role.ADMINISTRATOR).user
    with pytest.raises(ValidationError):
        services.officer_create(
            actor=admin, username=admin.username.upper(), password="x" * 12, full_name="A B", unit=UnitFactory()
        )
    staff = OfficerFactory(role=Role.STAFF).user
    with pytest.raises(PermissionDenied):
        services.officer_create(actor=staff, username="moi", password="x" * 12, full_name="A B", unit=UnitFactory())


def test_unit_dates_out_of_order():
    admin = OfficerFactory(role=Role.ADMINISTRATOR).user
    with pytest.raises(ValidationError) as exc:
        services.unit_create(
            actor=admin, name="Công an huyện X", force="police", level="district", area=DistrictFactory(),
            valid_from=datetime.date(2020, 1, 1), valid_to=datetime.date(2019, 1, 1),
        )
    assert exc.value.message_dict["valid_to"] == ["Ngày kết thúc hoạt động phải sau ngày bắt đầu."]


def test_bulk_update_is_audited_too():
    j = jurisdiction()
    from agreements.models import Agreement

    Agreement.objects.filter(pk=j.agreement.pk).update(title="Đổi bằng update()")
    labels = list(Events.objects.tracks(j.agreement).values_list("pgh_label", flat=True))
    assert labels.count("update") == 1
