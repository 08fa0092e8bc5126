"""Pemda-funded programs: budget planning, enrolment, BPJS exchange files, billing (issue 4)."""
