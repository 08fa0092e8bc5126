"""Every read of families and deaths: :mod:`.families` (a family, proposed heirs, change
requests) and :mod:`.deaths` (who is dead on a day, tasks, refunds, the coverage-gap report)."""
