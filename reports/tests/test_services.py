import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pghistory.models import Events

from agreements.models import Role, Unit, UnitLevel
from agreements.tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    ClusterFactory,
    OfficerFactory,
    UnitFactory,
    jurisdiction,
)
from reports import services
from reports.models import AwardForm, ConferenceKind, RecipientKind

pytestmark = pytest.mark.django_db

HELD_ON = datetime.date(2023, 12, 28)


def _conference(j, **overrides):
    values = dict(
        actor=j.user, agreement=j.agreement, kind=ConferenceKind.INTERIM,
        title="Hội nghị sơ kết quy chế phối hợp năm 2023", held_on=HELD_ON, host_unit=j.unit_a,
        place="Hội trường UBND huyện", cluster=j.cluster, attending_units=[j.unit_b], period_year=2023,
    )
    values.update(overrides)
    return services.conference_create(**values)


def _award(j, conference, **overrides):
    values = dict(
        actor=j.user, conference=conference, recipient_kind=RecipientKind.COLLECTIVE,
        recipient="Đội Cảnh sát hình sự", authority="UBND huyện Thử Nghiệm", recipient_unit=j.unit_a,
        reason="Có thành tích xuất sắc trong thực hiện quy chế phối hợp.",
    )
    values.update(overrides)
    return services.award_create(**values)


def _sub_unit(parent: Unit) -> Unit:
    return UnitFactory(name=f"Công an xã dưới {parent.pk}", level=UnitLevel.COMMUNE, parent=parent, area=parent.area)


def test_staff_records_a_conference_with_the_host_among_the_attending_units():
    j = jurisdiction(role=Role.STAFF)
    conference = _conference(j, title="  Hội nghị sơ kết năm 2023  ")
    assert conference.title == "Hội nghị sơ kết năm 2023"
    assert set(conference.attending_units.all()) == {j.unit_a, j.unit_b}
    event = Events.objects.tracks(conference).get()
    assert event.pgh_label == "insert" and event.pgh_context["user"] == j.user.pk


def test_units_under_a_party_may_host_and_attend():
    j = jurisdiction(role=Role.STAFF)
    commune_police = _sub_unit(j.unit_b)
    conference = _conference(j, host_unit=commune_police, attending_units=[j.unit_a, commune_police])
    assert conference.host_unit == commune_police
    assert conference.attending_units.count() == 2


@pytest.mark.parametrize("role", [Role.OFFICER, Role.COMMANDER])
def test_only_staff_and_administrators_record_conferences(role):
    j = jurisdiction(role=role)
    with pytest.raises(PermissionDenied):
        _conference(j)


def test_staff_of_another_agreement_cannot_record_a_conference():
    j = jurisdiction(role=Role.STAFF)
    stranger = OfficerFactory(role=Role.STAFF).user
    with pytest.raises(PermissionDenied):
        _conference(j, actor=stranger)
    admin = OfficerFactory(role=Role.ADMINISTRATOR).user
    assert _conference(j, actor=admin).pk
    assert _conference(j, actor=None, held_on=HELD_ON - datetime.timedelta(days=1)).pk


def test_host_and_attending_units_must_be_parties():
    j = jurisdiction(role=Role.STAFF)
    outsider = UnitFactory(name="Ủy ban nhân dân huyện Thử Nghiệm")
    with pytest.raises(ValidationError) as exc:
        _conference(j, host_unit=outsider)
    assert "không thuộc các bên" in exc.value.message_dict["host_unit"][0]
    with pytest.raises(ValidationError) as exc:
        _conference(j, attending_units=[j.unit_b, outsider])
    assert exc.value.message_dict["attending_units"] == [f"{outsider} không thuộc các bên của quy chế."]


def test_units_must_be_active_on_the_day():
    j = jurisdiction(role=Role.STAFF)
    dissolved = j.unit_b
    dissolved.valid_to = datetime.date(2023, 2, 28)
    dissolved.save()
    with pytest.raises(ValidationError) as exc:
        _conference(j)
    assert "không hoạt động vào ngày 28/12/2023" in exc.value.message_dict["attending_units"][0]
    with pytest.raises(ValidationError) as exc:
        _conference(j, host_unit=dissolved, attending_units=[])
    assert "host_unit" in exc.value.message_dict


