"""The demographic answers a survey may ask for, coded as census tables code them, so that
answers can be raked to census-style population margins (``analysis.survey_weights``)."""

from __future__ import annotations

AGE_BANDS: tuple[tuple[str, str], ...] = (
    ("16-24", "16 to 24"),
    ("25-34", "25 to 34"),
    ("35-44", "35 to 44"),
    ("45-54", "45 to 54"),
    ("55-64", "55 to 64"),
    ("65-74", "65 to 74"),
    ("75+", "75 or over"),
)
SEXES: tuple[tuple[str, str], ...] = (("female", "Female"), ("male", "Male"))

# Stored as an empty code: such a respondent is weighted by their area alone.
PREFER_NOT_TO_SAY = ("", "Prefer not to say")

AGE_BAND_CODES = frozenset(code for code, _ in AGE_BANDS)
SEX_CODES = frozenset(code for code, _ in SEXES)
