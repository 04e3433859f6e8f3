"""The kinds of operation and the advice list come back after a flush, as the forces do."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from beatbook.operations.apps import ADVICE, KINDS
from beatbook.operations.models import AdviceTopic, OperationKind


@pytest.mark.django_db(transaction=True)
def test_a_flush_leaves_the_kinds_and_the_advice_in_place() -> None:
    call_command("flush", interactive=False, verbosity=0)
    assert set(OperationKind.objects.values_list("slug", flat=True)) == {s for s, _ in KINDS}
    assert set(AdviceTopic.objects.values_list("slug", flat=True)) == {s for s, _ in ADVICE}
