"""Demo step: claims (filled by the claims work). A step defines ``run(ctx) -> dict`` and
``render(summary, lang) -> list[str]``; without ``run`` it is skipped."""
