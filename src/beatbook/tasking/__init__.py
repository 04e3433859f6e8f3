"""Tasking: officers, shifts and abstractions, requests to the tasking team, patrol plans and
their results (issue 15, ADR 19)."""
