"""Form field settings the admin pages share."""

from __future__ import annotations

from typing import Any

from django.db import models

# An address typed without a scheme ("www.staffordshire.police.uk") is read as https://: every
# address kept here is a public web page, and Django 6 makes https:// the default anyway (Django
# 5 warns that it will).
HTTPS_URL_FIELDS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}
