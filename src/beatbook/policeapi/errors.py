"""The open API's error conditions, each with the status police.uk gives for it."""

from __future__ import annotations


class ApiError(Exception):
    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequestError(ApiError):
    """Malformed or missing parameters (police.uk: 400)."""

    status = 400


class NotFoundError(ApiError):
    """Unknown force, neighbourhood, crime or location; a malformed month (police.uk: 404)."""

    status = 404


class AreaTooLargeError(ApiError):
    """A custom area holding more records than the configured limit (police.uk: 503)."""

    status = 503
