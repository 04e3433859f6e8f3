"""Operations: days and weeks of action that a neighbourhood team and its partners plan, run,
publish, report and evaluate together (issue 14, ADR 18)."""
