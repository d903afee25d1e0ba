"""Deterministic, national-scale synthetic data for benchmarks (``manage.py generate_data``).

What one run writes, from one seed (the same seed gives the same rows, only the ids differ):

* district police units for pairs of adjacent legacy districts ("adjacent" is approximated by
  districts close to each other in code order within a province, or the last and first district of
  neighbouring province codes) and commune police units under them, all named ``[Giả lập] …``;
* agreements numbered ``GL-…`` with their two parties and the five coordination areas, signed in
  2019–2020 and ending on 28/02/2025 with the district police (docs/ARCHITECTURE.md,
  "Administrative eras"); one or two clusters each,
  with 2–8 legacy communes per side, a few of which leave the cluster during the data's period;
* joint patrols (with participations, officer_total = their sum, and the communes patrolled), tips
  between the parties (realistic status mix, deadlines, some overdue open ones, joint verification)
  and incidents (taxonomy categories, nature, lead unit, commune that was a member of the incident's
  cluster on that day, status mix, solved_at ≥ occurred_at for cleared cases, suspects dealt with
  ≤ suspects, supporting units when jointly handled, links to the tip or patrol it came from),
  spread over 01/01/2021–28/02/2025 in Asia/Ho_Chi_Minh, with a slight yearly decline and a Tết peak.

No row outside those agreements and units is written or deleted: the demo data (``demo.registry``)
and everything people entered stay as they are. :func:`clear_synthetic` removes a previous run: the
``GL-`` agreements, the ``[Giả lập]`` units and every row that references them.

Speed: rows are formatted in Python and streamed with PostgreSQL ``COPY`` (psycopg 3), so Python and
the server work on both cores at once; ids are allocated up front from each table's sequence under a
table lock, so children are written without reading anything back; the secondary indexes of big
tables are rebuilt once after their COPY instead of being maintained row by row
(:data:`~demo.synthetic.writer.INDEX_REBUILD_THRESHOLD`). The default load (1,000,000 incidents,
500,000 patrols, 300,000 tips, 4.6 million rows in all) takes about 45 s on the 2-core development
machine.

The load is not audited, on purpose. The pghistory triggers answer "who changed this record, when
and how"; generated rows are no record of anything, and auditing them would write one event per
row (millions of ``…event`` rows that bury the real history) and double the cost of the load. The
triggers are bypassed for this transaction only — ``SET LOCAL session_replication_role = replica``
when the database role may set it, otherwise pgtrigger's own transaction-local ``pgtrigger.ignore``
— so other sessions, and later edits of synthetic rows through the application, are audited as
usual. In replica mode PostgreSQL also skips the foreign-key checks: integrity then rests on this
package (every id written was allocated or read in the same transaction under a lock), and
:func:`integrity_problems` checks it after the fact (the tests run it).
"""

from demo.synthetic.clearing import clear_synthetic, integrity_problems, table_sizes
from demo.synthetic.common import (
    DEFAULT_AGREEMENTS,
    DEFAULT_INCIDENTS,
    DEFAULT_PATROLS,
    DEFAULT_SEED,
    DEFAULT_TIPS,
    DISTRICT_POLICE_LAST_DAY,
    END_DAY,
    FIRST_DAY,
    SYNTHETIC_AGREEMENT_PREFIX,
    SYNTHETIC_UNIT_PREFIX,
    SyntheticDataError,
    vi_number,
)
from demo.synthetic.generation import GenerationResult, generate, synthetic_exists

__all__ = [
    "DEFAULT_AGREEMENTS",
    "DEFAULT_INCIDENTS",
    "DEFAULT_PATROLS",
    "DEFAULT_SEED",
    "DEFAULT_TIPS",
    "DISTRICT_POLICE_LAST_DAY",
    "END_DAY",
    "FIRST_DAY",
    "SYNTHETIC_AGREEMENT_PREFIX",
    "SYNTHETIC_UNIT_PREFIX",
    "GenerationResult",
    "SyntheticDataError",
    "clear_synthetic",
    "generate",
    "integrity_problems",
    "synthetic_exists",
    "table_sizes",
    "vi_number",
]
