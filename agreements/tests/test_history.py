import datetime

import pghistory
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements import selectors
from agreements.history import Focus, history_for, present_history
from agreements.models import Unit

from .factories import BoardMemberFactory, UnitFactory, UserFactory, jurisdiction

pytestmark = pytest.mark.django_db


def _change(actor, obj, **values):
    with pghistory.context(user=actor.pk):
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save()


def _updates(history: list[dict], what: str) -> list[dict]:
    return [event for event in history if event["kind"] == "update" and event["what"] == what]


def _change_of(event: dict, field: str) -> tuple[str, str]:
    return next((c["old"], c["new"]) for c in event["changes"] if c["field"] == field)


def _row(obj_model: str, diff: dict, data: dict | None = None) -> dict:
    """An audit row shaped as ``selectors.record_history`` gives it."""
    return {
        "at": datetime.datetime(2023, 5, 10, 13, 0, tzinfo=datetime.UTC),
        "label": "update",
        "model": obj_model,
        "obj_model": obj_model,
        "data": data or {},
        "diff": diff,
        "actor": None,
    }


def test_a_changed_field_shows_old_and_new_value_and_who_changed_it():
    j = jurisdiction()
    actor = UserFactory(first_name="Thị Lan", last_name="Trần")
    _change(actor, j.cluster, name="Cụm Hữu Nghị", established_on=datetime.date(2022, 5, 6))

    [event] = _updates(history_for(user=j.user, objects=[j.cluster]), "Cụm giáp ranh")

    assert event["label"] == "Cập nhật"
    assert event["subject"] == "Cụm Hữu Nghị"
    assert event["actor_name"] == "Trần Thị Lan"
    assert _change_of(event, "Tên cụm")[1] == "Cụm Hữu Nghị"
    assert _change_of(event, "Ngày thành lập") == ("01/03/2021", "06/05/2022")


def test_a_unit_is_shown_by_name_not_by_id():
    j = jurisdiction()
    member = BoardMemberFactory(cluster=j.cluster, unit=UnitFactory(name="Công an xã Cũ"))
    _change(UserFactory(), member, unit=UnitFactory(name="Đồn Biên phòng Mới"))

    [event] = _updates(history_for(user=j.user, objects=[j.cluster]), "Thành viên ban chỉ đạo")

    assert _change_of(event, "Đơn vị") == ("Công an xã Cũ", "Đồn Biên phòng Mới")


def test_a_deleted_record_stays_in_the_history_with_its_name():
    j = jurisdiction()
    member = BoardMemberFactory(cluster=j.cluster, full_name="Lê Văn Đi")
    with pghistory.context(user=UserFactory().pk):
        member.delete()

    history = history_for(user=j.user, objects=[j.cluster])

    deleted = [e for e in history if e["kind"] == "delete"]
    assert [(e["label"], e["what"], e["subject"]) for e in deleted] == [
        ("Xóa", "Thành viên ban chỉ đạo", "Lê Văn Đi")
    ]


def test_a_changed_link_shows_both_names():
    unit = UnitFactory(parent=UnitFactory(name="Công an tỉnh Cũ"))
    _change(UserFactory(), unit, parent=UnitFactory(name="Công an tỉnh Mới"))
    rows = [r for r in selectors.record_history(user=UserFactory(), objects=[unit]) if r["label"] == "update"]

    for presented in (present_history(rows)[0], present_history(rows, focus=Focus(Unit))[0]):
        assert _change_of(presented, "Đơn vị cấp trên") == ("Công an tỉnh Cũ", "Công an tỉnh Mới")


def test_the_page_record_hides_its_hidden_columns_and_its_subject():
    row = _row("agreements.Unit", {"name": ["Cũ", "Mới"], "short_name": ["C", "M"]}, data={"name": "Mới"})

    plain = present_history([row])[0]
    focused = present_history([row], focus=Focus(Unit, hidden=frozenset({"short_name"})))[0]

    assert plain["subject"] == "Mới"
    assert _change_of(plain, "Tên viết tắt") == ("C", "M")
    assert focused["subject"] == ""
    assert [c["field"] for c in focused["changes"]] == ["Tên đơn vị"]


def test_date_times_are_local():
    # No audited registry model has a date-time the table shows; the presenter only reads rows, so
    # a row of auth.User (last_login) stands in.
    row = _row("auth.User", {"last_login": [None, "2023-05-10T13:00:00+00:00"]})

    for focus in (None, Focus(get_user_model())):
        change = present_history([row], focus=focus)[0]["changes"][0]
        assert (change["old"], change["new"]) == ("—", "10/05/2023 20:00")  # Asia/Ho_Chi_Minh is UTC+7


def test_names_cost_one_query_per_kind_whatever_the_number_of_events():
    def queries(changes: int) -> int:
        j = jurisdiction()
        member = BoardMemberFactory(cluster=j.cluster)
        for _ in range(changes):
            _change(UserFactory(), member, unit=UnitFactory())
        rows = selectors.record_history(user=j.user, objects=[j.cluster])
        with CaptureQueriesContext(connection) as captured:
            present_history(rows)
        return len(captured)

    assert queries(1) == queries(6)
