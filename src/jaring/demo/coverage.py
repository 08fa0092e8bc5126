"""Demo step: coverage (filled by the coverage work). A step defines ``run(ctx) -> dict`` and
``render(summary, lang) -> list[str]``; without ``run`` it is skipped."""
