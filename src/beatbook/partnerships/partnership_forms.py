"""The set-up forms of a partnership: its details and area, a member, a group. Each only reads
and checks what was typed; ``partnership_services`` decides and saves."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet

from beatbook.accounts.models import Organisation
from beatbook.partnerships.models import GroupKind, MemberStanding, Partnership


class PartnershipForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    slug = forms.CharField(
        label="Web address",
        max_length=80,
        required=False,
        help_text="Letters, numbers and hyphens, like stoke-on-trent. Left empty, it is made "
        "from the name.",
    )
    aim = forms.CharField(label="Aim", widget=forms.Textarea, required=False)
    get_involved = forms.CharField(
        label="How to get involved", widget=forms.Textarea, required=False
    )
    contact_email = forms.EmailField(
        label="Contact email address",
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.org"},
    )
    published = forms.BooleanField(
        label="Show its public page",
        required=False,
        help_text="Anyone can then read its aim, members, how to get involved, its latest "
        "published plan and its headline measures.",
    )
    authorities = forms.CharField(
        label="Local authorities in its area",
        widget=forms.Textarea,
        help_text='One a line, named as police.uk\'s LSOA names carry it, like "Stoke-on-Trent".',
        error_messages={"required": "Name at least one local authority"},
    )

    @classmethod
    def initial_for(cls, partnership: Partnership) -> dict[str, Any]:
        return {
            "name": partnership.name,
            "slug": partnership.slug,
            "aim": partnership.aim,
            "get_involved": partnership.get_involved,
            "contact_email": partnership.contact_email,
            "published": partnership.published,
            "authorities": "\n".join(partnership.authorities.values_list("name", flat=True)),
        }

    def authority_names(self) -> list[str]:
        text = self.cleaned_data.get("authorities", "")
        return [line.strip() for line in re.split(r"[\n;]+", text) if line.strip()]


class MemberForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Not an organisation (give a name below)",
    )
    name = forms.CharField(
        label="Name of a member that is not an organisation",
        max_length=200,
        required=False,
        help_text="For example, Community members.",
    )
    standing = forms.ChoiceField(
        label="How it takes part", choices=MemberStanding.choices, initial=MemberStanding.MEMBER
    )
    representative = forms.CharField(label="Named representative", max_length=120, required=False)
    representative_role = forms.CharField(
        label="Representative's role", max_length=120, required=False
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations.order_by("name")


class MemberChangeForm(forms.Form):
    """A member's standing and named representative (which organisation it is stays)."""

    standing = forms.ChoiceField(label="How it takes part", choices=MemberStanding.choices)
    representative = forms.CharField(label="Named representative", max_length=120, required=False)
    representative_role = forms.CharField(
        label="Representative's role", max_length=120, required=False
    )


class GroupForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of group",
        choices=GroupKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a strategy group or a JAG"},
    )
    group_name = forms.CharField(label="Name of the group", max_length=160)
    remit = forms.CharField(
        label="What it covers, and where", widget=forms.Textarea, required=False
    )
    cadence = forms.CharField(
        label="How often it meets", max_length=80, required=False, help_text="For example, Monthly."
    )
