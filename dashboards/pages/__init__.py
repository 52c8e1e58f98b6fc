"""The dashboard pages' data, one module per page. A builder takes the page's `Frame` (the plan,
the filters read from the address and who is looking, made by the one gate `base.frame_for`)
and returns a frozen dataclass: the rows, totals and charts its template shows. The queries are
in `dashboards.selectors` and in the builders; views only read the filters, call a builder and
render."""
