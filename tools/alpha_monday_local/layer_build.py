"""Builds what Lambda runs, with its bytecode: `sam build` calls this for the shared layer
and the dashboard function (`BuildMethod: makefile`), and the benchmark and the tests call
it for this machine's platform.

Lambda's `/opt` and `/var/task` are read-only, so a module without a `.pyc` is compiled
again on every cold start. SAM writes zip entries with 1980 timestamps, which would make
timestamp-based `.pyc` look stale: the bytecode is hash-based (PEP 552,
`unchecked-hash`: the runtime trusts it without reading the source), and compiled by the
runtime's own Python minor version, whose magic number it carries.

Run: .venv/bin/python -m alpha_monday_local.layer_build layer --target DIR [--platform P]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from alpha_monday.dashboard.rendering import COMPILED_TEMPLATES, compile_templates
from alpha_monday.release import RELEASE_FILE
from alpha_monday_local.paths import PROJECT_ROOT

RUNTIME_PYTHON_VERSION = "3.11"
LAMBDA_PLATFORM = "manylinux2014_aarch64"  # the functions run on arm64
LAYER_REQUIREMENTS = PROJECT_ROOT / "layers" / "core" / "requirements.txt"
PACKAGE_DIR = PROJECT_ROOT / "layers" / "core" / "alpha_monday"
DASHBOARD_DIR = PROJECT_ROOT / "functions" / "dashboard"
FUNCTIONS_DIR = PROJECT_ROOT / "functions"
# PEP 552: the flags word after the magic number; bit 0 set means hash-based.
HASH_BASED_FLAG = 0b01


def runtime_python(version: str = RUNTIME_PYTHON_VERSION) -> str:
    """The interpreter of the runtime's minor version on this machine (python3.11...)."""
    found = shutil.which(f"python{version}")
    if found is None:
        raise SystemExit(f"python{version} is needed to compile the runtime's bytecode")
    return found


def install_requirements(
    site: Path, requirements: Path, platform: str | None, python_version: str
) -> None:
    """Wheels for the target platform (or this machine), installed without any bytecode."""
    command = [
        sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
        "--no-compile", "--target", str(site), "--requirement", str(requirements),
    ]  # fmt: skip
    if platform is not None:
        command += [
            "--platform", platform, "--implementation", "cp",
            "--python-version", python_version, "--only-binary=:all:",
        ]  # fmt: skip
    subprocess.run(command, check=True)


def compile_bytecode(site: Path, python: str) -> None:
    subprocess.run(
        [
            python, "-m", "compileall", "-q", "-j", "0",
            "--invalidation-mode", "unchecked-hash", str(site),
        ],
        check=True,
    )  # fmt: skip


def bytecode_identity(python: str) -> tuple[bytes, str]:
    """The interpreter's magic number and cache tag (`cpython-311`)."""
    output = subprocess.run(
        [
            python, "-c",
            "import importlib.util,sys;"
            "sys.stdout.buffer.write(importlib.util.MAGIC_NUMBER+sys.implementation.cache_tag.encode())",
        ],
        check=True,
        capture_output=True,
    ).stdout  # fmt: skip
    return output[:4], output[4:].decode()


def bytecode_problems(site: Path, python: str) -> list[str]:
    """Every module without a hash-based `.pyc` of the runtime's version, and why."""
    magic, tag = bytecode_identity(python)
    problems = []
    for source in sorted(site.rglob("*.py")):
        compiled = source.parent / "__pycache__" / f"{source.stem}.{tag}.pyc"
        relative = source.relative_to(site)
        if not compiled.exists():
            problems.append(f"{relative}: no {compiled.name}")
            continue
        header = compiled.read_bytes()[:8]
        if header[:4] != magic:
            problems.append(f"{relative}: compiled by another Python version")
        elif not int.from_bytes(header[4:8], "little") & HASH_BASED_FLAG:
            problems.append(f"{relative}: timestamp-based, stale in a 1980-dated zip")
    return problems


def source_release() -> str:
    """A digest of everything that shapes an answer: the package's files (sources,
    templates, migrations, the analysis plan), every handler and the pinned requirements.
    Two builds of the same commit get the same release; any change gets another."""
    built = {COMPILED_TEMPLATES.name, RELEASE_FILE.name, "__pycache__"}
    files = [LAYER_REQUIREMENTS, *FUNCTIONS_DIR.glob("*/app.py")]
    files += FUNCTIONS_DIR.glob("*/requirements.txt")
    # Links followed, as the build copies them: the migrations and the analysis plan.
    for folder, folders, names in os.walk(PACKAGE_DIR, followlinks=True):
        folders[:] = [name for name in folders if name not in built]
        files += [Path(folder) / name for name in names if name not in built]
    digest = hashlib.sha256()
    for path in sorted(files, key=_project_path):
        digest.update(_project_path(path).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _project_path(path: Path) -> str:
    return path.relative_to(PROJECT_ROOT).as_posix()


def build_layer(target: Path, *, platform: str | None, python: str) -> Path:
    """The layer's `python/` folder: its dependencies, the package (migrations included)."""
    site = target / "python"
    install_requirements(site, LAYER_REQUIREMENTS, platform, _minor_version(python))
    shutil.copytree(
        PACKAGE_DIR,
        site / PACKAGE_DIR.name,
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        dirs_exist_ok=True,
    )  # symlinks followed: the migrations' SQL is copied in
    # The pages' templates as modules (Jinja2 is the dev venv's, the version the pages ship).
    compile_templates(site / PACKAGE_DIR.name / "dashboard" / COMPILED_TEMPLATES.name)
    # The release the answer store keys its answers on (alpha_monday/release.py).
    (site / PACKAGE_DIR.name / RELEASE_FILE.name).write_text(source_release() + "\n")
    compile_bytecode(site, python)
    return site


def build_dashboard(target: Path, *, platform: str | None, python: str) -> Path:
    """The dashboard function: its handler and the charting library only it uses."""
    requirements = DASHBOARD_DIR / "requirements.txt"
    install_requirements(target, requirements, platform, _minor_version(python))
    shutil.copy2(DASHBOARD_DIR / "app.py", target / "app.py")
    compile_bytecode(target, python)
    return target


def _minor_version(python: str) -> str:
    return subprocess.run(
        [python, "-c", "import sys;print(f'{sys.version_info[0]}.{sys.version_info[1]}')"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("artifact", choices=("layer", "dashboard"))
    parser.add_argument("--target", type=Path, required=True, help="where to build it")
    parser.add_argument(
        "--platform",
        default=LAMBDA_PLATFORM,
        help="the wheels' platform; 'host' for this machine's (default: %(default)s)",
    )
    parser.add_argument(
        "--python", default=None, help="the runtime's interpreter (default: python3.11)"
    )
    args = parser.parse_args(argv)
    python = args.python or runtime_python()
    platform = None if args.platform == "host" else args.platform
    build = build_layer if args.artifact == "layer" else build_dashboard
    site = build(args.target, platform=platform, python=python)
    problems = bytecode_problems(site, python)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    print(f"built {args.artifact} in {args.target}: every module has hash-based bytecode")
    return 0


if __name__ == "__main__":
    sys.exit(main())
