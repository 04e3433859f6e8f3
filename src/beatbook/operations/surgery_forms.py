"""Forms of the online surgery: the residents' question, and the moderators' reason and answer.
They check only the shape of the input; ``operations.surgery`` re-checks it and makes the
change."""

from __future__ import annotations

from django import forms

from beatbook.enquiries.forms import ResidentForm
from beatbook.operations.surgery import ANSWER_MAX, NAME_MAX, QUESTION_MAX, REASON_MAX


class SurgeryAskForm(ResidentForm):
    body = forms.CharField(
        label="Your question",
        help_text="Do not include anyone’s personal details. To report a crime, call 101 "
        "or report it online; in an emergency, call 999.",
        max_length=QUESTION_MAX,
        widget=forms.Textarea,
        error_messages={
            "required": "Enter your question",
            "max_length": f"Your question must be {QUESTION_MAX} characters or fewer",
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
        help_text="Only the surgery’s moderators see it, in case they need to ask you "
        "something. It is never shown on this page.",
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )


class SurgeryRejectForm(forms.Form):
    reason = forms.CharField(
        label="Why it is not taken",
        help_text="For example, ‘Names a person’ or ‘Already answered’.",
        max_length=REASON_MAX,
        error_messages={
            "required": "Enter why the question is not taken",
            "max_length": f"The reason must be {REASON_MAX} characters or fewer",
        },
    )


class SurgeryAnswerForm(forms.Form):
    answer = forms.CharField(
        label="Your answer",
        help_text="Residents see it at once on the surgery page, with the question.",
        max_length=ANSWER_MAX,
        widget=forms.Textarea,
        error_messages={
            "required": "Enter an answer",
            "max_length": f"Your answer must be {ANSWER_MAX} characters or fewer",
        },
    )
