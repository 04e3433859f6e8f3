"""The ``beatbook`` command: every Django management command, with hyphenated names.

``beatbook ingest FILE``, ``beatbook locate ST4 1AA``, ``beatbook demo``, ``beatbook serve``...
Commands that load data create the database schema first, so they work on an empty database.
``beatbook plan`` (a patrol plan from a file, ``planning.patrol_command``) needs no database
and no settings: it runs before Django is set up. ``beatbook survey-estimate`` (estimates from a
responses CSV and a margins CSV, ``surveys``) reads settings but no database, so it is not one
of the data commands and runs without creating the schema.
"""

from __future__ import annotations

import os
import sys

from beatbook.core.processes import standalone_process_mark

# Commands that need the schema in place before they run.
_DATA_COMMANDS = {
    "ingest",
    "import_lsoa_boundaries",
    "import_lsoa_population",
    "import_lsoa_forces",
    "import_neighbourhoods",
    "import_postcodes",
    "import_places",
    "build_neighbourhoods",
    "locate",
    "serve",
    "createsuperuser",
    "demo_teams",
    "hotspots",
    "trends",
    "worker",
    "send_emails",
    "forecast",
    "backtest",
    "evaluate",
    "assess",
    "survey_margins",
    "survey_import",
}


def _command_name(argv: list[str]) -> str | None:
    if len(argv) < 2 or argv[1].startswith("-"):
        return None
    return argv[1].replace("-", "_")


def _ensure_schema() -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)


def main(argv: list[str] | None = None) -> None:
    # Only a process started from the shell may assume it has the database to itself.
    standalone_process_mark(argv is None)
    argv = list(sys.argv if argv is None else argv)
    command = _command_name(argv)
    if command == "plan":
        from beatbook.planning.patrol_command import main as plan_main

        sys.exit(plan_main(argv[2:]))
    if command is not None:
        argv[1] = command
    if command == "demo":
        from beatbook.demo.setup import prepare_demo_environment

        prepare_demo_environment(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beatbook.settings")

    import django
    from django.core.management import execute_from_command_line

    django.setup()
    if command in _DATA_COMMANDS:
        _ensure_schema()
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
