"""Read-only pages for the administrative geography: one unit, and a name search.

Both pages must issue a fixed number of queries whatever the unit (parents come from
``select_related``, successions from ``prefetch_related``, children one page at a time), since a
current province can have 168 communes and a current commune up to 14 predecessors.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.views.generic import DetailView, ListView

from borderzone.forms import search_text
from borderzone.views import GuardedMixin

from .models import AdministrativeSuccession, AdministrativeUnit, AdminLevel, Era

CHILDREN_PER_PAGE = 50
RESULTS_PER_PAGE = 50

# Provinces first in search results: TextChoices values would sort "commune" before "province".
LEVEL_RANK = Case(
    When(level=AdminLevel.PROVINCE, then=Value(0)),
    When(level=AdminLevel.DISTRICT, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


class AdministrativeUnitDetailView(GuardedMixin, DetailView):
    """A unit with its parent chain, its children and, for communes, the 2025 conversion.

    Context: ``unit``, ``is_legacy``, ``is_commune``, ``ancestors`` (province first),
    ``children_page`` (a page of children in official code order; None for a commune),
    ``successions`` (legacy commune → current communes), ``predecessions`` (current commune ←
    legacy communes) and ``district_successors`` (for a legacy district, the current communes its
    communes went to).
    """

    model = AdministrativeUnit
    context_object_name = "unit"
    template_name = "agreements/adminunit_detail.html"

    def get_queryset(self) -> QuerySet[AdministrativeUnit]:
        # A commune is at most two levels below a province, so parent__parent is the whole chain.
        return AdministrativeUnit.objects.select_related("parent__parent").prefetch_related(
            Prefetch(
                "succession_rows",
                queryset=AdministrativeSuccession.objects.select_related("new__parent").order_by("new__code"),
                to_attr="successions",
            ),
            Prefetch(
                "predecession_rows",
                queryset=AdministrativeSuccession.objects.select_related("old__parent__parent").order_by("old__code"),
                to_attr="predecessions",
            ),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        unit: AdministrativeUnit = self.object
        ancestors = []
        node = unit.parent
        while node is not None:
            ancestors.append(node)
            node = node.parent
        ancestors.reverse()

        is_commune = unit.level == AdminLevel.COMMUNE
        # Communes are the lowest level; counting their (absent) children would be a wasted query.
        children_page = None
        if not is_commune:
            children_page = Paginator(unit.children.order_by("code"), CHILDREN_PER_PAGE).get_page(
                self.request.GET.get("page")
            )
        district_successors: list[AdministrativeUnit] = []
        if unit.era == Era.LEGACY and unit.level == AdminLevel.DISTRICT:
            district_successors = list(
                AdministrativeUnit.objects.filter(predecession_rows__old__parent=unit).distinct().order_by("code")
            )
        context.update(
            is_legacy=unit.era == Era.LEGACY,
            is_commune=is_commune,
            ancestors=ancestors,
            children_page=children_page,
            successions=unit.successions,
            predecessions=unit.predecessions,
            district_successors=district_successors,
        )
        return context


class AdministrativeUnitSearchView(GuardedMixin, ListView):
    """Units whose name contains ``q`` ignoring case and diacritics ("ha noi" finds "Hà Nội").

    ``q`` made only of digits also matches the unit code. ``era`` and ``level`` narrow the search
    when they are valid choices and are ignored otherwise. An empty ``q`` lists nothing.
    """

    model = AdministrativeUnit
    context_object_name = "units"
    template_name = "agreements/adminunit_search.html"
    paginate_by = RESULTS_PER_PAGE

    def _query(self) -> str:
        # Some keyboards send decomposed accents; the stored names are NFC.
        return " ".join(unicodedata.normalize("NFC", search_text(self.request.GET.get("q", ""))[0]).split())

    def _choice(self, name: str, choices: type[Era] | type[AdminLevel]) -> str:
        value = self.request.GET.get(name, "")
        return value if value in choices.values else ""

    def get_queryset(self) -> QuerySet[AdministrativeUnit]:
        query = self._query()
        if not query:
            return AdministrativeUnit.objects.none()
        condition = Q(name__unaccent__icontains=query)
        if query.isdecimal():
            condition |= Q(code=int(query))
        units = AdministrativeUnit.objects.filter(condition).select_related("parent__parent")
        if era := self._choice("era", Era):
            units = units.filter(era=era)
        if level := self._choice("level", AdminLevel):
            units = units.filter(level=level)
        return units.annotate(level_rank=LEVEL_RANK).order_by("era", "level_rank", "name", "code")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            q=self._query(),
            q_error=search_text(self.request.GET.get("q", ""))[1],
            era=self._choice("era", Era),
            level=self._choice("level", AdminLevel),
            era_choices=Era.choices,
            level_choices=AdminLevel.choices,
        )
        return context
