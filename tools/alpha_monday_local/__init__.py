"""Local-only tooling (never deployed): embedded PostgreSQL, the CLI, the local runners."""
