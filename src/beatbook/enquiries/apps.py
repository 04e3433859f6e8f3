from __future__ import annotations

from django.apps import AppConfig


class EnquiriesConfig(AppConfig):
    name = "beatbook.enquiries"
    label = "enquiries"
    verbose_name = "Residents' questions and concerns"
