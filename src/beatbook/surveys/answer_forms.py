"""The forms residents fill in when answering a survey: one a page. They check the shape of
what was typed; ``response_services`` checks the whole answer set again before storing it.

Each page's form has ``value()``: what the page says, empty when the resident gave nothing
(which counts as skipping a question that is not required), and ``anchor``, the box the error
summary links to.
"""

from __future__ import annotations

from typing import Any

from django import forms

from beatbook.enquiries.forms import ResidentForm
from beatbook.surveys.answer_flow import AGE, CONTACT, POSTCODE, PREFER_NOT, QUESTION, SEX, Step
from beatbook.surveys.codes import AGE_BANDS, SEXES
from beatbook.surveys.models import Question, QuestionKind

TEXT_MAX = 1000
NAME_MAX = 200
ORDINALS = ("Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth")


class StartForm(ResidentForm):
    """The start page's consent, and the honeypot."""

    consent = forms.BooleanField(
        label="I agree to my answers being used as described",
        error_messages={
            "required": "Tick the box to agree to your answers being used as described, or "
            "you cannot start the survey"
        },
    )


class SendForm(ResidentForm):
    """The Check page's button: nothing but the honeypot."""


class StepForm(forms.Form):
    anchor = "id_answer"

    def value(self) -> Any:
        return self.cleaned_data.get("answer") or ""


class ChoiceForm(StepForm):
    """One answer, as radios: a single-choice question, a scale, an age band or a sex."""

    anchor = "id_answer_0"

    def __init__(self, *args: Any, choices: list[tuple[str, str]], required: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["answer"] = forms.ChoiceField(
            choices=choices,
            required=required,
            widget=forms.RadioSelect,
            error_messages={
                "required": "Select an answer",
                "invalid_choice": "Select one of the answers shown",
            },
        )


class ManyForm(StepForm):
    """Any number of answers, as checkboxes."""

    anchor = "id_answer_0"

    def __init__(self, *args: Any, choices: list[tuple[str, str]], required: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["answer"] = forms.MultipleChoiceField(
            choices=choices,
            required=required,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": "Select at least one answer",
                "invalid_choice": "Select only the answers shown",
            },
        )

    def value(self) -> list[str]:
        return list(self.cleaned_data.get("answer") or [])


class RankForm(StepForm):
    """A ranking: one select a place, most important first, each answer at most once and no
    place left empty above a filled one."""

    anchor = "id_rank_1"

    def __init__(
        self,
        *args: Any,
        choices: list[tuple[str, str]],
        places: int,
        required: bool,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.labels = dict(choices)
        for place in range(1, places + 1):
            label = "Most important" if place == 1 else f"{ORDINALS[place - 2]} most important"
            self.fields[f"rank_{place}"] = forms.ChoiceField(
                label=label,
                choices=[("", "Choose one")] + choices,
                required=required and place == 1,
                error_messages={
                    "required": "Choose the most important",
                    "invalid_choice": "Choose one of the answers in the list",
                },
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = [cleaned.get(name, "") for name in self.fields]
        filled = [code for code in chosen if code]
        if any(not code for code in chosen[: len(filled)]):
            raise forms.ValidationError(
                "Fill in the boxes in order, starting with the most important, with no gaps"
            )
        repeated = sorted({code for code in filled if filled.count(code) > 1})
        if repeated:
            names = ", ".join(self.labels.get(code, code) for code in repeated)
            raise forms.ValidationError(f"Choose each answer only once: {names} is chosen twice")
        return cleaned

    def value(self) -> list[str]:
        return [code for code in (self.cleaned_data.get(name) for name in self.fields) if code]


class TextForm(StepForm):
    answer = forms.CharField(
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea,
        error_messages={
            "required": "Enter an answer",
            "max_length": f"Your answer must be {TEXT_MAX:,} characters or fewer",
        },
    )

    def __init__(self, *args: Any, required: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["answer"].required = required

    def value(self) -> str:
        return str(self.cleaned_data.get("answer") or "").strip()


class PostcodeForm(StepForm):
    answer = forms.CharField(
        required=False,
        max_length=10,
        error_messages={"max_length": "Enter a full postcode, like ST3 2AA"},
    )

    def value(self) -> str:
        return str(self.cleaned_data.get("answer") or "").strip()


class ContactForm(StepForm):
    anchor = "id_name"

    name = forms.CharField(
        label="Your name (optional)",
        required=False,
        max_length=NAME_MAX,
        error_messages={"max_length": f"Your name must be {NAME_MAX} characters or fewer"},
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )
    consent = forms.BooleanField(
        label="You may contact me about my answers",
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        given = cleaned.get("name") or cleaned.get("email")
        if given and not cleaned.get("consent"):
            self.add_error(
                "consent",
                "Tick the box if we may contact you, or leave your name and email address empty",
            )
        elif cleaned.get("consent") and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", "Enter your email address, so that we can contact you")
        return cleaned

    def value(self) -> dict[str, Any]:
        if not self.cleaned_data.get("consent"):
            return {}
        return {
            "name": self.cleaned_data["name"].strip(),
            "email": self.cleaned_data["email"].strip(),
            "consent": True,
        }


PREFER_NOT_CHOICE = (PREFER_NOT, "Prefer not to say")


def error_links(form: forms.Form) -> list[tuple[str, str]]:
    """(link to the box it is about, message) for each error, for the page's error summary: a page's
    own errors and its answer's link to its first box (``anchor``), the others to their own."""
    anchor = getattr(form, "anchor", "main-content")
    links = []
    for name, errors in form.errors.items():
        target = "#" + (anchor if name in ("__all__", "answer") else f"id_{name}")
        links += [(target, str(message)) for message in errors]
    return links


def _options(question: Question) -> list[tuple[str, str]]:
    return [(option.code, option.label) for option in question.options.all()]


def _question_form(question: Question, data: Any, initial: Any) -> StepForm:
    required = question.required
    if question.kind == QuestionKind.TEXT:
        return TextForm(data, initial={"answer": initial}, required=required)
    choices = _options(question)
    if question.kind == QuestionKind.MULTIPLE:
        return ManyForm(data, initial={"answer": initial}, choices=choices, required=required)
    if question.kind == QuestionKind.RANK:
        places = min(question.rank_limit, len(choices))
        ranked = {f"rank_{place}": code for place, code in enumerate(initial or [], start=1)}
        return RankForm(data, initial=ranked, choices=choices, places=places, required=required)
    value = initial[0] if isinstance(initial, list) and initial else initial
    return ChoiceForm(data, initial={"answer": value}, choices=choices, required=required)


def step_form(step: Step, *, data: Any = None, initial: Any = None) -> StepForm:
    """The form of one page, bound to ``data`` when it was sent, else showing ``initial``."""
    if step.kind == QUESTION and step.question is not None:
        return _question_form(step.question, data, initial)
    if step.key == POSTCODE:
        return PostcodeForm(data)
    if step.key == CONTACT:
        return ContactForm(data, initial=initial)
    bands = {AGE: AGE_BANDS, SEX: SEXES}[step.key]
    choices = [*bands, PREFER_NOT_CHOICE]
    return ChoiceForm(data, initial={"answer": initial}, choices=choices, required=False)
