"""Joint patrols of a synthetic data set, with their participations and the communes patrolled.

The loop runs millions of times: everything it touches is bound to a local first, pickers are
inlined as bisect_right(cum, rnd() * scale), timestamps as two list lookups.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterator

from demo.synthetic.common import _DAY_PREFIX, _HMS, DAYS, NULL, PATROL_HOURS, PROGRAMMES, SPAN, _day_picker, _Picker
from demo.synthetic.registry_rows import _RegistryRows
from demo.synthetic.writer import _m2m_table, _tables, _Writer


class _PatrolRows(_RegistryRows):
    def write_patrols(self) -> None:
        n = self.n_patrols
        table = _tables("patrols.Patrol")[0]
        first = self.w.allocate(table, n)
        self.patrol_first = first
        # Per patrol, for tips and incidents: a representative member, its start and end, done or not.
        p_member = self.p_member = array("i", bytes(4 * n))
        p_start = self.p_start = array("i", bytes(4 * n))
        p_end = self.p_end = array("i", bytes(4 * n))
        p_done = self.p_done = bytearray(n)
        participation_lines: list[str] = []
        commune_lines: list[str] = []
        rnd = self.rng.random
        agreements, clusters, agreement_ids, cluster_ids = self.agreements, self.clusters, self.agreement_ids, \
            self.cluster_ids
        m_commune, commune_police, commune_esc = self.m_commune, self.commune_police, self.commune_esc
        active_member = self._active_member
        a_cum, a_scale = self.agreement_picker.cum, self.agreement_picker.scale
        days = _day_picker("patrol")
        d_cum, d_scale = days.cum, days.scale
        hours = _Picker(list(range(24)), PATROL_HOURS)
        h_cum, h_scale = hours.cum, hours.scale
        dp, hms, last = _DAY_PREFIX, _HMS, SPAN - 1
        last_days = DAYS - 14
        add_participation, add_commune = participation_lines.append, commune_lines.append

        def lines() -> Iterator[list[str]]:
            chunk: list[str] = []
            for i in range(n):
                a = agreements[bisect.bisect_right(a_cum, rnd() * a_scale)]
                cluster_index = a.cluster_picker.pick(rnd())
                with_cluster = rnd() < 0.9
                day = bisect.bisect_right(d_cum, rnd() * d_scale)
                start = day * 86400 + bisect.bisect_right(h_cum, rnd() * h_scale) * 3600 + int(rnd() * 4) * 900
                end = start + (4 + int(rnd() * 9)) * 1800
                if end > last:
                    end = last
                # Communes patrolled: 1–4 members of the cluster on the patrol's last day.
                cluster = clusters[cluster_index]
                end_day = end // 86400
                picked: list[int] = []
                for _ in range(1 + int(rnd() * rnd() * 4)):
                    member = active_member(cluster, end_day, rnd())
                    if member not in picked:
                        picked.append(member)
                p_member[i], p_start[i], p_end[i] = picked[0], start, end
                pid = first + i
                # Participations: both parties, sometimes the commune police of patrolled communes.
                party_a, party_b = a.party_units
                units = [(party_a, 2 + int(rnd() * 7)), (party_b, 2 + int(rnd() * 7))]
                if rnd() < 0.4:
                    for member in picked[:2]:
                        units.append((commune_police[m_commune[member]], 1 + int(rnd() * 4)))
                r = rnd()
                lead = units[2][0] if r < 0.1 and len(units) > 2 else (party_a if r < 0.55 else party_b)
                total = 0
                for unit, officers in units:
                    add_participation(f"{pid}\t{unit}\t{officers}\n")
                    total += officers
                for member in picked:
                    add_commune(f"{pid}\t{m_commune[member]}\n")
                # Status: planned patrols only near the end of the period (and a few never updated).
                r = rnd()
                if day >= last_days:
                    status = "planned" if r < 0.4 else "done"
                else:
                    status = "confirmed" if r < 0.55 else ("done" if r < 0.98 else "planned")
                if status == "confirmed":
                    t = end + 3600 + int(rnd() * 47 * 3600)
                    if t > last:
                        t = last
                    confirmed_at = dp[t // 86400] + hms[t % 86400]
                    p_done[i] = 1
                else:
                    confirmed_at = NULL
                    p_done[i] = status == "done"
                if status == "planned":
                    created = start - 86400 - int(rnd() * 2 * 86400)
                    if created < 0:
                        created = 0
                else:
                    created = end + int(rnd() * 6 * 3600)
                    if created > last:
                        created = last
                r = rnd()
                programme = PROGRAMMES[int(r * 10)] if r < 0.4 else ""
                route = " – ".join([commune_esc[m_commune[m]] for m in picked])
                findings = f"Nhắc nhở {1 + int(rnd() * 5)} trường hợp vi phạm trật tự" if rnd() < 0.15 else ""
                chunk.append(
                    f"{pid}\t{agreement_ids[a.index]}\t{cluster_ids[cluster_index] if with_cluster else NULL}"
                    f"\t{programme}\t{dp[start // 86400]}{hms[start % 86400]}\t{dp[end // 86400]}{hms[end % 86400]}"
                    f"\t{route}\t{lead}\t{findings}\t{status}\t{confirmed_at}"
                    f"\t{dp[created // 86400]}{hms[created % 86400]}\t{total}\n"
                )
                if len(chunk) >= _Writer.CHUNK:
                    yield chunk
                    chunk = []
            yield chunk

        self.w.copy("Ca tuần tra chung", table,
                    ["id", "agreement_id", "cluster_id", "programme", "started_at", "ended_at", "route", "lead_unit_id",
                     "findings", "status", "confirmed_at", "created_at", "officer_total"], lines(), expected=n,
                    progress=True)
        self.w.copy_lines("Đơn vị tham gia tuần tra", _tables("patrols.PatrolParticipation")[0],
                          ["patrol_id", "unit_id", "officers"], participation_lines)
        participation_lines.clear()
        self.w.copy_lines("Xã, phường tuần tra qua", _m2m_table("patrols.Patrol", "communes"),
                          ["patrol_id", "administrativeunit_id"], commune_lines)
        self.done_patrols = array("i", (i for i in range(n) if p_done[i]))
