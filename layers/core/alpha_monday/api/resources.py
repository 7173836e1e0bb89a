"""Each read function's routes, imported only when an answer must be rendered: serving a
stored answer needs none of them, nor their models, statistics or templates."""

from __future__ import annotations

from alpha_monday.api.routes import Routes

# The imports are inside on purpose (a cold start that serves a stored answer skips them).
# ruff: noqa: PLC0415


def health() -> Routes:
    from alpha_monday.api.health_routes import health_routes

    return health_routes


def batches() -> Routes:
    from alpha_monday.api.batch_routes import batch_routes

    return batch_routes


def track_record() -> Routes:
    from alpha_monday.api.track_record_routes import track_record_routes

    return track_record_routes


def pages() -> Routes:
    from alpha_monday.dashboard.handler import dashboard_routes

    return dashboard_routes
