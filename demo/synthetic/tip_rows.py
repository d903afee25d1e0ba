"""Tips of a synthetic data set, exchanged between the parties of an agreement.

The loop runs millions of times: everything it touches is bound to a local first, pickers are
inlined as bisect_right(cum, rnd() * scale), timestamps as two list lookups.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterator

from demo.synthetic.common import (
    _DATE,
    _DAY_PREFIX,
    _HMS,
    DAYS,
    DEFAULT_WEIGHT,
    NULL,
    SPAN,
    TIP_HOURS,
    TIP_WEIGHTS,
    _day_picker,
    _Picker,
)
from demo.synthetic.registry_rows import _RegistryRows
from demo.synthetic.writer import _tables, _Writer


class _TipRows(_RegistryRows):
    def write_tips(self, categories: list[tuple[int, str, str, str, str]]) -> None:
        n = self.n_tips
        table = _tables("incidents.Tip")[0]
        first = self.w.allocate(table, n)
        self.tip_first = first
        # Per tip, for incidents: its member and receipt; which tips can have led to an incident
        # (verified true or handed over, with a commune).
        t_useful = self.t_useful = array("i")
        t_member = self.t_member = array("i", bytes(4 * n))
        t_received = self.t_received = array("i", bytes(4 * n))
        rnd = self.rng.random
        agreements, clusters, agreement_ids, cluster_ids = self.agreements, self.clusters, self.agreement_ids, \
            self.cluster_ids
        m_commune, m_side, m_last, m_cluster = self.m_commune, self.m_side, self.m_last, self.m_cluster
        commune_police, commune_esc = self.commune_police, self.commune_esc
        done_patrols, p_member, p_end, patrol_first = self.done_patrols, self.p_member, self.p_end, self.patrol_first
        n_done = len(done_patrols)
        active_member = self._active_member
        a_cum, a_scale = self.agreement_picker.cum, self.agreement_picker.scale
        days = _day_picker("tip")
        d_cum, d_scale = days.cum, days.scale
        hours = _Picker(list(range(24)), TIP_HOURS)
        h_cum, h_scale = hours.cum, hours.scale
        category = _Picker(categories, [TIP_WEIGHTS.get(c[1], DEFAULT_WEIGHT) for c in categories])
        reliability = _Picker(list("ABCDEF"), [5, 25, 35, 10, 5, 20])
        credibility = _Picker(list("123456"), [10, 30, 30, 10, 5, 15])
        closed_statuses = _Picker(["verified_true", "verified_false", "handed_over"], [45, 30, 25])
        notes = {"verified_true": "Xác minh: tin đúng, đã xử lý theo quy định",
                 "verified_false": "Xác minh: tin không đúng",
                 "handed_over": "Đã chuyển giao cơ quan có thẩm quyền giải quyết"}
        dp, hms, dates, last = _DAY_PREFIX, _HMS, _DATE, SPAN - 1

        def lines() -> Iterator[list[str]]:
            chunk: list[str] = []
            for i in range(n):
                r = rnd()
                patrol = NULL
                if r < 0.10 and n_done:
                    source = "patrol"
                    p = done_patrols[int(rnd() * n_done)]
                    member = p_member[p]
                    received = p_end[p] + int(rnd() * 7200)
                    if received > last or m_last[member] < received // 86400:
                        received = p_end[p]
                    patrol = patrol_first + p
                    cluster_index = m_cluster[member]
                    with_cluster = with_commune = True
                else:
                    source = "unit" if r < 0.75 else ("public" if r < 0.9 else "own")
                    a = agreements[bisect.bisect_right(a_cum, rnd() * a_scale)]
                    cluster_index = a.cluster_picker.pick(rnd())
                    day = bisect.bisect_right(d_cum, rnd() * d_scale)
                    received = day * 86400 + bisect.bisect_right(h_cum, rnd() * h_scale) * 3600 + int(rnd() * 3600)
                    member = active_member(clusters[cluster_index], day, rnd())
                    with_cluster = rnd() < 0.85
                    with_commune = with_cluster or rnd() < 0.7
                a = agreements[clusters[cluster_index].agreement]
                side = m_side[member]
                commune_id = m_commune[member]
                # From the side that learnt it to the partner; sometimes from a commune police post.
                if rnd() < 0.5:
                    from_unit = a.party_units[side]
                    if rnd() < 0.15 and with_commune:
                        from_unit = commune_police[commune_id]
                    to_unit = a.party_units[1 - side]
                else:
                    from_unit, to_unit = a.party_units[1 - side], a.party_units[side]
                cat_id, _code, _name, cat_lower, _nature = category.pick(rnd())
                rday = received // 86400
                deadline = rday + 15 + int(rnd() * 16)
                # Status by age: open tips are mostly recent, but some are overdue.
                r = rnd()
                if deadline >= DAYS:
                    status = ("received" if r < 0.15 else "verifying") if r < 0.55 else closed_statuses.pick(rnd())
                else:
                    status = ("received" if r < 0.01 else "verifying") if r < 0.04 else closed_statuses.pick(rnd())
                verified = NULL
                if status != "received" and status != "verifying":
                    late = 1.15 if rnd() < 0.1 else 0.95
                    done = received + 3600 + int(rnd() * (deadline - rday) * 86400 * late)
                    if done > last:
                        status = "verifying"
                    elif status != "handed_over":  # as tip_set_status: only a verification sets it
                        verified = dp[done // 86400] + hms[done % 86400]
                if status == "received" and rnd() < 0.5:
                    acknowledged = NULL
                else:
                    t = received + 300 + int(rnd() * 12 * 3600)
                    if t > last:
                        t = last
                    acknowledged = dp[t // 86400] + hms[t % 86400]
                if status == "received" or status == "verifying":
                    jointly = "t" if status == "verifying" and rnd() < 0.3 else "f"
                    note = ""
                else:
                    jointly = "t" if rnd() < 0.45 else "f"
                    note = notes[status]
                    if with_commune and status != "verified_false":
                        t_useful.append(i)
                t_member[i] = member
                t_received[i] = received
                created = received + int(rnd() * 3600)
                if created > last:
                    created = last
                chunk.append(
                    f"{first + i}\t{agreement_ids[a.index]}\t{cluster_ids[cluster_index] if with_cluster else NULL}"
                    f"\t{source}\t{from_unit}\t{to_unit}\t{patrol}\t{dp[rday]}{hms[received % 86400]}\t{cat_id}"
                    f"\t{commune_id if with_commune else NULL}"
                    f"\tTin về {cat_lower} tại {commune_esc[commune_id] if with_commune else 'địa bàn giáp ranh'}"
                    f"\t{reliability.pick(rnd())}\t{credibility.pick(rnd())}\t{status}\t{dates[deadline]}\t{jointly}"
                    f"\t{acknowledged}\t{verified}\t{note}\t{dp[created // 86400]}{hms[created % 86400]}\n"
                )
                if len(chunk) >= _Writer.CHUNK:
                    yield chunk
                    chunk = []
            yield chunk

        self.w.copy("Nguồn tin", table,
                    ["id", "agreement_id", "cluster_id", "source_kind", "from_unit_id", "to_unit_id", "patrol_id",
                     "received_at", "category_id", "commune_id", "summary", "reliability", "credibility", "status",
                     "deadline", "jointly_verified", "acknowledged_at", "verified_at", "verification_note",
                     "created_at"], lines(), expected=n,
                    progress=True)