def test_dates_and_year_reviewed():
    j = jurisdiction(role=Role.STAFF)  # agreement signed and in effect from 01/3/2021
    with pytest.raises(ValidationError) as exc:
        _conference(j, held_on=timezone.localdate() + datetime.timedelta(days=1))
    assert exc.value.message_dict["held_on"] == ["Ngày tổ chức nằm ở tương lai."]
    with pytest.raises(ValidationError) as exc:
        _conference(j, held_on=datetime.date(2021, 2, 1), period_year=None)
    assert "trước ngày ký quy chế" in exc.value.message_dict["held_on"][0]
    with pytest.raises(ValidationError) as exc:
        _conference(j, period_year=2024)
    assert "period_year" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _conference(j, period_year=2020)
    assert "period_year" in exc.value.message_dict


def test_cluster_of_another_agreement_is_refused():
    j = jurisdiction(role=Role.STAFF)
    with pytest.raises(ValidationError) as exc:
        _conference(j, cluster=ClusterFactory())
    assert "cluster" in exc.value.message_dict


def test_kind_and_title_are_checked():
    j = jurisdiction(role=Role.STAFF)
    with pytest.raises(ValidationError) as exc:
        _conference(j, kind="party")
    assert "kind" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _conference(j, title="   ")
    assert "title" in exc.value.message_dict


def test_new_agreement_signed_at_the_conference():
    j = jurisdiction(role=Role.STAFF)
    new = AgreementFactory(signed_on=HELD_ON, effective_from=HELD_ON)
    AgreementPartyFactory(agreement=new, unit=j.unit_a)
    conference = _conference(j, new_agreement=new)
    assert conference.new_agreement == new
    with pytest.raises(ValidationError) as exc:
        _conference(j, new_agreement=j.agreement)
    assert "new_agreement" in exc.value.message_dict
    other_day = AgreementFactory(signed_on=datetime.date(2023, 12, 20), effective_from=datetime.date(2023, 12, 20))
    AgreementPartyFactory(agreement=other_day, unit=j.unit_a)
    with pytest.raises(ValidationError) as exc:
        _conference(j, new_agreement=other_day)
    assert "20/12/2023" in exc.value.message_dict["new_agreement"][0]
    # An agreement the staff officer does not see cannot be named.
    with pytest.raises(PermissionDenied):
        _conference(j, new_agreement=AgreementFactory(signed_on=HELD_ON, effective_from=HELD_ON))


def test_awards_to_collectives_and_individuals():
    j = jurisdiction(role=Role.STAFF)
    conference = _conference(j)
    collective = _award(j, conference)
    individual = _award(
        j, conference, recipient_kind=RecipientKind.INDIVIDUAL, recipient="Đại úy Nguyễn Văn An",
        recipient_unit=_sub_unit(j.unit_b), form=AwardForm.MERIT,
    )
    assert collective.form == AwardForm.CERTIFICATE and individual.form == AwardForm.MERIT
    assert list(conference.awards.all()) == [collective, individual]
    assert Events.objects.tracks(individual).get().pgh_context["user"] == j.user.pk


def test_award_rules():
    j = jurisdiction(role=Role.STAFF)
    conference = _conference(j)
    _award(j, conference)
    with pytest.raises(ValidationError) as exc:
        _award(j, conference, recipient="Đội cảnh sát Hình sự ")
    assert "đã được khen thưởng" in exc.value.message_dict["recipient"][0]
    with pytest.raises(ValidationError) as exc:
        _award(j, conference, recipient="  ")
    assert "recipient" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _award(j, conference, recipient="Công an xã A", authority=" ")
    assert "authority" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _award(j, conference, recipient="Công an xã B", recipient_unit=UnitFactory())
    assert "recipient_unit" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _award(j, conference, recipient="Công an xã C", recipient_kind="team")
    assert "recipient_kind" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _award(j, conference, recipient="Công an xã D", form="huan_chuong")
    assert "form" in exc.value.message_dict


def test_only_staff_who_see_the_agreement_record_awards():
    j = jurisdiction(role=Role.STAFF)
    conference = _conference(j)
    commander = OfficerFactory(unit=j.unit_b, role=Role.COMMANDER).user
    with pytest.raises(PermissionDenied):
        _award(j, conference, actor=commander)
    with pytest.raises(PermissionDenied):
        _award(j, conference, actor=OfficerFactory(role=Role.STAFF).user)
    partner_staff = OfficerFactory(unit=j.unit_b, role=Role.STAFF).user
    assert _award(j, conference, actor=partner_staff).recipient == "Đội Cảnh sát hình sự"
    assert _award(j, conference, actor=None, recipient="Công an xã E").pk
