"""The one select naming where a record happened: a cluster, or an agreement outside its clusters.

Patrols, campaigns, checkpoints, tips and incidents all record under it, so a user must only ever be
offered, and only ever get through, the clusters and agreements he may see.
"""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from agreements.forms import Scope, ScopeChoices, ScopeFormMixin, agreement_label
from agreements.models import Role

from .factories import (
    AgreementFactory,
    AgreementPartyFactory,
    ClusterFactory,
    ClusterMemberFactory,
    OfficerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

EMPTY = "— Chọn cụm hoặc quy chế —"
OUT_OF_SCOPE = "Cụm hoặc quy chế đã chọn không còn trong phạm vi của bạn."


class PlaceForm(ScopeFormMixin, forms.Form):
    """The smallest form built on the mixin, as the record forms build on it."""

    note = forms.CharField(required=False)
    communes = forms.MultipleChoiceField(
        required=False, choices=[("1", "1"), ("2", "2")], widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user, refresh=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_scope(user, refresh)


def flat_values(choices) -> list[str]:
    return [value for _group, options in choices[1:] for value, _label in options]


# The choices --------------------------------------------------------------------------------------


def test_choices_group_the_users_clusters_under_his_agreements_newest_first(j, other_j):
    newer = AgreementFactory(number="07/QC-PH", title="Quy chế tuần tra vùng biển", signed_on=datetime.date(2023, 1, 5))
    AgreementPartyFactory(agreement=newer, unit=j.unit_a)
    first = ClusterFactory(agreement=j.agreement, name="A – cụm ven sông")

    choices = ScopeChoices(j.user).choices(EMPTY)

    assert choices == [
        ("", EMPTY),
        ("07/QC-PH – Quy chế tuần tra vùng biển", [(f"a{newer.pk}", "Ngoài các cụm – 07/QC-PH")]),
        (
            agreement_label(j.agreement),
            [
                (f"c{first.pk}", "A – cụm ven sông"),
                (f"c{j.cluster.pk}", j.cluster.name),
                (f"a{j.agreement.pk}", f"Ngoài các cụm – {j.agreement.number}"),
            ],
        ),
    ]


def test_agreement_without_number_is_named_by_its_shortened_title(db):
    agreement = AgreementFactory(number="", title="Quy chế phối hợp giữa Công an hai huyện giáp ranh")
    party = AgreementPartyFactory(agreement=agreement)
    user = OfficerFactory(unit=party.unit).user

    choices = ScopeChoices(user).choices(EMPTY)

    assert choices[1] == (
        "Quy chế phối hợp giữa Công an hai huyện giáp ranh",
        [(f"a{agreement.pk}", "Ngoài các cụm – Quy chế phối hợp giữa Công an…")],
    )


def test_an_administrator_is_offered_every_agreement_and_cluster(j, other_j):
    admin = OfficerFactory(unit=j.unit_a, role=Role.ADMINISTRATOR).user

    values = flat_values(ScopeChoices(admin).choices(EMPTY))

    for world in (j, other_j):
        assert f"c{world.cluster.pk}" in values and f"a{world.agreement.pk}" in values


def test_a_user_without_an_officer_record_is_offered_nothing(db):
    assert ScopeChoices(UserFactory()).choices(EMPTY) == [("", EMPTY)]


# Reading a value back ---------------------------------------------------------------------------


def test_resolve_gives_the_cluster_with_its_agreement_or_the_agreement_alone(j):
    scopes = ScopeChoices(j.user)

    assert scopes.resolve(f"c{j.cluster.pk}") == Scope(agreement=j.agreement, cluster=j.cluster)
    assert scopes.resolve(f"a{j.agreement.pk}") == Scope(agreement=j.agreement)
    assert Scope(agreement=j.agreement, cluster=j.cluster).value == f"c{j.cluster.pk}"
    assert Scope(agreement=j.agreement).value == f"a{j.agreement.pk}"


def test_resolve_refuses_a_cluster_or_agreement_outside_the_users_scope(j, other_j):
    scopes = ScopeChoices(j.user)

    assert scopes.resolve(f"c{other_j.cluster.pk}") is None
    assert scopes.resolve(f"a{other_j.agreement.pk}") is None


@pytest.mark.parametrize("value", [None, "", "c", "a", "x1", "c-1", "c1a", "12"])
def test_resolve_refuses_malformed_values(j, value):
    assert ScopeChoices(j.user).resolve(value) is None


def test_resolve_reads_nothing_more_from_the_database(j, django_assert_num_queries):
    scopes = ScopeChoices(j.user)

    with django_assert_num_queries(0):
        scope = scopes.resolve(f"c{j.cluster.pk}")
        assert scope.cluster.agreement.number == j.agreement.number


# The default -------------------------------------------------------------------------------------


def test_default_is_the_cluster_holding_the_officers_area(j):
    # Listed first by name, but none of its communes lies in side A's area.
    other_side = ClusterFactory(agreement=j.agreement, name="A – cụm bên kia")
    ClusterMemberFactory(cluster=other_side, responsible_party=j.party_b)

    assert ScopeChoices(j.user).default_for(j.user) == Scope(agreement=j.agreement, cluster=j.cluster)


def test_a_membership_that_has_ended_does_not_hold_the_area(j):
    ended = ClusterFactory(agreement=j.agreement, name="A – cụm cũ")
    ClusterMemberFactory(cluster=ended, responsible_party=j.party_a, valid_to=datetime.date(2022, 12, 31))

    assert ScopeChoices(j.user).default_for(j.user).cluster == j.cluster


def test_default_is_the_first_cluster_shown_when_two_hold_the_area(j):
    first = ClusterFactory(agreement=j.agreement, name="A – cụm bên kia")
    ClusterMemberFactory(cluster=first, responsible_party=j.party_b)
    second = ClusterFactory(agreement=j.agreement, name="B – cụm thứ hai")
    ClusterMemberFactory(cluster=second, responsible_party=j.party_a)

    assert ScopeChoices(j.user).default_for(j.user) == Scope(agreement=j.agreement, cluster=first)


def test_default_is_the_agreement_when_it_is_the_only_one_and_has_no_cluster(db):
    agreement = AgreementFactory()
    user = OfficerFactory(unit=AgreementPartyFactory(agreement=agreement).unit).user

    assert ScopeChoices(user).default_for(user) == Scope(agreement=agreement)


def test_no_default_between_two_agreements_without_clusters(db):
    party = AgreementPartyFactory()
    AgreementPartyFactory(unit=party.unit)
    user = OfficerFactory(unit=party.unit).user

    assert ScopeChoices(user).default_for(user) is None


# The form mixin -----------------------------------------------------------------------------------


def test_scope_is_the_forms_first_field_and_cleans_to_a_scope(j):
    form = PlaceForm({"scope": f"c{j.cluster.pk}", "note": "x"}, user=j.user)

    assert list(form.fields) == ["scope", "note", "communes"]
    assert form.is_valid(), form.errors
    assert form.cleaned_data["scope"] == Scope(agreement=j.agreement, cluster=j.cluster)


def test_a_scope_of_another_jurisdiction_is_refused_beside_the_select(j, other_j):
    form = PlaceForm({"scope": f"c{other_j.cluster.pk}"}, user=j.user)

    assert not form.is_valid()
    assert form.errors["scope"] == [OUT_OF_SCOPE]


def test_a_missing_scope_asks_for_one(j):
    form = PlaceForm({"scope": ""}, user=j.user)

    assert not form.is_valid()
    assert form.errors["scope"] == ["Chọn cụm giáp ranh hoặc quy chế phối hợp."]


def test_clean_scope_refuses_a_value_its_choices_cannot_resolve(j, other_j):
    form = PlaceForm({}, user=j.user)
    form.cleaned_data = {"scope": f"a{other_j.agreement.pk}"}

    with pytest.raises(ValidationError) as refused:
        form.clean_scope()
    assert refused.value.messages == [OUT_OF_SCOPE]
    assert refused.value.code == "invalid_choice"


def test_an_empty_form_starts_on_the_default_scope_unless_one_is_given(j):
    assert PlaceForm(user=j.user).initial["scope"] == f"c{j.cluster.pk}"
    given = PlaceForm(user=j.user, initial={"scope": f"a{j.agreement.pk}"})
    assert given.initial["scope"] == f"a{j.agreement.pk}"
    assert given.selected_scope() == Scope(agreement=j.agreement)


def test_a_posted_form_gets_no_default_scope(j):
    form = PlaceForm({"note": "x"}, user=j.user)

    assert "scope" not in form.initial
    assert form.selected_scope() is None


def test_a_redraw_shows_the_values_typed_so_far_and_reads_the_scope_from_them(j):
    typed = QueryDict(mutable=True)
    typed.update({"scope": f"a{j.agreement.pk}", "note": "Đã gõ dở"})
    typed.setlist("communes", ["1", "2"])

    form = PlaceForm(user=j.user, refresh=typed)

    assert not form.is_bound
    assert form.initial == {"scope": f"a{j.agreement.pk}", "note": "Đã gõ dở", "communes": ["1", "2"]}
    assert form.selected_scope() == Scope(agreement=j.agreement)


def test_a_prefixed_form_reads_its_own_keys(j):
    form = PlaceForm({"p-scope": f"c{j.cluster.pk}", "scope": f"a{j.agreement.pk}"}, user=j.user, prefix="p")

    assert form.selected_scope() == Scope(agreement=j.agreement, cluster=j.cluster)
