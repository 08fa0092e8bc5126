"""The Paritrana Award: editions, rubric, evidence, jury scoring, ranking (issue 6)."""
