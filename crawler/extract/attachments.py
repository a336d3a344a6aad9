"""Extract: text of attachments (PDF via pdfplumber, DOCX via python-docx, DOC via catdoc); WPS/XLS only detected."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from core.errors import DocumentError
from core.schemas import Attachment

MAX_ATTACHMENT_CHARS = 200_000


def kind_of(url: str, content_type: str | None = None, body: bytes = b"") -> str:
    """pdf | doc | docx | wps | xls | xlsx | other, from magic bytes first, then extension and content type."""
    ext = urlsplit(url).path.rsplit(".", 1)[-1].lower() if "." in urlsplit(url).path.rsplit("/", 1)[-1] else ""
    if body.startswith(b"%PDF"):
        return "pdf"
    if body.startswith(b"PK") and ext in ("docx", "xlsx"):
        return ext
    if body.startswith(b"PK") and b"word/" in body[:4000]:
        return "docx"
    if ext in ("pdf", "doc", "docx", "wps", "xls", "xlsx"):
        return ext
    if ext == "et":
        return "xls"
    ct = (content_type or "").lower()
    for key, kind in (("pdf", "pdf"), ("wordprocessingml", "docx"), ("msword", "doc"), ("spreadsheetml", "xlsx"),
                      ("ms-excel", "xls"), ("wps", "wps")):
        if key in ct:
            return kind
    return "other"


def pdf_text(body: bytes) -> str:
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(body)) as pdf:
            return "\n".join((page.extract_text() or "") for page in pdf.pages).strip()
    except Exception as exc:  # pdfminer raises many unrelated types on hostile files
        raise DocumentError(f"cannot read PDF: {type(exc).__name__}: {exc}") from exc


def docx_text(body: bytes) -> str:
    import docx

    try:
        document = docx.Document(io.BytesIO(body))
    except Exception as exc:  # zipfile/KeyError/lxml errors on hostile files
        raise DocumentError(f"cannot read DOCX: {type(exc).__name__}: {exc}") from exc
    lines = [p.text for p in document.paragraphs if p.text.strip()]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text.strip() for cell in row.cells))
    return "\n".join(lines).strip()


def catdoc_path() -> str | None:
    return shutil.which("catdoc")


def doc_text(body: bytes) -> str:
    """Text of a legacy .doc through Debian's catdoc; DocumentError when catdoc is not installed."""
    exe = catdoc_path()
    if exe is None:
        raise DocumentError("DOC text needs catdoc, which is not installed (apt-get install catdoc)")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "file.doc"
        path.write_bytes(body)
        try:
            result = subprocess.run([exe, "-d", "utf-8", str(path)], capture_output=True, timeout=60, check=False)
        except subprocess.TimeoutExpired as exc:
            raise DocumentError("catdoc timed out") from exc
    if result.returncode != 0:
        raise DocumentError(f"catdoc failed: {result.stderr.decode('utf-8', 'replace')[:200]}")
    return result.stdout.decode("utf-8", "replace").strip()


def filename_of(url: str, label: str | None = None) -> str:
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    return (label or "").strip() or name or url


def extract_attachment(url: str, body: bytes, *, content_type: str | None = None, label: str | None = None) -> Attachment:
    """An Attachment with text, or with ``error`` saying why there is none (never raises for bad files)."""
    kind = kind_of(url, content_type, body)
    attachment = Attachment(url=url, filename=filename_of(url, label), kind=kind)
    try:
        if kind == "pdf":
            text = pdf_text(body)
        elif kind == "docx":
            text = docx_text(body)
        elif kind == "doc":
            text = doc_text(body)
        elif kind in ("wps", "xls", "xlsx"):
            attachment.error = f"{kind.upper()} detected; text extraction is not supported"
            return attachment
        else:
            attachment.error = f"unsupported attachment type (content type {content_type or 'unknown'})"
            return attachment
    except DocumentError as exc:
        attachment.error = str(exc)
        return attachment
    if not text:
        attachment.error = f"no text found in {kind.upper()} (scanned image?)"
        return attachment
    attachment.text = text[:MAX_ATTACHMENT_CHARS]
    return attachment
