"""The worker registry: lists in, NIK validated, one record per human (issue 3)."""
