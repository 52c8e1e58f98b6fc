"""`a4p import fatalities`: the real UN file (skipped when absent) and broken files."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.models import AuditEntry
from registers.fatalities import read_fatalities
from registers.models import Case, FatalitiesImport, Victim
from registers.services import fatalities_import
from tests.conftest import SHARED_DATA

REAL_FILE = SHARED_DATA / "un-fatalities" / "DPPADPOSS-FATALITIES.csv"
HEADER = (
    "id,incident_date,casualty_id,mission_acronym,type_of_casualty,gender,casualty_nationality,"
    "casualty_personnel_type,type_of_incident,m49_code,isocode3,last_update"
)
GOOD = [
    "1,2019-01-20,MINUSMA-2019-01-001,MINUSMA,Fatality,"
    "M,Chad,Military,Malicious Act,148.0,TCD,2025-04-04",
    "2,2019-01-20,MINUSMA-2019-01-002,MINUSMA,Fatality,"
    "M,Chad,Military,Malicious Act,148.0,TCD,2025-04-04",
    "3,2020-06-01,MONUSCO-2020-06-001,MONUSCO,Fatality,"
    "F,Bangladesh,Police,Malicious Act,50.0,BGD,2025-04-04",
    "4,2020-06-02,MONUSCO-2020-06-002,MONUSCO,Fatality,"
    "M,Nepal,Military,Illness,524.0,NPL,2025-04-04",
    "5,2021-02-03,UNMISS-2021-02-001,UNMISS,Fatality,"
    ",Côte dIvoire,Local ,Malicious Act,,,2025-04-04",
]


def write(tmp_path: Path, lines: list[str], name: str = "f.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(path: Path, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "fatalities", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_good_file_makes_one_case_per_mission_and_day_and_is_idempotent(tmp_path: Path) -> None:
    path = write(tmp_path, [HEADER, *GOOD])
    out, _err = run(path)
    assert Case.objects.count() == 3  # the two MINUSMA deaths of one day are one incident
    assert Victim.objects.count() == 4  # the illness is not a crime
    assert "1 rows of other incident types" in out.replace("(", "")
    minusma = Case.objects.get(mission__entity__code="minusma")
    assert minusma.victims.count() == 2 and minusma.country.iso3 == "MLI"  # type: ignore[union-attr]
    assert minusma.source == Case.Source.UN_FATALITIES
    ivorian = Victim.objects.get(casualty_id="UNMISS-2021-02-001")
    assert ivorian.nationality.iso3 == "CIV"  # type: ignore[union-attr]
    assert ivorian.personnel_type == Victim.PersonnelType.LOCAL_CIVILIAN
    assert ivorian.sex == Victim.Sex.UNKNOWN
    assert AuditEntry.objects.filter(action="register.fatalities.imported").count() == 1

    run(path)
    assert Case.objects.count() == 3 and Victim.objects.count() == 4
    last = FatalitiesImport.objects.first()
    assert last is not None and last.counts["victims_unchanged"] == 4
    assert last.counts["cases_created"] == last.counts["victims_created"] == 0


@pytest.mark.django_db
def test_a_newer_file_updates_what_changed(tmp_path: Path) -> None:
    run(write(tmp_path, [HEADER, *GOOD]))
    changed = GOOD[2].replace("Police", "Military")
    run(write(tmp_path, [HEADER, *GOOD[:2], changed, *GOOD[3:]], "g.csv"))
    victim = Victim.objects.get(casualty_id="MONUSCO-2020-06-001")
    assert victim.personnel_type == Victim.PersonnelType.MILITARY
    last = FatalitiesImport.objects.first()
    assert last is not None and last.counts["victims_updated"] == 1


@pytest.mark.django_db
def test_rejected_rows_are_reported_with_line_and_reason(tmp_path: Path) -> None:
    bad = [
        HEADER,
        GOOD[0],
        GOOD[0].replace("1,", "9,", 1),  # line 3: same casualty id as line 2
        GOOD[1].replace("2019-01-20", "20/01/2019"),  # line 4
        GOOD[2].replace("MONUSCO,", "UNXYZ,"),  # line 5
        GOOD[2].replace("Bangladesh", "Atlantis").replace("BGD", "ATL"),  # line 6
        GOOD[2].replace(",F,", ",X,"),  # line 7
        GOOD[2].replace("Police", "Astronaut"),  # line 8
        "10,2020-01-01,X-1,MINUSMA",  # line 9: short row
        GOOD[0].replace("Chad", "Yugoslavia").replace("TCD", "YUG").replace("001", "077"),
    ]
    out, err = run(write(tmp_path, bad))
    lines = err.splitlines()
    duplicate = "line 3: rejected: casualty id MINUSMA-2019-01-001 is already on line 2"
    assert any(duplicate in x for x in lines)
    assert any("line 4: rejected: incident_date '20/01/2019' is not a date" in x for x in lines)
    assert any("line 5: rejected: unknown mission 'UNXYZ'" in x for x in lines)
    assert any("line 6: rejected: unknown nationality 'Atlantis'" in x for x in lines)
    assert any("line 7: rejected: unknown gender 'X'" in x for x in lines)
    assert any("line 8: rejected: unknown casualty_personnel_type 'Astronaut'" in x for x in lines)
    assert any("line 9: rejected: expected 12 fields, found 4" in x for x in lines)
    yugoslavia = "line 10: warning: nationality 'Yugoslavia' (YUG) is not a Member State"
    assert any(yugoslavia in x for x in lines)
    assert "7 rows rejected" in out
    # The good rows went in; the Yugoslav victim is kept, without a Member State.
    assert set(Victim.objects.values_list("casualty_id", flat=True)) == {
        "MINUSMA-2019-01-001",
        "MINUSMA-2019-01-077",
    }
    yugoslav = Victim.objects.get(casualty_id="MINUSMA-2019-01-077")
    assert yugoslav.nationality is None and yugoslav.nationality_recorded == "Yugoslavia"
    run_ = FatalitiesImport.objects.get()
    assert {r["line"] for r in run_.rejected} == {3, 4, 5, 6, 7, 8, 9}


@pytest.mark.django_db
def test_strict_and_check_write_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, [HEADER, GOOD[0], GOOD[1].replace("MINUSMA,", "UNXYZ,")])
    with pytest.raises(CommandError, match="1 rows rejected; nothing was written"):
        run(path, "--strict")
    out, _err = run(path, "--check")
    assert "1 victims ready to import, 1 rows rejected" in out
    assert not Case.objects.exists() and not Victim.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"   \n\n", "The file is empty."),
        (HEADER.encode() + b"\n", "The file has a header but no rows."),
        (
            (HEADER + "\n" + GOOD[0].replace("Chad", "Tch\xe9d")).encode("latin-1"),
            "line 2: the file is not UTF-8 text (byte 0xE9)",
        ),
        (
            b"id,incident_date,mission_acronym\n1,2020-01-01,MINUSMA\n",
            "line 1: missing columns: casualty_id, gender, casualty_nationality",
        ),
        (
            (HEADER + ",gender\n" + GOOD[0] + ",F\n").encode(),
            "line 1: the column gender appears twice (columns 6 and 13)",
        ),
    ],
)
@pytest.mark.django_db
def test_broken_files_are_refused_whole(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError) as error:
        run(path)
    assert message in str(error.value) and "nothing was written" in str(error.value)
    assert not Case.objects.exists() and not FatalitiesImport.objects.exists()


@pytest.mark.django_db
def test_a_header_of_100000_columns_is_refused_at_once(tmp_path: Path) -> None:
    wide = HEADER + "," + ",".join(f"extra{n}" for n in range(100_000))
    path = tmp_path / "wide.csv"
    path.write_text(wide + "\n" + GOOD[0] + "\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        run(path)
    assert "line 1: the header has 100,012 columns" in str(error.value)
    assert len(str(error.value)) < 300
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_incident_dates_before_1948_or_in_the_future_are_rejected(tmp_path: Path) -> None:
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    rows = [
        HEADER,
        GOOD[0].replace("2019-01-20", "1947-12-31"),
        GOOD[1].replace("2019-01-20", future),
        GOOD[2].replace("2020-06-01", "1948-05-29"),
    ]
    out, err = run(write(tmp_path, rows))
    assert (
        "line 2: rejected: incident_date 1947-12-31 is before the first UN peacekeeping "
        "operation (1948-05-29)" in err
    )
    assert f"line 3: rejected: incident_date {future} is in the future" in err
    assert "2 rows rejected" in out
    assert list(Victim.objects.values_list("case__incident_date", flat=True)) == [
        dt.date(1948, 5, 29)
    ]


@pytest.mark.django_db
def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot read"):
        run(tmp_path / "nope.csv")


@pytest.mark.django_db
def test_nothing_is_half_imported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = read_fatalities((HEADER + "\n" + "\n".join(GOOD)).encode())

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Victim.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        fatalities_import(parsed=parsed, filename="f.csv", sha256="0")
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_reader_reports_progress() -> None:
    seen: list[tuple[str, int, int]] = []
    rows = [GOOD[0].replace("001", f"{n:04d}") for n in range(1200)]
    read_fatalities((HEADER + "\n" + "\n".join(rows)).encode(), progress=lambda *a: seen.append(a))
    assert seen[0][:2] == ("check", 500) and seen[-1][1] == seen[-1][2] >= 1200


@pytest.mark.django_db
def test_nul_bytes_are_rejected_rows(tmp_path: Path) -> None:
    # PostgreSQL refuses NUL in text; the row is refused before anything is written.
    _out, err = run(write(tmp_path, [HEADER, GOOD[0].replace("Chad,", "Ch\x00ad,"), GOOD[1]]))
    assert "line 2: rejected: the row contains a NUL byte." in err
    assert Victim.objects.count() == 1


@pytest.mark.skipif(not REAL_FILE.exists(), reason="the UN fatalities file is not available here")
@pytest.mark.django_db
def test_real_un_fatalities_file() -> None:
    run(REAL_FILE)
    run_ = FatalitiesImport.objects.get()
    c = run_.counts
    assert c["rows"] == 4429 and c["malicious_acts"] == 1134
    assert c["other_incidents"] == 4429 - 1134
    # Every malicious act is either a victim or a rejected row with its reason: none is dropped.
    assert Victim.objects.count() + c["rejected"] == 1134
    reasons = " ".join(r["reason"] for r in run_.rejected)
    assert "unknown mission 'UNSecretariat'" in reasons  # staff of the Secretariat, not a mission
    assert all(r["line"] > 1 for r in run_.rejected)
    assert Victim.objects.filter(nationality__iso3="BGD").exists()
    assert Victim.objects.filter(nationality__isnull=True).count() == c["warnings"]
    cases = Case.objects.count()
    run(REAL_FILE)
    assert Case.objects.count() == cases and Victim.objects.count() == 1134 - c["rejected"]
