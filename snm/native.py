"""The compiled geoparser core: the hot modules built with mypyc (tools/build_native.py), used
only when they were built from the sources as they are now.

`make setup` compiles the modules of COMPILED into build/native. Each package's `__init__`
puts that directory before its own on `__path__` (see `extend`), so `import geo.resolve` loads
the compiled module, and the source module when there is no current build: after an edit and
before the next `make`, with no C compiler, or with SNM_PURE_PYTHON=1. Both give the same
mentions (tests/test_native.py); the compiled core is about a quarter faster.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import sysconfig
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from snm.settings import REPO

BUILD_DIR = REPO / "build" / "native"
MANIFEST = "manifest.json"
# The modules every geoparse call spends its time in, in dependency order.
COMPILED: tuple[str, ...] = (
    "nlp.normalize", "nlp.shape", "nlp.tokens", "nlp.cues", "nlp.match",
    "geo.context", "geo.unknown", "geo.acceptance", "geo.resolve",
)
# The compiled modules share one runtime library, the module snm.core__mypyc.
GROUP = "snm.core"
# What the compiled code was built against: every module of these packages (a change to any of
# them, a compiled one or one it calls, makes the build stale).
SOURCE_PACKAGES = ("geo", "nlp", "snm")
PURE_PYTHON_VARIABLE = "SNM_PURE_PYTHON"


def source_digest(repo: Path = REPO) -> str:
    """A digest of the top-level modules of SOURCE_PACKAGES, names and contents."""
    digest = hashlib.sha256()
    for path in sorted(p for package in SOURCE_PACKAGES for p in (repo / package).glob("*.py")):
        digest.update(path.relative_to(repo).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def build_tag() -> dict[str, str]:
    """The interpreter a build is for: its cache tag and extension suffix."""
    return {"python": sys.implementation.cache_tag,
            "suffix": str(sysconfig.get_config_var("EXT_SUFFIX") or "")}


def manifest_for(digest: str) -> dict[str, object]:
    """The manifest a build of these sources writes beside its modules."""
    return {"digest": digest, **build_tag(), "modules": list(COMPILED)}


def current_build(build_dir: Path = BUILD_DIR, repo: Path = REPO,
                  environ: Mapping[str, str] = os.environ) -> Path | None:
    """build_dir when it holds a build of the current sources for this interpreter, else None."""
    if environ.get(PURE_PYTHON_VARIABLE, "") not in ("", "0"):
        return None
    try:
        built = json.loads((build_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(built, dict) or built != manifest_for(source_digest(repo)):
        return None
    return build_dir


@lru_cache(maxsize=1)
def _current_build_once() -> Path | None:
    """current_build() of this process, checked once for all packages."""
    return current_build()


def extend(path: list[str], package: str) -> list[str]:
    """A package's __path__ with the compiled build's folder of that package first, when the
    build is current; else the path as it is."""
    build = _current_build_once()
    if build is None or not (build / package).is_dir():
        return path
    return [str(build / package), *path]


def in_use() -> list[str]:
    """The compiled modules that are loaded, among those imported so far."""
    return [name for name in COMPILED
            if name in sys.modules and not str(getattr(sys.modules[name], "__file__", "")).endswith(".py")]
