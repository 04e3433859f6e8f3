"""The form that uploads a survey's population margins (a census-style CSV)."""

from __future__ import annotations

from django import forms

# A census table for a few hundred neighbourhoods is well under a megabyte.
MAX_BYTES = 5 * 1024 * 1024


class MarginUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload the population figures",
        help_text=(
            "A CSV file with the columns area, age_band, sex and population: one row for each "
            "neighbourhood, age band and sex."
        ),
        error_messages={
            "required": "Choose a CSV file of population figures",
            "empty": "The file you chose is empty",
        },
    )
    source = forms.CharField(
        label="Where the figures come from (optional)",
        help_text="For example, ONS Census 2021 (RM200), by LSOA, added up to neighbourhoods.",
        max_length=200,
        required=False,
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB: is it the right file?")
        return upload
