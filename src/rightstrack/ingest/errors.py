"""Errors raised by the ingestion pipeline.

Every refusal is an ``IngestError`` with a message a user can act on; callers (the CLI, the
upload view) show ``str(error)`` and nothing else, so messages never contain tracebacks or paths
outside the user's own file name.
"""

from __future__ import annotations


class IngestError(Exception):
    """Base class: a document could not be ingested, for the reason in ``message``."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class EmptyFile(IngestError):
    """The file has no bytes, or no text could be found in it."""


class FileTooLarge(IngestError):
    """The file is bigger than the configured limit."""


class UnsupportedFileType(IngestError):
    """The content (judged by its magic bytes, not its name) is not a supported document."""


class NotText(IngestError):
    """A file that claims to be text holds binary data or cannot be decoded."""


class EncryptedDocument(IngestError):
    """The PDF is password protected."""


class CorruptDocument(IngestError):
    """The file is damaged or malformed and cannot be parsed."""


class SuspiciousArchive(IngestError):
    """A DOCX (zip) container whose members would expand to an unreasonable size (zip bomb)."""


class TooManyPages(IngestError):
    """The document has more pages than ``max_pages`` allows."""


class OcrUnavailable(IngestError):
    """The document needs OCR but the tesseract program (or its language data) is not installed."""


class OcrFailed(IngestError):
    """tesseract ran but failed on the document."""
