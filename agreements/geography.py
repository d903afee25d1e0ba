"""Loads Vietnam's administrative geography from the ``vietnam-provinces`` package.

Two eras are kept side by side because agreements signed before 1 July 2025 name the old
province → district → commune units, while everything after uses the two-tier province → commune
system; ``AdministrativeSuccession`` links each old commune to the commune(s) that absorbed it.

What must hold after :func:`geography_import`:

* every unit of the package exists exactly once per ``(era, level, code)`` with the package's name
  (NFC), division type and codename, and the package's parent (current commune → current province;
  legacy commune → legacy district → legacy province);
* every old → new pair of the 2025 ward conversion table whose two ends exist is stored, with
  ``partly`` set when only part of the old commune went to the new one;
* running it again writes nothing and reports zero new or changed rows.

Units and successions that have disappeared from the package are left alone: agreements and
clusters point at units with ``PROTECT``, and a vanished code is a question for a person.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.db import connection, transaction

from .models import AdministrativeSuccession, AdministrativeUnit, AdminLevel, Era

# Upserts are split so that a single statement stays well below PostgreSQL's parameter limit.
BATCH_SIZE = 2000

# Keys of the dict returned by geography_import(); the command and the tests read them.
CURRENT_PROVINCES = "current_province"
CURRENT_COMMUNES = "current_commune"
LEGACY_PROVINCES = "legacy_province"
LEGACY_DISTRICTS = "legacy_district"
LEGACY_COMMUNES = "legacy_commune"
SUCCESSIONS = "successions"
MAPPED_LEGACY_COMMUNES = "mapped_legacy_communes"
SKIPPED_MAPPINGS = "skipped_mappings"
CREATED_UNITS = "created_units"
UPDATED_UNITS = "updated_units"
CREATED_SUCCESSIONS = "created_successions"
UPDATED_SUCCESSIONS = "updated_successions"


class _PackageUnit(Protocol):
    """What every province, district and ward class of ``vietnam-provinces`` provides."""

    name: str
    code: int
    codename: str
    division_type: str


@dataclass(frozen=True)
class _Row:
    code: int
    name: str
    division_type: str
    codename: str
    parent_id: int | None


def _row(unit: _PackageUnit, parent_id: int | None) -> _Row:
    return _Row(
        code=int(unit.code),
        # Composed form, so that equality, unaccent search and the unique index see one spelling.
        name=unicodedata.normalize("NFC", unit.name),
        # The enums are StrEnums, so str() gives the Vietnamese word ("xã", "thị trấn", ...).
        division_type=str(unit.division_type),
        codename=unit.codename,
        parent_id=parent_id,
    )


def _sync_level(era: str, level: str, rows: Iterable[_Row], counts: dict[str, int]) -> dict[int, int]:
    """Make the units of one era and level match ``rows``; return ``{code: id}`` for those rows.

    Only rows that are missing or differ are sent, so a repeated import issues no writes.
    """
    existing = {
        code: (pk, _Row(code, name, division_type, codename, parent_id))
        for pk, code, name, division_type, codename, parent_id in AdministrativeUnit.objects.filter(
            era=era, level=level
        ).values_list("pk", "code", "name", "division_type", "codename", "parent_id")
    }
    ids: dict[int, int] = {}
    pending: list[AdministrativeUnit] = []
    for row in rows:
        current = existing.get(row.code)
        if current is not None and current[1] == row:
            ids[row.code] = current[0]
            continue
        counts[CREATED_UNITS if current is None else UPDATED_UNITS] += 1
        pending.append(
            AdministrativeUnit(
                era=era,
                level=level,
                code=row.code,
                name=row.name,
                division_type=row.division_type,
                codename=row.codename,
                parent_id=row.parent_id,
            )
        )
    if pending:
        # On PostgreSQL an upsert sets the primary key of every object, inserted or updated.
        AdministrativeUnit.objects.bulk_create(
            pending,
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=["era", "level", "code"],
            update_fields=["name", "division_type", "codename", "parent"],
        )
        ids.update((unit.code, unit.pk) for unit in pending)
    return ids


def _sync_successions(pairs: dict[tuple[int, int], bool], counts: dict[str, int]) -> None:
    """Make the ``(old_id, new_id) → partly`` pairs exist; extra rows already stored are kept."""
    existing = {
        (old_id, new_id): partly
        for old_id, new_id, partly in AdministrativeSuccession.objects.filter(
            old__era=Era.LEGACY, new__era=Era.CURRENT
        ).values_list("old_id", "new_id", "partly")
    }
    pending = []
    for (old_id, new_id), partly in pairs.items():
        stored = existing.get((old_id, new_id))
        if stored is not None and stored == partly:
            continue
        counts[CREATED_SUCCESSIONS if stored is None else UPDATED_SUCCESSIONS] += 1
        pending.append(AdministrativeSuccession(old_id=old_id, new_id=new_id, partly=partly))
    if pending:
        AdministrativeSuccession.objects.bulk_create(
            pending,
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=["old", "new"],
            update_fields=["partly"],
        )


def _ward_conversion() -> dict[int, tuple[tuple[int, bool], ...]]:
    """``{legacy ward code: ((current ward code, partly), ...)}`` from the 2025 conversion table.

    The package's public API (``Ward.search_from_legacy`` / ``Ward.get_legacy_sources``) returns
    the wards but drops ``is_partly_merged`` and needs one call per code, so the table behind it is
    read directly; the package version is pinned in requirements.txt for that reason.
    """
    from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW

    return {
        old_code: tuple((new.code, entry.old_ward.is_partly_merged) for new in entry.new_wards)
        for old_code, entry in OLD_TO_NEW.items()
    }


def geography_import() -> dict[str, int]:
    """Load or refresh both eras and the old → new commune mapping in one transaction.

    Returns the number of units per era and level and of succession pairs that the package
    defines (all of them now in the database), how many of those rows were created or changed by
    this run, and ``skipped_mappings``: conversion-table pairs whose old or new commune the
    package does not list, which therefore cannot be stored.
    """
    # Imported here so that loading the app does not parse several MB of lookup tables.
    from vietnam_provinces import Province, Ward
    from vietnam_provinces.legacy import District as LegacyDistrict
    from vietnam_provinces.legacy import Province as LegacyProvince
    from vietnam_provinces.legacy import Ward as LegacyWard

    counts = dict.fromkeys(
        (CREATED_UNITS, UPDATED_UNITS, CREATED_SUCCESSIONS, UPDATED_SUCCESSIONS, SKIPPED_MAPPINGS), 0
    )
    with transaction.atomic():
        provinces = _sync_level(Era.CURRENT, AdminLevel.PROVINCE, (_row(p, None) for p in Province.iter_all()), counts)
        communes = _sync_level(
            Era.CURRENT,
            AdminLevel.COMMUNE,
            (_row(w, provinces[int(w.province_code)]) for w in Ward.iter_all()),
            counts,
        )
        legacy_provinces = _sync_level(
            Era.LEGACY, AdminLevel.PROVINCE, (_row(p, None) for p in LegacyProvince.iter_all()), counts
        )
        legacy_districts = _sync_level(
            Era.LEGACY,
            AdminLevel.DISTRICT,
            (_row(d, legacy_provinces[int(d.province_code)]) for d in LegacyDistrict.iter_all()),
            counts,
        )
        legacy_communes = _sync_level(
            Era.LEGACY,
            AdminLevel.COMMUNE,
            (_row(w, legacy_districts[int(w.district_code)]) for w in LegacyWard.iter_all()),
            counts,
        )

        pairs: dict[tuple[int, int], bool] = {}
        mapped_old: set[int] = set()
        for old_code, targets in _ward_conversion().items():
            for new_code, partly in targets:
                old_id, new_id = legacy_communes.get(old_code), communes.get(new_code)
                if old_id is None or new_id is None:
                    counts[SKIPPED_MAPPINGS] += 1
                    continue
                pairs[(old_id, new_id)] = partly
                mapped_old.add(old_id)
        _sync_successions(pairs, counts)

    if counts[CREATED_UNITS] or counts[CREATED_SUCCESSIONS]:
        # A first import adds 24,000 rows to empty tables; until autovacuum gets to them the planner
        # believes they are small and joins every list and statistic on a full scan of them.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {AdministrativeUnit._meta.db_table}, {AdministrativeSuccession._meta.db_table}")

    counts.update(
        {
            CURRENT_PROVINCES: len(provinces),
            CURRENT_COMMUNES: len(communes),
            LEGACY_PROVINCES: len(legacy_provinces),
            LEGACY_DISTRICTS: len(legacy_districts),
            LEGACY_COMMUNES: len(legacy_communes),
            SUCCESSIONS: len(pairs),
            MAPPED_LEGACY_COMMUNES: len(mapped_old),
        }
    )
    return counts
