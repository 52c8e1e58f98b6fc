"""The register kernel: what every register shares, so that a new register is a registration
rather than a copy (docs/registers.md, "Adding a register").

- `concern`: how a record concerns a Member State (`Ground`s: nationals, personnel, territory),
  turned into the delegate's filter and into the States one record concerns;
- `sharing`: the fields shared with States, against UN staff's full view, by sensitivity;
- `log`: the access log's model (`AccessEntry`), subclassed by each register;
- `selectors`: the gate (`Gate.visible_to`, `Gate.record_for`: 404 for missing and forbidden
  alike), the log of the records concerning some States, the States' delegates;
- `services`: writing the access log, notifying the concerned States' delegates;
- `statistics`: tables of aggregates (page and CSV), bar charts, small-cell suppression;
- `registry`: the `Register` registration, `register()` and `registers()`.
"""
