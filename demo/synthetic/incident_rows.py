"""Incidents of a synthetic data set, with their supporting units and the tips and patrols they came from.

The loop runs millions of times: everything it touches is bound to a local first, pickers are
inlined as bisect_right(cum, rnd() * scale), timestamps as two list lookups.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator

from demo.synthetic.common import (
    _DAY_PREFIX,
    _HMS,
    DEFAULT_WEIGHT,
    INCIDENT_HOURS,
    INCIDENT_WEIGHTS,
    MIXED_NATURE,
    NULL,
    PLACES,
    SPAN,
    _day_picker,
    _Picker,
)
from demo.synthetic.registry_rows import _RegistryRows
from demo.synthetic.writer import _m2m_table, _tables, _Writer


class _IncidentRows(_RegistryRows):
    def write_incidents(self, categories: list[tuple[int, str, str, str, str]]) -> None:
        n = self.n_incidents
        table = _tables("incidents.Incident")[0]
        first = self.w.allocate(table, n)
        supporting_lines: list[str] = []
        tip_lines: list[str] = []
        patrol_lines: list[str] = []
        rng = self.rng
        rnd, expovariate = rng.random, rng.expovariate
        agreements, clusters, agreement_ids, cluster_ids = self.agreements, self.clusters, self.agreement_ids, \
            self.cluster_ids
        m_commune, m_side, m_last, m_cluster = self.m_commune, self.m_side, self.m_last, self.m_cluster
        commune_police, commune_esc = self.commune_police, self.commune_esc
        done_patrols, p_member, p_start, p_end = self.done_patrols, self.p_member, self.p_start, self.p_end
        n_done = len(done_patrols)
        useful_tips, t_member, t_received = self.t_useful, self.t_member, self.t_received
        n_useful = len(useful_tips)
        patrol_first, tip_first = self.patrol_first, self.tip_first
        active_member = self._active_member
        a_cum, a_scale = self.agreement_picker.cum, self.agreement_picker.scale
        days = _day_picker("incident")
        d_cum, d_scale = days.cum, days.scale
        hours = _Picker(list(range(24)), INCIDENT_HOURS)
        h_cum, h_scale = hours.cum, hours.scale
        category = _Picker(categories, [INCIDENT_WEIGHTS.get(c[1], DEFAULT_WEIGHT) for c in categories])
        c_cum, c_scale, c_values = category.cum, category.scale, category.values
        criminal_cleared = _Picker(["solved", "prosecuted", "closed"], [35, 45, 20])
        administrative_cleared = _Picker(["sanctioned", "solved", "closed"], [75, 10, 15])
        open_statuses = _Picker(["investigating", "suspended", "received"], [70, 20, 10])
        places = [p.format(n=k) for p in PLACES for k in range(1, 13)]
        n_places = len(places)
        dp, hms, last = _DAY_PREFIX, _HMS, SPAN - 1
        add_support = supporting_lines.append

        def lines() -> Iterator[list[str]]:
            chunk: list[str] = []
            for i in range(n):
                iid = first + i
                r = rnd()
                if r < 0.12 and n_done:
                    source = "patrol"
                    p = done_patrols[int(rnd() * n_done)]
                    member = p_member[p]
                    occurred = p_start[p] + int(rnd() * (p_end[p] - p_start[p]))
                    patrol_lines.append(f"{iid}\t{patrol_first + p}\n")
                elif r < 0.27 and n_useful:
                    source = "tip"
                    t = useful_tips[int(rnd() * n_useful)]
                    member = t_member[t]
                    received = t_received[t]
                    occurred = received + 3600 + int(rnd() * 10 * 86400)
                    if occurred > last or m_last[member] < occurred // 86400:
                        occurred = received
                    tip_lines.append(f"{iid}\t{tip_first + t}\n")
                else:
                    source = "public" if r < 0.75 else "own"
                    a = agreements[bisect.bisect_right(a_cum, rnd() * a_scale)]
                    day = bisect.bisect_right(d_cum, rnd() * d_scale)
                    occurred = day * 86400 + bisect.bisect_right(h_cum, rnd() * h_scale) * 3600 + int(rnd() * 3600)
                    member = active_member(clusters[a.cluster_picker.pick(rnd())], day, rnd())
                cluster_index = m_cluster[member]
                a = agreements[clusters[cluster_index].agreement]
                side = m_side[member]
                commune_id = m_commune[member]
                cat_id, code, cat_name, _lower, nature = c_values[bisect.bisect_right(c_cum, rnd() * c_scale)]
                if code in MIXED_NATURE and rnd() < 0.2:
                    nature = "administrative" if nature == "criminal" else "criminal"
                criminal = nature == "criminal"
                # Lead: the responsible party, or the commune police; sometimes handled jointly.
                district_police = a.party_units[side]
                local_police = commune_police[commune_id]
                lead = local_police if rnd() < 0.25 else district_police
                jointly = rnd() < 0.35
                if jointly:
                    add_support(f"{iid}\t{a.party_units[1 - side]}\n")
                    if rnd() < 0.3:
                        add_support(f"{iid}\t{district_police if lead == local_police else local_police}\n")
                # Outcome: cleared with a delay (criminal cases take weeks, administrative days).
                r = rnd()
                solved = -1
                if r < (0.78 if criminal else 0.92):
                    if criminal:
                        delay = int(expovariate(1 / (2 * 86400) if r < 0.3 else 1 / (30 * 86400)))
                    else:
                        delay = int(expovariate(1 / (1.5 * 86400)))
                    if occurred + 1800 + delay <= last:
                        solved = occurred + 1800 + delay
                if solved >= 0:
                    status = (criminal_cleared if criminal else administrative_cleared).pick(rnd())
                    suspects = 1 + int(rnd() * rnd() * 6)
                    dealt = suspects if rnd() < 0.8 else int(rnd() * (suspects + 1))
                    outcome = f"Đã làm rõ, xử lý {dealt:02d} đối tượng"
                    solved_at = dp[solved // 86400] + hms[solved % 86400]
                else:
                    status = open_statuses.pick(rnd())
                    suspects = 0 if rnd() < 0.6 else 1 + int(rnd() * 3)
                    dealt = 0 if rnd() < 0.9 else int(rnd() * (suspects + 1))
                    outcome = ""
                    solved_at = NULL
                created = occurred + int(rnd() * 48 * 3600)
                if created > last:
                    created = last
                chunk.append(
                    f"{iid}\t{agreement_ids[a.index]}\t{cluster_ids[cluster_index]}"
                    f"\t{dp[occurred // 86400]}{hms[occurred % 86400]}\t{commune_id}\t{places[int(rnd() * n_places)]}"
                    f"\t{cat_id}\t{nature}\t{cat_name} tại {commune_esc[commune_id]}\t{lead}\t{source}\t{status}"
                    f"\t{solved_at}\t{suspects}\t{dealt}\t{outcome}\t{'t' if jointly else 'f'}"
                    f"\t{dp[created // 86400]}{hms[created % 86400]}\n"
                )
                if len(chunk) >= _Writer.CHUNK:
                    yield chunk
                    chunk = []
            yield chunk

        self.w.copy("Vụ việc", table,
                    ["id", "agreement_id", "cluster_id", "occurred_at", "commune_id", "place", "category_id", "nature",
                     "summary", "lead_unit_id", "source", "status", "solved_at", "suspects", "suspects_dealt_with",
                     "outcome", "jointly_handled", "created_at"], lines(), expected=n,
                    progress=True)
        self.w.copy_lines("Đơn vị phối hợp giải quyết vụ việc", _m2m_table("incidents.Incident", "supporting_units"),
                          ["incident_id", "unit_id"], supporting_lines)
        self.w.copy_lines("Vụ việc – nguồn tin", _m2m_table("incidents.Incident", "tips"),
                          ["incident_id", "tip_id"], tip_lines)
        self.w.copy_lines("Vụ việc – ca tuần tra", _m2m_table("incidents.Incident", "patrols"),
                          ["incident_id", "patrol_id"], patrol_lines)
