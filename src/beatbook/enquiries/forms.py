"""Forms for the public question page and the team's answer page. Checks only the shape of the
input: the services re-check everything and make the change."""

from __future__ import annotations

from django import forms

from beatbook.enquiries.models import QuestionKind
from beatbook.enquiries.services import ANSWER_MAX, BODY_MAX, NAME_MAX, SUBJECT_MAX

# A field people never see or fill in: software that fills in every field gives itself away.
HONEYPOT_FIELD = "leave_this_empty"


class ResidentForm(forms.Form):
    """A form residents send: it carries the honeypot box that people never see or fill."""

    def honeypot_filled(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())


class AskForm(ResidentForm):
    kind = forms.ChoiceField(
        label="Is this a question or a concern?",
        choices=QuestionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether this is a question or a concern"},
    )
    subject = forms.CharField(
        label="Subject",
        help_text="A few words about what it is about, for example ‘Speeding on Church Street’.",
        max_length=SUBJECT_MAX,
        error_messages={
            "required": "Enter a subject",
            "max_length": f"Subject must be {SUBJECT_MAX} characters or fewer",
        },
    )
    body = forms.CharField(
        label="Your question or concern",
        help_text="Do not include anyone’s personal details. To report a crime, call 101 "
        "or report it online; in an emergency, call 999.",
        max_length=BODY_MAX,
        widget=forms.Textarea,
        error_messages={
            "required": "Enter your question or concern",
            "max_length": f"Your question or concern must be {BODY_MAX} characters or fewer",
        },
    )
    name = forms.CharField(
        label="Your name (optional)",
        required=False,
        max_length=NAME_MAX,
        error_messages={"max_length": f"Your name must be {NAME_MAX} characters or fewer"},
    )
    email = forms.EmailField(
        label="Email address (optional)",
        help_text="We will send your reference number and the answer to this address. "
        "Without one, you can read the answer only by entering your reference number "
        "on this website.",
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label="Your answer",
        help_text="Write in plain English. The resident gets this by email if they gave an "
        "address; if you publish it, everyone can read it on the neighbourhood page.",
        max_length=ANSWER_MAX,
        widget=forms.Textarea,
        error_messages={
            "required": "Enter an answer",
            "max_length": f"Your answer must be {ANSWER_MAX} characters or fewer",
        },
    )
    publish = forms.BooleanField(label="Publish on the neighbourhood page", required=False)


class ReferenceForm(forms.Form):
    reference = forms.CharField(
        label="Reference number",
        help_text="For example, Q-7K3M-2XAV. It is in the email we sent you.",
        max_length=40,
        error_messages={"required": "Enter your reference number"},
    )
