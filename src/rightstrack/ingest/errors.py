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


class UnreadableText(IngestError):
    """A PDF whose text layer is garbage (broken font encodings) on most pages, with no OCR to fall back on."""


class OcrUnavailable(IngestError):
    """The document needs OCR but the tesseract program (or its language data) is not installed."""


class OcrFailed(IngestError):
    """tesseract ran but failed on the document."""


def user_message(error: IngestError | str, detail: str = "") -> str:
    """What to tell the user, in their language: the specific English message, or a translated summary.

    ``error`` is an exception, or the name of its class with its message as ``detail`` (what an
    ingestion run stores).
    """
    from django.utils.translation import get_language
    from django.utils.translation import gettext as _

    code = error if isinstance(error, str) else type(error).__name__
    detail = detail if isinstance(error, str) else error.message
    if detail and (get_language() or "en")[:2] == "en":
        return detail
    messages = {
        "EmptyFile": _("No text was found in the file: it is empty or holds no words."),
        "FileTooLarge": _("The file is too large to read."),
        "UnsupportedFileType": _(
            "Unsupported file type: upload PDF, DOCX, HTML, plain text, Markdown or a scanned image."
        ),
        "NotText": _("The file is meant to be text but holds binary data or an unknown encoding."),
        "EncryptedDocument": _("The PDF is password protected; remove the password and upload it again."),
        "CorruptDocument": _("The file is damaged and cannot be read."),
        "SuspiciousArchive": _("The DOCX file would unpack to an unreasonable size (a possible zip bomb); refused."),
        "TooManyPages": _("The document has more pages than the limit allows."),
        "OcrUnavailable": _(
            "This document is a scan and needs OCR, which is not installed on the server "
            "(an administrator can run scripts/install-ocr.sh)."
        ),
        "OcrFailed": _("Text recognition (OCR) failed on this document."),
        "PartlyUnreadable": _(
            "Some pages have an unreadable text layer (broken fonts) and no OCR: their text is missing from the "
            "passages."
        ),
        "UnreadableText": _(
            "The PDF's text layer is unreadable (broken fonts): print it to PDF again, "
            "or scan it so that OCR can read it."
        ),
        "Stalled": _("The reading stopped making progress (its worker was probably stopped). Try again."),
        "Stopped": _(
            "The reading was stopped: it took too long or used too much memory (a very large document). "
            "Try again, or split the document."
        ),
        "UnknownLanguage": _("The language of the document could not be identified; suggestions may be incomplete."),
    }
    return messages.get(code, _("The document could not be read."))
