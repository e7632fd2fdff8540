"""Compile the geoparser's hot modules (snm.native.COMPILED) with mypyc into build/native.

    .venv/bin/python tools/build_native.py [--strict]

`make setup` runs it when a module of geo/, nlp/ or snm/ changed. mypyc comes with mypy (a
pinned dependency); it needs a C compiler and the Python headers. Without them, or when the
build fails, it says so and leaves no build: the packages then load their source modules, which
give the same mentions, more slowly. --strict makes a failed build an error (exit 1).
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from contextlib import chdir
from pathlib import Path

from snm.native import BUILD_DIR, COMPILED, GROUP, MANIFEST, manifest_for, source_digest
from snm.settings import REPO


def module_path(module: str) -> str:
    """The source file of a module, relative to the repository."""
    return module.replace(".", "/") + ".py"


def compile_into(out: Path, work: Path) -> None:
    """Compile COMPILED into the package folders of out (C sources and objects under work)."""
    from mypyc.build import mypycify  # only the build needs mypyc
    from setuptools import setup

    with chdir(REPO):  # mypy names the modules from their paths
        extensions = mypycify([module_path(m) for m in COMPILED], group_name=GROUP,
                              target_dir=str(work / "c"), opt_level="3")
    work.mkdir(parents=True, exist_ok=True)
    with chdir(work):  # not the project's folder: setup() would read its pyproject.toml
        setup(name="snm-native", ext_modules=extensions, script_args=[
            "--quiet", "build_ext", "--build-lib", str(out), "--build-temp", str(work / "o")])


def build(build_dir: Path = BUILD_DIR) -> None:
    """Build into a temporary folder, then replace build_dir with it (never half a build)."""
    digest = source_digest()
    build_dir.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=build_dir.parent, prefix=".native-") as tmp:
        out, work = Path(tmp) / "out", Path(tmp) / "work"
        compile_into(out, work)
        missing = [m for m in (*COMPILED, GROUP + "__mypyc")
                   if not list(out.glob(m.replace(".", "/") + ".*.so"))]
        if missing:
            raise RuntimeError(f"the build made no extension for {', '.join(missing)}")
        (out / MANIFEST).write_text(json.dumps(manifest_for(digest), indent=1) + "\n",
                                    encoding="utf-8")
        shutil.rmtree(build_dir, ignore_errors=True)
        out.rename(build_dir)


def main(argv: list[str] | None = None) -> int:
    """Build, or say why not."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", help="exit 1 when the build fails")
    args = parser.parse_args(argv)
    shutil.rmtree(BUILD_DIR, ignore_errors=True)  # a stale build is never used; remove it now
    try:
        build()
    except (Exception, SystemExit) as exc:  # mypy and setuptools report failures by exiting
        print(f"build_native: the compiled geoparser core was not built ({type(exc).__name__}: {exc}); "
              "the source modules are used (same results, slower)", file=sys.stderr)
        return 1 if args.strict else 0
    print(f"build_native: compiled {len(COMPILED)} modules into {BUILD_DIR.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
