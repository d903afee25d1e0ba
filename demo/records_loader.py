"""The field-record demo as a whole: the five seeds in order, and the two whose reports quote no figures
(000, 002). Entry point: :func:`load_records_demo`.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from agreements.models import Agreement, MobileTeamMember
from demo import registry
from demo.records import (
    COUNT_KEYS,
    COVID_INCIDENT,
    COVID_PURPOSE,
    INCIDENT_TEXT,
    PROGRAMME_000,
    PROGRAMME_002,
    RANDOM_SEED,
    TIP_TEXT,
    D,
    at,
    local_name,
    place_in,
    spread,
)
from demo.records_figures import QuotedSeeds
from incidents.models import IncidentSource, IncidentStatus, Nature, TipStatus
from patrols.models import Patrol
from patrols.services import ParticipantData


class _Records(QuotedSeeds):
    def run(self) -> dict[str, int]:
        self.seed_000()
        self.seed_001()
        self.seed_002()
        self.seed_003()
        self.seed_004()
        return {key: self.created[key] for key in COUNT_KEYS}

    # Seed 000: Ngũ Hành Sơn – Điện Bàn, covid-19 checkpoints in 2021 ----------------------------------

    def seed_000(self) -> None:
        old = Agreement.objects.get(number=registry.NUMBER_000_OLD)
        new = Agreement.objects.get(number=registry.NUMBER_000_NEW)
        if self.has_records([old, new]):
            return
        rng = random.Random(RANDOM_SEED + 0)
        nhs = self.party(old, "Công an quận Ngũ Hành Sơn")
        db = self.party(old, "Công an thị xã Điện Bàn")
        cluster = new.clusters.get()
        members = self.members(cluster)
        communes = [m.commune for m in members]
        side = {m.commune_id: m.responsible_party.unit for m in members}
        by_name = {c.name: c for c in communes}

        # Covid-19 checkpoints on the paths across the boundary (2021 waves in Đà Nẵng and Quảng Nam).
        for commune, place, starts_on, ends_on, units in (
            ("Phường Hoà Quý", "Đường mòn qua khu vực Làng Đại học, giáp ranh phường Điện Ngọc",
             D(2021, 5, 8), D(2021, 6, 20), [nhs, db]),
            ("Phường Hoà Hải", "Lối mở ven sông Cổ Cò, giáp ranh phường Điện Ngọc",
             D(2021, 5, 8), D(2021, 6, 20), [nhs]),
            ("Phường Điện Ngọc", "Đường mòn giáp ranh phường Hòa Quý, khu vực khối phố Tân Khai",
             D(2021, 7, 31), D(2021, 9, 30), [db, nhs]),
            ("Phường Điện Nam Bắc", "Lối mở qua cánh đồng giáp ranh quận Ngũ Hành Sơn",
             D(2021, 7, 31), D(2021, 9, 30), [db]),
        ):
            self.checkpoint(
                old, place=f"Chốt kiểm soát {place}", commune=by_name[commune], purpose=COVID_PURPOSE,
                starts_on=starts_on, ends_on=ends_on, units=units,
            )

        # 2020–2021 under the 2019 agreement (no cluster yet: communes within the parties' areas).
        for year, n_tips, n_incidents in ((2020, 4, 5), (2021, 10, 12)):
            for i, day in enumerate(spread(rng, D(year, 1, 6), D(year, 12, 10), n_tips)):
                sender, receiver = (nhs, db) if i % 2 == 0 else (db, nhs)
                commune = rng.choice([c for c in communes if side[c.pk] == receiver])
                code = rng.choice(["trom-cap", "khac", "su-dung-ma-tuy", "danh-bac"])
                jointly = rng.random() < 0.6
                self.tip(
                    old, from_unit=sender, to_unit=receiver, received_at=at(day, rng.randint(7, 21)), code=code,
                    summary=rng.choice(TIP_TEXT[code]).format(place=place_in(rng, commune)), commune=commune,
                    status=rng.choice([TipStatus.TRUE, TipStatus.TRUE, TipStatus.FALSE]), jointly=jointly,
                )
            for i, day in enumerate(spread(rng, D(year, 1, 10), D(year, 12, 15), n_incidents)):
                commune = rng.choice(communes)
                code = "khac" if year == 2021 and i % 4 == 1 else rng.choice(["trom-cap", "gay-roi", "danh-bac"])
                covid = code == "khac"
                self._background_incident(
                    rng, old, day=day, commune=commune, code=code, lead=side[commune.pk],
                    partner=db if side[commune.pk] == nhs else nhs,
                    text=COVID_INCIDENT if covid else None,
                    nature=Nature.ADMINISTRATIVE if covid else None,
                )

        # 2022–2024 under the 2021 agreement, in the cluster of border wards.
        for year, n_patrols, n_tips, n_incidents in ((2022, 8, 5, 6), (2023, 5, 4, 5), (2024, 4, 3, 4)):
            for i, day in enumerate(spread(rng, D(year, 1, 8), D(year, 12, 20), n_patrols)):
                lead, partner = (nhs, db) if i % 2 == 0 else (db, nhs)
                pair = [by_name["Phường Hoà Quý"], by_name["Phường Điện Ngọc"]] if i % 3 else [
                    by_name["Phường Hoà Hải"], by_name["Phường Điện Nam Bắc"]]
                self.patrol(
                    new, cluster=cluster, lead=lead, parts=[(lead, rng.choice([4, 5])), (partner, 4)],
                    started_at=at(day, 20), minutes=180, communes=pair, programme=PROGRAMME_000,
                    route="Các tuyến đường, đường mòn, lối mở giáp ranh "
                    + " – ".join(local_name(c) for c in pair),
                    findings="Kiểm tra hành chính, nhắc nhở các nhóm thanh niên tụ tập; không phát hiện vi phạm.",
                )
            for i, day in enumerate(spread(rng, D(year, 1, 5), D(year, 12, 10), n_tips)):
                sender, receiver = (nhs, db) if i % 2 else (db, nhs)
                commune = rng.choice(communes)
                code = rng.choice(["trom-cap", "khac", "su-dung-ma-tuy", "danh-bac", "gay-roi"])
                self.tip(
                    new, cluster=cluster, from_unit=sender, to_unit=receiver, received_at=at(day, rng.randint(7, 21)),
                    code=code, summary=rng.choice(TIP_TEXT[code]).format(place=place_in(rng, commune)),
                    commune=commune, status=rng.choice([TipStatus.TRUE, TipStatus.FALSE]), jointly=rng.random() < 0.7,
                )
            for day in spread(rng, D(year, 1, 12), D(year, 12, 15), n_incidents):
                commune = rng.choice(communes)
                lead = side[commune.pk]
                self._background_incident(
                    rng, new, cluster=cluster, day=day, commune=commune,
                    code=rng.choice(["trom-cap", "trom-cap", "gay-roi", "danh-bac", "su-dung-ma-tuy", "cuop-giat"]),
                    lead=lead, partner=db if lead == nhs else nhs,
                )

    # Seed 002: Nho Quan – Thạch Thành, the mobile team's patrols after 08/08/2019 ------------------

    def seed_002(self) -> None:
        agreement = Agreement.objects.get(number=registry.NUMBER_002)
        if self.has_records([agreement]):
            return
        rng = random.Random(RANDOM_SEED + 2)
        cluster = agreement.clusters.get()
        members = self.members(cluster)
        police = {m.commune_id: m.responsible_party.unit for m in members}
        nho_quan = [m.commune for m in members if m.commune.parent.name == "Huyện Nho Quan"]
        thach_thanh = [m.commune for m in members if m.commune.parent.name != "Huyện Nho Quan"]
        team: dict[int, list[MobileTeamMember]] = {}
        for member in MobileTeamMember.objects.filter(team__cluster=cluster).order_by("commune__code", "pk"):
            team.setdefault(member.commune_id, []).append(member)
        pairs = list(zip(nho_quan, thach_thanh, strict=True))

        patrols: list[Patrol] = []
        for i, day in enumerate(spread(rng, D(2019, 8, 15), D(2019, 12, 28), 16)):
            a, b = pairs[i % len(pairs)]
            lead_commune, partner_commune = (a, b) if (i // len(pairs)) % 2 == 0 else (b, a)
            lead, partner = police[lead_commune.pk], police[partner_commune.pk]
            people = [
                ParticipantData(full_name=m.full_name, rank=m.rank, unit=police[c.pk])
                for c in (lead_commune, partner_commune) for m in team.get(c.pk, [])
            ]
            patrols.append(self.patrol(
                agreement, cluster=cluster, lead=lead, parts=[(lead, 3), (partner, 3)],
                started_at=at(day, rng.choice([19, 20, 21])), minutes=rng.choice([150, 180, 210]),
                communes=[lead_commune, partner_commune], programme=PROGRAMME_002, participants=people,
                route=f"Các tuyến đường liên xã giáp ranh {local_name(lead_commune)} – {local_name(partner_commune)}",
                findings="Tuyên truyền nhân dân về quy chế của cụm; kiểm tra các điểm tụ tập thanh niên ban đêm.",
            ))

        for i, day in enumerate(spread(rng, D(2019, 8, 20), D(2019, 12, 20), 6)):
            a, b = pairs[i % len(pairs)]
            sender, receiver = (police[a.pk], police[b.pk]) if i % 2 else (police[b.pk], police[a.pk])
            commune = b if receiver == police[b.pk] else a
            code = rng.choice(["khac", "trom-cap", "danh-bac"])
            self.tip(
                agreement, cluster=cluster, from_unit=sender, to_unit=receiver, commune=commune,
                received_at=at(day, rng.randint(7, 20)), code=code,
                summary=rng.choice(TIP_TEXT[code]).format(place=place_in(rng, commune)),
                status=rng.choice([TipStatus.TRUE, TipStatus.FALSE]), jointly=True,
            )
        # Two incidents found by the team's patrols, a few reported by the public.
        for patrol in (patrols[3], patrols[11]):
            commune = patrol.communes.order_by("code").first()
            occurred = patrol.started_at + datetime.timedelta(minutes=70)
            self.incident(
                agreement, cluster=cluster, occurred_at=occurred, commune=commune, code="danh-bac",
                nature=Nature.ADMINISTRATIVE, lead=patrol.lead_unit, source=IncidentSource.PATROL, patrols=[patrol],
                summary=INCIDENT_TEXT["danh-bac"][2].format(place=place_in(rng, commune)),
                supporting=[u for u in police.values() if u != patrol.lead_unit and patrol.participations.filter(
                    unit=u).exists()],
                status=IncidentStatus.SANCTIONED, solved_at=occurred + datetime.timedelta(hours=3), suspects=4,
                dealt_with=4,
            )
        for day in spread(rng, D(2019, 8, 25), D(2019, 12, 20), 6):
            commune = rng.choice([m.commune for m in members])
            self._background_incident(
                rng, agreement, cluster=cluster, day=day, commune=commune, lead=police[commune.pk], partner=None,
                code=rng.choice(["trom-cap", "gay-roi", "khac"]), nature=Nature.ADMINISTRATIVE,
            )


def load_records_demo() -> dict[str, int]:
    """Create the field records of the five seeds (after the registry demo) in one transaction.

    Returns how many objects of each kind (``COUNT_KEYS``) this run created; a seed whose
    agreement already has records is skipped, so a second run returns zeros everywhere.
    """
    with transaction.atomic():
        return _Records().run()
