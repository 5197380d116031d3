"""Corpus mode: an archive of articles parsed on a Dask cluster into a Parquet dataset of place
mentions, a per-place summary, and DuckDB queries over them for the dashboard.

| module | what |
|---|---|
| ``geo.corpus.inputs`` | a folder of files, or JSON Lines / CSV / Parquet rows, as ``Article`` values in batches |
| ``geo.corpus.work`` | what a worker does: one Geoparser per process, a batch parsed and written as Parquet |
| ``geo.corpus.tuning`` | a worker's malloc thresholds and the local cluster's Dask settings (no profiler) |
| ``geo.corpus.run`` | the client: the gazetteer built once, the cluster, the batches submitted, resumed, shown |
| ``geo.corpus.summary`` | the per-place summary table, written with DuckDB |
| ``geo.corpus.query`` | read-only DuckDB queries over a corpus's Parquet files (the dashboard's) |
| ``geo.corpus.mapping`` | the corpus map: the article map's (``geo.map.mapview``), or a heat map |

Nothing here imports dask, pyarrow or duckdb at import time; each module imports them where used.
"""

from __future__ import annotations

__all__: list[str] = []
