"""Offline round trip of one entity's progress updates for one cycle, as an Excel workbook, for
missions with poor connectivity.

- `layout`: the sheets, columns and choices, declared once for writing and reading;
- `workbook`: the pre-filled workbook a focal point downloads (`updates_workbook`);
- `reader`: the uploaded workbook's cells read into plain data, with every problem by sheet, row
  and column (`CellError`);
- `apply`: an upload checked whole and applied all or nothing through `reporting.services`
  (`updates_import`);
- `fingerprint`: the hidden row check that tells the rows nobody touched since the download.
"""

from reporting.offline.apply import ImportResult, updates_import
from reporting.offline.layout import XLSX_CONTENT_TYPE, cell_text
from reporting.offline.reader import CellError
from reporting.offline.workbook import updates_workbook, xlsx_filename

__all__ = [
    "XLSX_CONTENT_TYPE",
    "CellError",
    "ImportResult",
    "cell_text",
    "updates_import",
    "updates_workbook",
    "xlsx_filename",
]
