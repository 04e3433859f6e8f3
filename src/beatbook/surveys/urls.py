"""The survey pages: building and running a survey (staff), answering it (residents), and the
results (staff and public)."""

from __future__ import annotations

from beatbook.surveys.answer_urls import urlpatterns as answer_patterns
from beatbook.surveys.builder_urls import urlpatterns as builder_patterns
from beatbook.surveys.margin_urls import urlpatterns as margin_patterns
from beatbook.surveys.result_urls import urlpatterns as result_patterns

urlpatterns = [*builder_patterns, *answer_patterns, *result_patterns, *margin_patterns]
