"""Reads behind the open API. Each returns plain rows; ``policeapi.serialisers`` shapes them."""
