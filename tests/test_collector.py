"""The garbage collector pause around geoparse leaves the collector as it found it."""
from __future__ import annotations

import gc
import threading

from snm.collector import collector_paused


def test_pause_nests_and_restores_the_collector():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer block still runs
    assert gc.isenabled()


def test_pause_leaves_a_disabled_collector_disabled():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_pause_restores_the_collector_after_an_error_and_across_threads():
    def work():
        for _ in range(200):
            with collector_paused():
                pass
    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        with collector_paused():
            raise ValueError("bad article")
    except ValueError:
        pass
    for t in threads:
        t.join()
    assert gc.isenabled()
