"""The builder's forms: a survey's details, a question (from the item bank or its own), a wave,
a batch of invitations, and an imported file with its column mapping. Each only reads and checks
what was typed; the services decide and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import slugify

from beatbook.places.models import Force, Neighbourhood
from beatbook.surveys.import_services import RESPONDENT_COLUMNS
from beatbook.surveys.invitation_services import BATCH_NAME_LENGTH, MOST_AT_ONCE
from beatbook.surveys.item_bank import BankItem
from beatbook.surveys.models import Question, QuestionKind, Survey
from beatbook.surveys.question_services import (
    QuestionDetails,
    options_parse,
    options_text,
)
from beatbook.surveys.survey_details import SurveyDetails
from beatbook.surveys.survey_services import SurveyError
from beatbook.teams.fields import GovukDateField

DEMOGRAPHICS = (
    ("age_band", "Age band"),
    ("sex", "Sex"),
    ("postcode", "Postcode (to place the answer in its neighbourhood; the postcode is not kept)"),
)
# The largest answers file a page takes: 20,000 answers to 30 questions is about 5 MB.
LARGEST_FILE = 50 * 1024 * 1024


class NeighbourhoodChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class SurveyForm(forms.Form):
    force = forms.ModelChoiceField(
        label="Force",
        queryset=Force.objects.none(),
        empty_label=None,
        error_messages={"required": "Choose the force that runs the survey"},
    )
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the survey's title"}
    )
    purpose = forms.CharField(
        label="Why you are asking",
        widget=forms.Textarea,
        help_text="Residents read it on the first page.",
        error_messages={"required": "Say why you are asking"},
    )
    privacy_notice = forms.CharField(
        label="Privacy notice",
        widget=forms.Textarea,
        help_text="What is kept, for how long and who sees it: shown before anyone answers.",
        error_messages={"required": "Enter the privacy notice"},
    )
    contact_email = forms.EmailField(
        label="Contact email address",
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.org"},
    )
    neighbourhoods = NeighbourhoodChoice(
        label="Neighbourhoods it covers",
        queryset=Neighbourhood.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick none to cover the whole force.",
    )
    demographics = forms.MultipleChoiceField(
        label="Questions about the person answering",
        choices=DEMOGRAPHICS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Age band and sex let answers be weighted to the population. Each is optional "
        "for the resident.",
    )

    def __init__(
        self, *args: Any, forces: QuerySet[Force], survey: Survey | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        force_field = self.fields["force"]
        assert isinstance(force_field, forms.ModelChoiceField)
        force_field.queryset = forces.order_by("name")
        if survey is not None:
            del self.fields["force"]  # a survey stays with its force
            forces = Force.objects.filter(pk=survey.force_id)
        area = self.fields["neighbourhoods"]
        assert isinstance(area, forms.ModelMultipleChoiceField)
        area.queryset = Neighbourhood.objects.filter(force__in=forces).order_by("name")

    @property
    def several_forces(self) -> bool:
        field = self.fields.get("force")
        return isinstance(field, forms.ModelChoiceField) and field.queryset.count() > 1  # type: ignore[union-attr]

    @classmethod
    def initial_for(cls, survey: Survey) -> dict[str, Any]:
        asked = {"age_band": survey.ask_age_band, "sex": survey.ask_sex}
        asked["postcode"] = survey.ask_postcode
        return {
            "title": survey.title,
            "purpose": survey.purpose,
            "privacy_notice": survey.privacy_notice,
            "contact_email": survey.contact_email,
            "neighbourhoods": list(survey.neighbourhoods.all()),
            "demographics": [name for name, ask in asked.items() if ask],
        }

    def details(self) -> SurveyDetails:
        data = self.cleaned_data
        asked = set(data["demographics"])
        return SurveyDetails(
            title=data["title"],
            purpose=data["purpose"],
            privacy_notice=data["privacy_notice"],
            contact_email=data["contact_email"],
            neighbourhoods=list(data["neighbourhoods"]),
            ask_age_band="age_band" in asked,
            ask_sex="sex" in asked,
            ask_postcode="postcode" in asked,
        )


class BankForm(forms.Form):
    key = forms.ChoiceField(
        label="Question from the item bank",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a question to add"},
    )

    def __init__(self, *args: Any, items: list[BankItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = [(item.key, item.text) for item in items]  # type: ignore[attr-defined]


class QuestionForm(forms.Form):
    text = forms.CharField(
        label="Question", widget=forms.Textarea, error_messages={"required": "Enter the question"}
    )
    hint = forms.CharField(label="Hint (optional)", widget=forms.Textarea, required=False)
    kind = forms.ChoiceField(
        label="How residents answer",
        choices=QuestionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how residents answer"},
    )
    options = forms.CharField(
        label="Answers to choose from",
        widget=forms.Textarea,
        required=False,
        help_text="One a line: 'code | label', or just the label (its code is made from it). End "
        "a line with * if the answer counts towards the headline, e.g. 'Very safe *'. Leave empty "
        "for a free-text question.",
    )
    rank_limit = forms.IntegerField(
        label="For a ranking: how many priorities a resident picks",
        min_value=1,
        max_value=20,
        initial=3,
        required=False,
        error_messages={"invalid": "Enter a whole number, like 3"},
    )
    code = forms.CharField(
        label="Code (optional)",
        max_length=40,
        required=False,
        help_text="The column in imported files, fixed once asked. Left empty, it is made from "
        "the question.",
    )
    headline = forms.CharField(
        label="Headline (optional)",
        max_length=200,
        required=False,
        help_text="How a public headline ends, e.g. 'feel safe walking alone after dark'.",
    )
    required = forms.BooleanField(label="An answer is needed", required=False)

    @classmethod
    def initial_for(cls, question: Question) -> dict[str, Any]:
        return {
            "text": question.text,
            "hint": question.hint,
            "kind": question.kind,
            "options": options_text(question),
            "rank_limit": question.rank_limit,
            "code": question.code,
            "headline": question.headline,
            "required": question.required,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            data["parsed_options"] = options_parse(data.get("options", ""))
        except SurveyError as error:
            self.add_error("options", str(error))
        return data

    def details(self) -> QuestionDetails:
        data = self.cleaned_data
        return QuestionDetails(
            text=data["text"],
            kind=data["kind"],
            code=data["code"],
            hint=data["hint"],
            headline=data["headline"],
            rank_limit=data["rank_limit"] or 3,
            required=data["required"],
            options=data["parsed_options"],
        )


class WaveForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=120,
        help_text="For example, August 2023.",
        error_messages={"required": "Enter the wave's name"},
    )
    opens_on = GovukDateField(label="Date it opens")
    closes_on = GovukDateField(label="Date it closes")
    open_link = forms.ChoiceField(
        label="Who may answer",
        choices=[
            ("yes", "Anyone with the survey's link (and anyone invited)"),
            ("no", "Only people sent an invitation link"),
        ],
        widget=forms.RadioSelect,
        initial="yes",
        error_messages={"required": "Choose who may answer"},
    )

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        if slugify(name) in {"", "new"}:
            raise forms.ValidationError("Choose a name with letters or numbers, like August 2023")
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", "The date it closes must be on or after the date it opens")
        return data


class InvitationForm(forms.Form):
    batch = forms.CharField(
        label="Name of the batch",
        max_length=BATCH_NAME_LENGTH,
        help_text="For example, Letters, 1 August.",
        error_messages={"required": "Name the batch"},
    )
    count = forms.IntegerField(
        label="How many links",
        min_value=1,
        max_value=MOST_AT_ONCE,
        help_text=f"Up to {MOST_AT_ONCE:,} at a time.",
        error_messages={
            "required": "Enter how many links to make",
            "invalid": "Enter a whole number, like 500",
            "min_value": "Make at least 1 link",
            "max_value": f"Make at most {MOST_AT_ONCE:,} links at a time",
        },
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Answers file (CSV)",
        help_text="One row a respondent: their id, then optionally neighbourhood, age band and "
        "sex, then a column a question. Several answers in one cell are separated by ';'.",
        error_messages={"required": "Choose the CSV file to upload"},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > LARGEST_FILE:
            raise forms.ValidationError("The file is larger than 50 MB: split it in two")
        return upload


class ImportMappingForm(forms.Form):
    """One select a column: what it holds (a question the wave asks, or the respondent's own)."""

    def __init__(
        self,
        *args: Any,
        columns: list[str],
        questions: list[Question],
        guesses: dict[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Ignore this column")]
        choices += [(key, label) for key, label in RESPONDENT_COLUMNS.items()]
        choices += [(q.code, f"{q.code}: {q.text[:70]}") for q in questions]
        self.columns = columns
        for number, column in enumerate(columns):
            self.fields[f"column_{number}"] = forms.ChoiceField(
                label=column, choices=choices, required=False, initial=guesses.get(column, "")
            )

    def mapping(self) -> dict[str, str]:
        return {
            column: self.cleaned_data[f"column_{number}"]
            for number, column in enumerate(self.columns)
        }
