"""What kind of process this is: a ``beatbook`` command started from the shell, or not.

Only such a process may assume nothing else in it is using the database, as ``ingest``'s
Arrow-native SQLite writer needs (ADR 6). A test or another program calling
``beatbook.cli.main`` is not one. ``beatbook.cli`` marks it; commands ask here, so that no app
imports the command line's entry point.
"""

from __future__ import annotations

_standalone = False


def standalone_process_mark(standalone: bool) -> None:
    global _standalone
    _standalone = standalone


def standalone_process() -> bool:
    """Whether this process is a ``beatbook`` command started from the shell."""
    return _standalone
