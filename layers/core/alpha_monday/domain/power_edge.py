"""The edge the published power figure is for, apart from the statistics that use it: the
settings of every read function name it, and importing it must not load the statistics."""

from decimal import Decimal

# The edge per batch, in percentage points, the power figure is for unless set otherwise.
DEFAULT_POWER_EDGE_PCT = Decimal("0.5")
