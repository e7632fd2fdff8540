"""The Dask engine: batches analysed on a LocalCluster or a running scheduler, committed here.

Workers only compute (geoparse, actors, layers); this process writes every part, so the store
needs no shared file system with remote workers, and each part is atomic as in the local engine.
Workers of a remote scheduler must be able to import this repository (same code, same data/).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from snm.errors import StoreError
from snm.pipeline import Pipeline
from store.annotate import analyse


def _client(workers: int, scheduler: str | None, processes: bool) -> tuple[Any, Any]:
    """A Dask client (and the LocalCluster it owns, or None for a given scheduler)."""
    from dask.distributed import Client, LocalCluster
    if scheduler:
        try:
            return Client(scheduler, timeout="10s"), None
        except (OSError, TimeoutError) as err:
            raise StoreError(f"cannot reach the Dask scheduler at {scheduler}: {err}") from None
    if workers < 1:
        raise StoreError("--workers must be at least 1")
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes,
                           dashboard_address=None)
    return Client(cluster), cluster


def run_on_dask(batches: Iterator[Any], done: Callable[[Any, Any], None], pipeline: Pipeline, *,
                workers: int = 2, scheduler: str | None = None, processes: bool = True) -> None:
    """Analyse batches on Dask workers, a bounded number in flight; `done` each as it finishes.

    The pipeline is sent to every worker once (scattered), not with each batch."""
    from dask.distributed import as_completed
    client, cluster = _client(workers, scheduler, processes)
    try:
        shared = client.scatter(pipeline, broadcast=True)
        window = 2 * max(1, len(client.scheduler_info().get("workers", {})) or workers)
        pending: dict[Any, Any] = {}
        finished = as_completed()
        for batch in batches:
            future = client.submit(analyse, batch.articles, shared, pure=False)
            pending[future] = batch
            finished.add(future)
            while len(pending) >= window:
                future = next(finished)
                done(pending.pop(future), future.result())
        for future in finished:
            done(pending.pop(future), future.result())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
