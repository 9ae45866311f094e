"""The text of an attached document (pdf, docx, xlsx), for the personal-data check.

``attachment_text(body, filename)`` is the one entry point. The format is told
from the bytes first (``%PDF``, a zip holding ``word/document.xml`` or
``xl/workbook.xml``) and from the file name second. Extraction never raises:
a damaged, encrypted or unknown file gives ``""``. Limits keep one hostile
file from costing much: pages, sheets, cells and characters read are capped.

* pdf: pypdf, page by page;
* docx: the standard library (zipfile + ElementTree) over the body, headers and footers;
* xlsx: openpyxl in read-only mode, one line per row, cells joined by tabs.
"""
from __future__ import annotations

import io
import logging
import re
import zipfile
from xml.etree import ElementTree

MAX_CHARS = 2_000_000         # text kept from one file
MAX_PDF_PAGES = 300
MAX_XLSX_CELLS = 500_000
MAX_XML_BYTES = 50 * 1024 * 1024   # a docx part larger than this once unzipped is not read (zip bombs)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DOCX_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
log = logging.getLogger(__name__)


def attachment_kind(body: bytes, filename: str = "") -> str | None:
    """"pdf", "docx", "xlsx" or None, from the file's first bytes, then its name."""
    head = body[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return None
    ext = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    return ext if ext in ("pdf", "docx", "xlsx") and not head.startswith(b"\xd0\xcf\x11\xe0") else None


def attachment_text(body: bytes, filename: str = "") -> str:
    """Plain text of a pdf, docx or xlsx file; "" for anything it cannot read.

    >>> attachment_text(b"not a document", "a.pdf")
    ''
    """
    try:
        kind = attachment_kind(body, filename)
        if kind == "pdf":
            text = pdf_text(body)
        elif kind == "docx":
            text = docx_text(body)
        elif kind == "xlsx":
            text = xlsx_text(body)
        else:
            return ""
    except Exception as exc:  # a broken file must never stop a crawl
        log.debug("attachment %s not readable: %r", filename, exc)
        return ""
    return text[:MAX_CHARS]


def pdf_text(body: bytes) -> str:
    from pypdf import PdfReader
    logging.getLogger("pypdf").setLevel(logging.ERROR)   # malformed but readable files warn loudly
    reader = PdfReader(io.BytesIO(body))
    if reader.is_encrypted:
        try:
            reader.decrypt("")      # many government PDFs are "encrypted" with an empty password
        except Exception:
            return ""
    parts, size = [], 0
    for i, page in enumerate(reader.pages):
        if i >= MAX_PDF_PAGES or size > MAX_CHARS:
            break
        try:
            t = page.extract_text() or ""
        except Exception:     # one bad page: keep the others
            continue
        parts.append(t)
        size += len(t)
    return "\n".join(parts)


def _docx_part_text(xml: bytes) -> str:
    lines, current = [], []
    for _event, el in ElementTree.iterparse(io.BytesIO(xml), events=("end",)):
        tag = el.tag
        if tag == _W + "t":
            current.append(el.text or "")
        elif tag == _W + "tab":
            current.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            current.append("\n")
        elif tag == _W + "p":
            lines.append("".join(current))
            current = []
            el.clear()
    if current:
        lines.append("".join(current))
    return "\n".join(lines)


def docx_text(body: bytes) -> str:
    out = []
    with zipfile.ZipFile(io.BytesIO(body)) as z:
        parts = [i for i in z.infolist() if _DOCX_PARTS.match(i.filename)]
        # the body first, then headers, footers and notes
        parts.sort(key=lambda i: (i.filename != "word/document.xml", i.filename))
        for info in parts:
            if info.file_size > MAX_XML_BYTES:
                continue
            out.append(_docx_part_text(z.read(info)))
    return "\n".join(t for t in out if t)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def xlsx_text(body: bytes) -> str:
    from openpyxl import load_workbook
    wb = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    lines, cells, size = [], 0, 0
    try:
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                cells += len(row)
                line = "\t".join(_cell_text(v) for v in row).rstrip("\t")
                if line:
                    lines.append(line)
                    size += len(line)
                if cells > MAX_XLSX_CELLS or size > MAX_CHARS:
                    return "\n".join(lines)
    finally:
        wb.close()
    return "\n".join(lines)
