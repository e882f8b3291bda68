"""Dask backend of :func:`~allostasis.population.run_trial`: chunks run as tasks on a Dask cluster.

``scheduler="local"`` starts a ``LocalCluster`` (2 worker processes, 1 thread each); any other value
is the address of a running scheduler (``dask scheduler`` + ``dask worker`` on each node; see
docs/population.md). Each task is one chunk through every strategy,
``simulate_chunk_strategies(spec, strategies, start, stop, threads=1)`` (the use phase they share
is simulated once per chunk); subjects carry their own random streams and chunks are 64-aligned, so the results are bit-identical
to an in-process run. Workers need allostasis installed (the same version) and compile the engine
once (numba's on-disk cache).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from allostasis.population._cohort_spec import CohortSpec
from allostasis.population._trial_chunks import simulate_chunk_strategies

__all__ = ["run_on_dask"]

Chunk = tuple[int, int]
ChunkResult = list[tuple[pd.DataFrame, pd.DataFrame | None]]


def run_on_dask(
    spec: CohortSpec,
    strategies: Sequence[str],
    chunks: list[Chunk],
    scheduler: str,
    trajectories: bool,
    collect: Callable[[Chunk, ChunkResult], None],
) -> None:
    """Submit every chunk (through all ``strategies``) to the cluster at ``scheduler`` (or a
    LocalCluster for ``"local"``) and pass each result to ``collect`` as it completes."""
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler == "local":
        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        names = list(strategies)
        futures = {
            client.submit(
                simulate_chunk_strategies,
                spec,
                names,
                a,
                b,
                threads=1,
                trajectories=trajectories,
                pure=False,
            ): (a, b)
            for (a, b) in chunks
        }
        for fut in as_completed(futures):
            collect(futures[fut], fut.result())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
