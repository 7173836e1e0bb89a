"""Where the project's files are, for tools run from an editable install."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHARED_DIR = PROJECT_ROOT / "shared"
PGDATA_DIR = PROJECT_ROOT / ".pgdata"
