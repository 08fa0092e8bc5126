"""The Paritrana Award: editions, rubric, evidence, jury scoring, ranking and the dossier."""
