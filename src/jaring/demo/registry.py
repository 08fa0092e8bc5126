"""Demo step: registry (filled by the registry work). A step defines ``run(ctx) -> dict`` and
``render(summary, lang) -> list[str]``; without ``run`` it is skipped."""
