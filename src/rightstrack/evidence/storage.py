"""File checks and content-addressed storage: type by content, size first, one copy per SHA-256."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
import zipfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from rightstrack.core.errors import InvalidInput, TooLarge

from .models import DocumentKind

EXTENSIONS = {
    ".pdf": DocumentKind.PDF,
    ".docx": DocumentKind.DOCX,
    ".html": DocumentKind.HTML,
    ".htm": DocumentKind.HTML,
    ".txt": DocumentKind.TXT,
    ".md": DocumentKind.MD,
}
# A DOCX is a zip; refuse archives that would inflate beyond this (zip bombs).
MAX_UNZIPPED_BYTES = 300 * 1024 * 1024
MAX_ZIP_RATIO = 200


def max_upload_bytes() -> int:
    return settings.MAX_UPLOAD_MB * 1024 * 1024


def safe_filename(name: str) -> str:
    """The last path component, without control characters; never empty."""
    name = unicodedata.normalize("NFC", name or "")
    name = PurePosixPath(name.replace("\\", "/")).name
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip().lstrip(".")
    return name[:200] or "document"


def check_size(size: int) -> None:
    if size == 0:
        raise InvalidInput(_("The file is empty."), field="file")
    if size > max_upload_bytes():
        raise TooLarge(
            _("The file is larger than the limit of %(mb)s MB.") % {"mb": settings.MAX_UPLOAD_MB}, field="file"
        )


def sniff(head: bytes, path: Path, filename: str) -> str:
    """The document kind, decided by content and required to agree with the file name's extension."""
    ext = Path(filename).suffix.lower()
    claimed = EXTENSIONS.get(ext)
    if claimed is None:
        raise InvalidInput(_("Unsupported file type. Upload PDF, DOCX, HTML, TXT or Markdown."), field="file")
    if head.startswith(b"%PDF-"):
        actual = DocumentKind.PDF
    elif head.startswith(b"PK\x03\x04"):
        actual = _check_docx(path)
    elif head.startswith((b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")) or b"\x00" in head:
        raise InvalidInput(_("The file is not a document (it looks like a program or binary data)."), field="file")
    else:
        try:
            text = head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # The head may end inside a multi-byte character; only earlier errors count.
            if exc.start < len(head) - 4:
                raise InvalidInput(_("The text is not valid UTF-8."), field="file")
            text = head[: exc.start].decode("utf-8")
        looks_html = re.search(r"<(!doctype html|html|body|p|div)\b", text[:4096], re.IGNORECASE)
        actual = DocumentKind.HTML if looks_html and claimed == DocumentKind.HTML else claimed
        if claimed in (DocumentKind.PDF, DocumentKind.DOCX):
            actual = DocumentKind.TXT
    if actual != claimed and not (claimed == DocumentKind.MD and actual == DocumentKind.TXT):
        raise InvalidInput(_("The file's content does not match its extension %(ext)s.") % {"ext": ext}, field="file")
    return claimed


def _check_docx(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
    except zipfile.BadZipFile:
        raise InvalidInput(_("The file is a damaged archive."), field="file")
    if total > MAX_UNZIPPED_BYTES or total / packed > MAX_ZIP_RATIO:
        raise InvalidInput(_("The archive would unpack to an unreasonable size; refused."), field="file")
    if "word/document.xml" not in names:
        raise InvalidInput(_("The archive is not a Word document."), field="file")
    return DocumentKind.DOCX


def blob_path(sha256: str) -> Path:
    return Path(settings.FILES_DIR) / sha256[:2] / sha256[2:4] / sha256


def spool(upload: UploadedFile) -> tuple[Path, str, int]:
    """Copy an upload to a private temp file, hashing as it goes; stop as soon as it is too large."""
    limit = max_upload_bytes()
    digest = hashlib.sha256()
    size = 0
    tmp_dir = Path(settings.FILES_DIR) / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=tmp_dir)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in upload.chunks():
                size += len(chunk)
                if size > limit:
                    check_size(size)
                digest.update(chunk)
                out.write(chunk)
        check_size(size)
    except BaseException:
        os.unlink(name)
        raise
    return Path(name), digest.hexdigest(), size


def keep(tmp: Path, sha256: str) -> Path:
    """Move a checked temp file to its content address (a file already there is kept as it is)."""
    final = blob_path(sha256)
    if final.exists():
        tmp.unlink()
    else:
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, final)
        final.chmod(0o600)
    return final
