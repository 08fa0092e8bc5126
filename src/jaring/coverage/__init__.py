"""Coverage indicators by area, group and date: who is covered, against which denominator,
what it cost and what families received; the figures a region enters; the dashboard."""
