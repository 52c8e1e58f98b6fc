"""Text of a report file in any format, for checking what it contains."""

from __future__ import annotations

import io
import re
import zipfile


def text_of(data: bytes, fmt: str) -> str:
    if fmt == "html":
        return data.decode("utf-8")
    if fmt == "pdf":
        pdf = pdf_pages(data)
        return "\n".join(pdf)
    # DOCX and XLSX are zips of XML parts: every part counts (headers, properties, sheets).
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = " ".join(
            archive.read(name).decode("utf-8", "replace")
            for name in archive.namelist()
            if name.endswith((".xml", ".rels"))
        )
    return re.sub(r"<[^>]+>", " ", xml)


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page, then the document's metadata as a last item."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    pages = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    pages.append(" ".join(str(v) for v in pdf.get_metadata_dict().values()))
    return pages


def pdf_bookmarks(data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    return [mark.get_title() for mark in pdfium.PdfDocument(data).get_toc()]
