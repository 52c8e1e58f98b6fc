"""The one CSV writer of the application: every CSV file served (register exports, statistics
tables) goes through `csv_response`, so they all open the same way in a spreadsheet."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence

from django.http import HttpResponse


def csv_response(
    filename: str, header: Sequence[object], rows: Iterable[Sequence[object]]
) -> HttpResponse:
    """An attachment: a header row, then the rows, in UTF-8."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # spreadsheets read UTF-8 with a byte-order mark
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response
