"""Reference data: Member States, entities, missions, groups; checked against public UN data."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from core.models import AuditEntry, Entity, MemberState, Mission
from core.refdata import DATA_DIR, ReferenceDataError, load_reference_data
from tests.conftest import SHARED_DATA

ACTIVE_2021 = {
    "MINURSO",
    "MINUSCA",
    "MINUSMA",
    "MONUSCO",
    "UNDOF",
    "UNFICYP",
    "UNIFIL",
    "UNISFA",
    "UNMIK",
    "UNMISS",
    "UNMOGIP",
    "UNTSO",
}


def test_193_member_states(db: None) -> None:
    assert MemberState.objects.count() == 193
    assert MemberState.objects.filter(iso3="PSE").count() == 0  # observer State, not a member
    france = MemberState.objects.get(iso3="FRA")
    assert (france.m49, france.iso2, france.name_fr) == (250, "FR", "France")


def test_missions_of_the_plan_period(db: None) -> None:
    in_plan = set(
        Mission.objects.filter(in_plan_group=True).values_list("entity__acronym", flat=True)
    )
    assert in_plan == ACTIVE_2021
    assert set(
        Mission.objects.filter(mission_type="spm").values_list("entity__acronym", flat=True)
    ) >= {"UNVMC", "UNMHA", "UNITAMS"}
    minusca = Mission.objects.get(entity__code="minusca")
    assert list(minusca.host_states.values_list("iso3", flat=True)) == ["CAF"]
    assert minusca.regional_asg is not None and minusca.regional_asg.code == "asg-africa"


def test_groups_expand_to_their_members(db: None) -> None:
    heads = Entity.objects.get(code="heads-of-mission")
    assert set(heads.members.values_list("acronym", flat=True)) == ACTIVE_2021
    asgs = Entity.objects.get(code="regional-asgs")
    assert set(asgs.members.values_list("code", flat=True)) == {
        "asg-africa",
        "asg-meap",
        "asg-ecaa",
    }


def test_plan_entities_exist_with_their_parents(db: None) -> None:
    pd = Entity.objects.get(code="dpo-orolsi-pd")
    assert pd.parent is not None and pd.parent.code == "dpo-orolsi"
    assert "OROLSI/PD" in pd.aliases
    aliases = [a for e in Entity.objects.all() for a in e.aliases]
    assert len(aliases) == len(set(aliases))


def test_reloading_changes_nothing(db: None) -> None:
    before = AuditEntry.objects.count()
    summary = load_reference_data()
    assert summary.counts == {}
    assert AuditEntry.objects.count() == before


def test_a_broken_file_writes_nothing(db: None, tmp_path: Path) -> None:
    for name in ("member_states.csv", "entities.yaml", "missions.yaml"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    missions = (tmp_path / "missions.yaml").read_text(encoding="utf-8")
    (tmp_path / "missions.yaml").write_text(
        missions.replace("host_states: [CAF]", "host_states: [XXX]"), encoding="utf-8"
    )
    with (tmp_path / "member_states.csv").open("a", encoding="utf-8") as handle:
        handle.write("ZZZ,ZZ,999,Nowhere,Nulle part,Nowhere,Nulle part,None,None\n")
    with pytest.raises(ReferenceDataError, match="host State XXX is not a Member State"):
        load_reference_data(tmp_path)
    assert not MemberState.objects.filter(iso3="ZZZ").exists()


def test_an_alias_bomb_in_the_reference_data_is_refused_quickly(db: None, tmp_path: Path) -> None:
    for name in ("member_states.csv", "entities.yaml"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    levels = [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 9)]
    (tmp_path / "missions.yaml").write_text(
        "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "\n".join(levels) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(ReferenceDataError, match=r"missions\.yaml: line \d+: the aliases expand"):
        load_reference_data(tmp_path)


@pytest.fixture
def country_codes() -> list[dict[str, str]]:
    path = SHARED_DATA / "country-codes" / "country-codes.csv"
    if not path.exists():
        pytest.skip("public country-codes data not available here")
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_member_state_codes_match_the_public_country_codes(
    db: None, country_codes: list[dict[str, str]]
) -> None:
    by_iso3 = {row["ISO3166-1-Alpha-3"]: row for row in country_codes}
    for state in MemberState.objects.all():
        row = by_iso3[state.iso3]
        assert int(row["M49"]) == state.m49, state.iso3
        assert row["ISO3166-1-Alpha-2"] == state.iso2, state.iso3


def test_mission_dates_match_the_public_mission_list(db: None) -> None:
    path = SHARED_DATA / "un-pko-missions" / "DPPADPOSS-PKO.csv"
    if not path.exists():
        pytest.skip("public mission list not available here")
    with path.open(encoding="utf-8") as handle:
        rows = {row["mission_acronym"]: row for row in csv.DictReader(handle)}
    for mission in Mission.objects.filter(in_plan_group=True).select_related("entity"):
        row = rows[mission.entity.acronym]
        assert mission.start_date is not None
        assert mission.start_date.isoformat() == row["start_date"], mission.entity.acronym
        assert mission.entity.name.replace("Organization ", "") == row["mission_name"].replace(
            "Organization ", ""
        ), mission.entity.acronym
