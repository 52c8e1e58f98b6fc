"""Reading the official UN fatalities file (psdata `DPPADPOSS-FATALITIES`, CSV).

`read_fatalities(data)` checks the whole file before anything is written:

- a problem with the file itself (empty, not UTF-8, missing or repeated columns, more than
  `MAX_COLUMNS` columns, no rows) raises `FatalitiesFileError` and nothing is imported;
- each row whose `type_of_incident` is "Malicious Act" becomes a victim, unless it has a problem
  (bad date, unknown mission, unknown nationality, duplicate casualty id, …): it is then
  *rejected*, reported as `line N: reason` naming the column, and the other rows are imported
  (or none, with `--strict`); an incident date must fall between the first UN peacekeeping
  operation (UNTSO, `FIRST_OPERATION`, 1948) and today;
- rows of other incident types (illness, accident…) are not crimes: counted, not imported.

Nationalities: the ISO 3166 alpha-3 code is matched to the Member States; where the code is empty,
the name is matched (ignoring case, accents and punctuation, so "Côte dIvoire" is Côte d'Ivoire).
Nationalities that are deliberately not Member States (`NOT_MEMBER_STATES`: the former
Yugoslavia, "ZZ [Undetermined]", an empty cell) are imported as a victim without a Member State,
keeping the recorded text, and reported as warnings. Anything else unknown is rejected.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import MemberState, Mission
from registers.models import Victim

Progress = Callable[[str, int, int], None]

MALICIOUS_ACT = "malicious act"
# The psdata file has about twenty columns; a header far wider is not that file, and is refused
# before any row is read (each row is split into every column).
MAX_COLUMNS = 200
# UNTSO, the first UN peacekeeping operation, was established on 29 May 1948: no peacekeeper fell
# before.
FIRST_OPERATION = dt.date(1948, 5, 29)

REQUIRED_COLUMNS = [
    "incident_date",
    "casualty_id",
    "mission_acronym",
    "gender",
    "casualty_nationality",
    "casualty_personnel_type",
    "type_of_incident",
    "isocode3",
]

PERSONNEL_TYPES = {
    "military": Victim.PersonnelType.MILITARY,
    "military observer": Victim.PersonnelType.MILITARY_OBSERVER,
    "police": Victim.PersonnelType.POLICE,
    "international civilian": Victim.PersonnelType.INTERNATIONAL_CIVILIAN,
    "local": Victim.PersonnelType.LOCAL_CIVILIAN,
    "other": Victim.PersonnelType.OTHER,
}
SEXES = {"m": Victim.Sex.MALE, "f": Victim.Sex.FEMALE, "": Victim.Sex.UNKNOWN}
OUTCOMES = {"fatality": Victim.Outcome.KILLED, "injury": Victim.Outcome.INJURED}

# Recorded nationalities that are not Member States, imported without one (by ISO3 code or by
# normalised name). The former Yugoslavia is not mapped to Serbia: its nationals may be of any
# successor State.
NOT_MEMBER_STATES = {"YUG", "SCG", "yugoslavia", "serbia and montenegro", "zz undetermined", ""}


class FatalitiesFileError(Exception):
    """The file cannot be read as a fatalities file; nothing is imported."""


@dataclass(frozen=True)
class FatalityRow:
    line: int
    casualty_id: str
    incident_date: dt.date
    mission_id: int
    nationality_id: int | None
    nationality_recorded: str
    personnel_type: str
    sex: str
    outcome: str


@dataclass
class ParsedFile:
    rows: list[FatalityRow] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    other_incidents: int = 0
    total: int = 0


def normalise(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    text = text.replace("'", "")  # "Côte dIvoire" is how the file writes Côte d'Ivoire
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


def _decode(data: bytes) -> str:
    if not data.strip():
        raise FatalitiesFileError(_("The file is empty."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FatalitiesFileError(
            _("line %(line)d: the file is not UTF-8 text (byte 0x%(byte)02X); save it as UTF-8.")
            % {"line": line, "byte": data[exc.start]}
        ) from None


def mission_index() -> dict[str, int]:
    """Mission acronyms and their other acronyms (upper case) -> mission id."""
    index: dict[str, int] = {}
    for pk, acronym, aliases in Mission.objects.values_list(
        "entity_id", "entity__acronym", "aliases"
    ):
        for code in [acronym, *(aliases or [])]:
            if code:
                index[code.strip().upper()] = pk
    return index


def state_index() -> tuple[dict[str, int], dict[str, int]]:
    by_code: dict[str, int] = {}
    by_name: dict[str, int] = {}
    for pk, iso3, name, formal, name_fr in MemberState.objects.values_list(
        "pk", "iso3", "name", "formal_name", "name_fr"
    ):
        by_code[iso3] = pk
        for text in (name, formal, name_fr):
            by_name[normalise(text)] = pk
            if text.lower().startswith("the "):
                by_name[normalise(text[4:])] = pk
    return by_code, by_name


def read_fatalities(data: bytes, *, progress: Progress | None = None) -> ParsedFile:
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error):
        raise FatalitiesFileError(_("The file has no header row.")) from None
    col = _columns(header)
    missing = [c for c in REQUIRED_COLUMNS if c not in col]
    if missing:
        raise FatalitiesFileError(
            _(
                "line 1: missing columns: %(missing)s (expected the psdata DPPADPOSS-FATALITIES "
                "columns)."
            )
            % {"missing": ", ".join(missing)}
        )
    indexes = (mission_index(), *state_index())
    today = timezone.localdate()
    parsed = ParsedFile()
    seen: dict[str, int] = {}
    total = max(text.count("\n"), 1)
    number = 0
    try:
        for record in reader:
            number += 1
            if progress and number % 500 == 0:
                progress("check", number, total)
            if not any(cell.strip() for cell in record):
                continue
            _check(reader.line_num, record, header, col, parsed, seen, indexes, today)
    except csv.Error as exc:
        raise FatalitiesFileError(
            _("line %(line)d: not a readable CSV row (%(reason)s).")
            % {"line": reader.line_num, "reason": exc}
        ) from None
    if not parsed.total:
        raise FatalitiesFileError(_("The file has a header but no rows."))
    if progress:
        progress("check", total, total)
    return parsed


def _columns(header: list[str]) -> dict[str, int]:
    """Each column name and its position, in one pass; a header too wide or naming a column
    twice is refused."""
    if len(header) > MAX_COLUMNS:
        raise FatalitiesFileError(
            _(
                "line 1: the header has %(count)s columns; a fatalities file has about twenty "
                "(at most %(limit)d are read)."
            )
            % {"count": f"{len(header):,}", "limit": MAX_COLUMNS}
        )
    col: dict[str, int] = {}
    for index, name in enumerate(header):
        if name in col and name:
            raise FatalitiesFileError(
                _("line 1: the column %(column)s appears twice (columns %(first)d and %(again)d).")
                % {"column": name, "first": col[name] + 1, "again": index + 1}
            )
        col[name] = index
    return col


def _check(
    line: int,
    record: list[str],
    header: list[str],
    col: dict[str, int],
    parsed: ParsedFile,
    seen: dict[str, int],
    indexes: tuple[dict[str, int], dict[str, int], dict[str, int]],
    today: dt.date,
) -> None:
    parsed.total += 1
    if len(record) != len(header):
        parsed.rejected.append(
            (
                line,
                _("expected %(expected)d fields, found %(found)d.")
                % {"expected": len(header), "found": len(record)},
            )
        )
        return
    if any("\x00" in cell for cell in record):
        parsed.rejected.append((line, _("the row contains a NUL byte.")))
        return
    row = {name: record[i].strip() for name, i in col.items()}
    if row["type_of_incident"].casefold() != MALICIOUS_ACT:
        parsed.other_incidents += 1
        return
    result = _row(line, row, *indexes, today, seen, parsed)
    if isinstance(result, str):
        parsed.rejected.append((line, result))
    else:
        parsed.rows.append(result)
        seen[result.casualty_id] = line


def _row(
    line: int,
    row: dict[str, str],
    missions: dict[str, int],
    states_by_code: dict[str, int],
    states_by_name: dict[str, int],
    today: dt.date,
    seen: dict[str, int],
    parsed: ParsedFile,
) -> FatalityRow | str:
    """The row as a victim, or the reason it is rejected."""
    casualty_id = row["casualty_id"]
    if not casualty_id:
        return _("no casualty_id.")
    if casualty_id in seen:
        return _("casualty id %(id)s is already on line %(first)d.") % {
            "id": casualty_id,
            "first": seen[casualty_id],
        }
    try:
        incident_date = dt.date.fromisoformat(row["incident_date"])
    except ValueError:
        return _("incident_date %(value)r is not a date (YYYY-MM-DD).") % {
            "value": row["incident_date"]
        }
    if incident_date > today:
        return _("incident_date %(value)s is in the future.") % {"value": incident_date}
    if incident_date < FIRST_OPERATION:
        return _(
            "incident_date %(value)s is before the first UN peacekeeping operation (%(first)s)."
        ) % {"value": incident_date, "first": FIRST_OPERATION}
    mission_id = missions.get(row["mission_acronym"].upper())
    if mission_id is None:
        return _(
            "unknown mission %(code)r (not among the reference missions in core/data/"
            "missions.yaml)."
        ) % {"code": row["mission_acronym"]}
    personnel = PERSONNEL_TYPES.get(row["casualty_personnel_type"].casefold())
    if personnel is None:
        return _("unknown casualty_personnel_type %(value)r.") % {
            "value": row["casualty_personnel_type"]
        }
    sex = SEXES.get(row["gender"].casefold())
    if sex is None:
        return _("unknown gender %(value)r (expected M, F or empty).") % {"value": row["gender"]}
    outcome = OUTCOMES.get(row.get("type_of_casualty", "fatality").casefold() or "fatality")
    if outcome is None:
        return _("unknown type_of_casualty %(value)r.") % {"value": row["type_of_casualty"]}
    code = row["isocode3"].upper()
    name = row["casualty_nationality"]
    nationality_id = states_by_code.get(code) if code else states_by_name.get(normalise(name))
    recorded = ""
    if nationality_id is None:
        if code in NOT_MEMBER_STATES and normalise(name) in NOT_MEMBER_STATES | {""}:
            recorded = name
            parsed.warnings.append(
                (
                    line,
                    _(
                        "nationality %(name)r (%(code)s) is not a Member State; the victim is "
                        "recorded without one."
                    )
                    % {"name": name, "code": code or "—"},
                )
            )
        else:
            return _("unknown nationality %(name)r (isocode3 %(code)r).") % {
                "name": name,
                "code": code,
            }
    return FatalityRow(
        line=line,
        casualty_id=casualty_id,
        incident_date=incident_date,
        mission_id=mission_id,
        nationality_id=nationality_id,
        nationality_recorded=recorded,
        personnel_type=personnel,
        sex=sex,
        outcome=outcome,
    )
