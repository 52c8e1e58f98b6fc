"""Text of a report file in any format, for checking what it contains."""

from __future__ import annotations

import io
import re
import zipfile


def text_of(data: bytes, fmt: str) -> str:
    if fmt == "html":
        return data.decode("utf-8")
    if fmt == "pdf":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        parts = [page.extract_text() or "" for page in reader.pages]
        if reader.metadata:
            parts.extend(str(v) for v in reader.metadata.values())
        return "\n".join(parts)
    # DOCX and XLSX are zips of XML parts: every part counts (headers, properties, sheets).
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = " ".join(
            archive.read(name).decode("utf-8", "replace")
            for name in archive.namelist()
            if name.endswith((".xml", ".rels"))
        )
    return re.sub(r"<[^>]+>", " ", xml)
