"""Demo step: programs (filled by the programs work). A step defines ``run(ctx) -> dict`` and
``render(summary, lang) -> list[str]``; without ``run`` it is skipped."""
