"""Named exceptions; the CLI turns each into a one-line message and an exit code."""
from __future__ import annotations


class PipelineError(Exception):
    """Base class of every error the CLI reports as a one-line hint."""

    exit_code = 2


class UsageError(PipelineError):
    """The command-line arguments cannot be used (missing folder, unwritable output)."""


class MissingInputError(PipelineError):
    """A stage's input table does not exist yet: run the previous stage first."""


class ReferenceDataError(PipelineError):
    """A file in data/reference/ is missing or malformed."""


class BuildLockedError(PipelineError):
    """Another build holds the lock on the output folder."""

    exit_code = 3


class ValidationError(PipelineError):
    """The processed tables break the contract (schema, offsets, integrity)."""

    exit_code = 4


class UnknownBackendError(PipelineError):
    """No extractor is registered under the requested name."""


class BackendUnavailableError(PipelineError):
    """An optional backend's dependency (e.g. a spaCy model) is not installed."""


class EngineError(PipelineError):
    """An execution engine (Spark) failed or returned results inconsistent with its input."""


class RecordRejected(Exception):
    """One input record cannot become an article; carries a stable reason code."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
