"""The team world's fixtures (``tests/team_world.py``), shared with tests/teams."""

from __future__ import annotations

from team_world import people, world

__all__ = ["people", "world"]
