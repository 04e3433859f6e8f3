"""Community Safety Partnerships: the strategic assessment, the partnership plan, meetings and
the public partnership page (issue 16, ADR 20)."""
