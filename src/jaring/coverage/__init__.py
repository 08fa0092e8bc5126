"""Coverage indicators by area, group and date (issue 6)."""
