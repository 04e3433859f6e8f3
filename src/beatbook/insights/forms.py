"""The analyst pages' forms: what may be asked for, checked before any work is done."""

from __future__ import annotations

from typing import Any

from django import forms

from beatbook.analysis.harm import HARM_INDEXES, POLICE_UK_CATEGORIES
from beatbook.analysis.hotspots import METHODS
from beatbook.common.months import check_month
from beatbook.insights.harm_in_force import harm_weights

CELL_SIZES = (150, 200, 250, 300, 400, 500)
METHOD_LABELS = {
    "kde": "Kernel density (smooth surface of where crime concentrates)",
    "gistar": "Getis-Ord Gi* (cells significantly hotter than chance, false discovery rate 5%)",
}


class MonthField(forms.CharField):
    def clean(self, value: Any) -> str:
        text = super().clean(value)
        if not text:
            return ""
        try:
            return check_month(str(text).strip(), label=str(self.label).lower())
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


def _check_order(form: forms.Form, data: dict[str, Any]) -> None:
    first, last = data.get("month_from"), data.get("month_to")
    if first and last and first > last:
        form.add_error("month_to", "The last month must be the same as or after the first.")


class ForceCategoryForm(forms.Form):
    """A force among those the person works in, a police.uk category (or all crime), and
    whether to count crimes or weigh them by harm: what every analysis page asks first."""

    force = forms.ChoiceField(
        label="Force",
        error_messages={
            "required": "Select a force",
            "invalid_choice": "Select one of the forces you work in",
        },
    )
    category = forms.ChoiceField(
        label="Crime category",
        required=False,
        error_messages={"invalid_choice": "Select a crime category from the list"},
    )
    harm = forms.ChoiceField(
        label="Count crimes or weigh them by harm",
        choices=[("", "Count every crime as one")]
        + [(key, f"Weigh by the {index.name}") for key, index in HARM_INDEXES.items()],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select whether to count crimes or weigh them by harm"},
    )

    def __init__(self, *args: Any, forces: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["force"].choices = forces  # type: ignore[attr-defined]
        labels = {row.slug: row.label for row in harm_weights().categories}
        self.fields["category"].choices = [("", "All crime")] + [  # type: ignore[attr-defined]
            (slug, labels.get(slug, slug)) for slug in POLICE_UK_CATEGORIES
        ]


class ForecastForm(ForceCategoryForm):
    """The forecast page's questions: it always forecasts the month after the newest held."""


class HotspotForm(ForceCategoryForm):
    # The order errors are listed in, above the form: as the questions appear on the page.
    field_order = ["force", "month_from", "month_to", "category", "harm", "cell_size", "method"]

    month_from = MonthField(
        label="First month",
        help_text="For example, 2025-01",
        error_messages={"required": "Enter the first month, like 2025-01"},
    )
    month_to = MonthField(
        label="Last month",
        help_text="For example, 2025-06",
        error_messages={"required": "Enter the last month, like 2025-06"},
    )
    cell_size = forms.TypedChoiceField(
        label="Cell size",
        choices=[(str(size), f"{size} metres") for size in CELL_SIZES],
        coerce=int,
        initial="250",
        error_messages={
            "required": "Select a cell size",
            "invalid_choice": "Select a cell size from the list",
        },
    )
    method = forms.ChoiceField(
        label="Method",
        choices=[(method, METHOD_LABELS[method]) for method in METHODS],
        initial="kde",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a method",
            "invalid_choice": "Select kernel density or Getis-Ord Gi*",
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_order(self, data)
        return data


class TrendsForm(forms.Form):
    area = forms.CharField(
        label="Area",
        max_length=120,
        help_text="A neighbourhood name, an LSOA code (E01014213), a local authority "
        "(Stoke-on-Trent) or a force (staffordshire)",
    )
    month_from = MonthField(label="First month", required=False, help_text="For example, 2025-01")
    month_to = MonthField(
        label="Last month", required=False, help_text="Leave empty for the latest month held"
    )

    def __init__(self, *args: Any, example: str = "", **kwargs: Any) -> None:
        """``example``: a force the person works in that holds data, named in the hint."""
        super().__init__(*args, **kwargs)
        if example:
            self.fields["area"].help_text = (
                "A neighbourhood name, an LSOA code (E01014213), a local authority "
                f"(Stoke-on-Trent) or a force ({example})"
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_order(self, data)
        return data
