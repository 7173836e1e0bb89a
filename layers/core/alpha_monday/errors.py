"""Domain errors.

Their class names are part of the state machine contract: Step Functions matches a Lambda
error by the exception's class name, so a rename here must be made in
shared/statemachine/weekly_run.asl.json too (a test checks both agree).
"""


class AlphaMondayError(Exception):
    """Base of every error this package raises on purpose."""


class ConfigurationError(AlphaMondayError):
    """A required setting is missing or malformed."""


class DatabaseUnavailable(AlphaMondayError):
    """The database cannot be reached (connect refused, timed out, connection lost)."""


class BatchAlreadyExists(AlphaMondayError):
    """A batch for this run_date exists already; the existing batch is left untouched."""


class BatchNotFound(AlphaMondayError):
    """No batch has the requested id."""


class BatchNotActive(AlphaMondayError):
    """A checkpoint was written for a batch that is completed or failed."""


class InvalidRunDate(AlphaMondayError):
    """A run date that is not a Monday, or not a date at all."""
