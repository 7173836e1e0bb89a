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


class MigrationsLocked(AlphaMondayError):
    """Another migration is running (its session holds the lock) and did not finish in time."""


class BatchAlreadyExists(AlphaMondayError):
    """A batch for this run_date exists already; the existing batch is left untouched."""


class BatchNotFound(AlphaMondayError):
    """No batch has the requested id."""


class UnknownOpenTable(AlphaMondayError):
    """No open-data table has the requested name."""


class BatchNotActive(AlphaMondayError):
    """A checkpoint was written for a batch that is completed or failed."""


class InvalidRunDate(AlphaMondayError):
    """A run date that is not a Monday, or not a date at all."""


class BatchIncomplete(AlphaMondayError):
    """CompleteBatch found a day of the fortnight (or the baseline) not recorded."""


class BatchNotResumable(AlphaMondayError):
    """A resume request for a batch that is unknown, or not `failed` (completed, or already
    tracked by another execution)."""


class CheckpointNotInSchedule(AlphaMondayError):
    """A checkpoint task whose index or date is not one of its batch's 14 days (the baseline
    is not a checkpoint)."""


class CloseMissingRefused(AlphaMondayError):
    """A "close never came" for a day with no session, or a day already computed."""


class MarketDataError(AlphaMondayError):
    """A market data failure about one symbol; the message names the symbol and the reason."""

    def __init__(self, symbol: str, reason: str) -> None:
        super().__init__(f"{symbol}: {reason}")
        self.symbol = symbol
        self.reason = reason


class MarketDataUnknownSymbol(MarketDataError):
    """The source does not know the symbol (an `Error Message` body or an empty series)."""


class MarketDataKeyRefused(MarketDataError):
    """The source refused the API key (revoked, expired, mistyped): never an unknown symbol.
    Retrying cannot help until the key is fixed; the days it costs heal once it is."""


class MarketDataRateLimited(MarketDataError):
    """The source's rate limit was hit, or the configured daily budget is spent."""


class MarketDataPremiumOnly(MarketDataError):
    """The request needs a premium plan; retrying cannot help."""


class MarketDataUnavailable(MarketDataError):
    """The source failed: HTTP 5xx or 429, a timeout, a malformed or empty body."""


class MarketDataNotReady(MarketDataError):
    """The close for a session date is not published yet (or not final yet); it may be later."""


class MarketDataInvalidClose(MarketDataError):
    """The close sent for the asked date is not a sane price; a later answer may be."""


class InvalidRunInput(AlphaMondayError):
    """A task input that is not what the state machine sends (a missing or misspelled key)."""


class PickerError(AlphaMondayError):
    """The language model could not produce acceptable picks.

    `attempts` holds every answer the model gave before the failure, for the audit trail.
    """

    attempts: tuple[object, ...] = ()


class PickerRefused(PickerError):
    """The model refused to answer."""


class PickerOutputTruncated(PickerError):
    """The model's answer was cut off by the token limit."""


class PickerInvalidOutput(PickerError):
    """The model's answer broke the schema or the rules, even after re-asking."""


class PickerUnavailable(PickerError):
    """The model's API failed (timeout, connection, HTTP error)."""


class PickerCheckInterrupted(PickerError):
    """Checking the model's tickers failed (the market's error is the cause): the answer is
    kept to be reviewed again on the retry, without asking the model again."""


class PickerRequestRejected(PickerError):
    """OpenAI rejected the request itself (HTTP 400, 404, 422: an unsupported model or schema,
    a model that does not exist): no retry can succeed; the message is OpenAI's reason."""


class PickerAuthenticationFailed(PickerError):
    """OpenAI refused the key (HTTP 401 or 403): retrying cannot help."""


class NoContenderAnswered(PickerError):
    """Every model contender failed after its retries: there is no week to track."""
