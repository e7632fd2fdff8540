"""Run `python -m store ARGS` and kill -9 this very process at its N-th file-system step.

    python tests/store/killer.py N ARGS...     # SIGKILL at step N (1-based)
    python tests/store/killer.py 0 ARGS...     # run to the end; print "steps: <count>" on stderr

A step is one call that changes the disk: a Parquet file written (killed there, half the file is
left, as a kill in the middle of writing leaves it), a rename, an fsync, a directory made or
removed, a file removed, a journal append. Steps are counted the same way in every run of the same
command on the same input, so a seeded random N is a reproducible kill at a random moment; the
kill itself is a real SIGKILL (no finally block, no flush, the lock released by the kernel).
Used by test_faults.py.
"""
from __future__ import annotations

import atexit
import os
import signal
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any

import pyarrow.parquet as pq

import store.parts as parts
from store.__main__ import main

STEPS = [0]


def _step(kill_at: int, before_kill: Callable[[], None] | None = None) -> None:
    """Count a step; at the chosen one, leave what a kill leaves and die."""
    STEPS[0] += 1
    if STEPS[0] == kill_at:
        if before_kill is not None:
            before_kill()
        os.kill(os.getpid(), signal.SIGKILL)


def _counted(kill_at: int, function: Callable[..., Any]) -> Callable[..., Any]:
    """The function, counted as a step before it runs."""
    @wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        _step(kill_at)
        return function(*args, **kwargs)
    return run


def install(kill_at: int) -> None:
    """Count (and kill at) every disk-changing call the store makes."""
    for name in ("replace", "rename", "fsync", "mkdir", "rmdir", "unlink"):
        setattr(os, name, _counted(kill_at, getattr(os, name)))
    parts._journal_add = _counted(kill_at, parts._journal_add)
    write_table = pq.write_table

    def half_written(table: Any, where: Any, *args: Any, **kwargs: Any) -> None:
        """Write the file; at the chosen step, keep only its first half, then die."""
        write_table(table, where, *args, **kwargs)

        def cut() -> None:
            os.truncate(where, os.path.getsize(where) // 2)
        _step(kill_at, cut)

    pq.write_table = half_written


if __name__ == "__main__":
    at = int(sys.argv[1])
    install(at)
    if at == 0:
        atexit.register(lambda: print(f"steps: {STEPS[0]}", file=sys.stderr))
    sys.exit(main(sys.argv[2:]))
