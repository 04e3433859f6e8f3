from __future__ import annotations

from django.apps import AppConfig


class EnquiriesConfig(AppConfig):
    name = "beatbook.enquiries"
    label = "enquiries"
    verbose_name = "Residents' questions and concerns"

    def ready(self) -> None:
        from beatbook.enquiries import checks  # noqa: F401  (registers the e-mail checks)
