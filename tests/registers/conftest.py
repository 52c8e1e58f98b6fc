from __future__ import annotations

from dataclasses import dataclass

import pytest

from registers.models import Case
from tests.registers.factories import case_with


@dataclass
class Cases:
    bgd: Case  # MONUSCO (host COD), a Bangladeshi victim
    other: Case  # MINUSMA (host MLI), a Nepalese victim
    minusca: Case  # MINUSCA (host CAF), a Pakistani victim


@pytest.fixture
def cases(db: None) -> Cases:
    return Cases(
        bgd=case_with(["BGD", "NPL"], mission="monusco", internal_notes="Liaison notes."),
        other=case_with(["NPL"], mission="minusma"),
        minusca=case_with(["PAK"], mission="minusca"),
    )
