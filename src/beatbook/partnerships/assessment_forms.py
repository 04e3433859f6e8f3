"""The forms of the strategic assessment pages: which area and year to assess, and which year
to store a partnership's assessment for."""

from __future__ import annotations

from django import forms

from beatbook.partnerships.assessment_data import FIRST_YEAR, LAST_YEAR

YEAR_ERRORS = {
    "required": "Enter the year to assess, like 2025.",
    "invalid": "Enter the year as a number, like 2025.",
    "min_value": f"Enter a year from {FIRST_YEAR} to {LAST_YEAR}.",
    "max_value": f"Enter a year from {FIRST_YEAR} to {LAST_YEAR}.",
}


class AssessForm(forms.Form):
    area = forms.CharField(
        label="Partnership or local authority",
        max_length=200,
        help_text="A partnership's name, or a local authority as LSOA names write it, for "
        'example "Stoke-on-Trent".',
        error_messages={"required": "Enter a partnership or a local authority."},
    )
    year = forms.IntegerField(
        label="Year", min_value=FIRST_YEAR, max_value=LAST_YEAR, error_messages=YEAR_ERRORS
    )


class AssessmentMakeForm(forms.Form):
    year = forms.IntegerField(
        label="Year", min_value=FIRST_YEAR, max_value=LAST_YEAR, error_messages=YEAR_ERRORS
    )
