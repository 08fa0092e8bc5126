"""BPJS Ketenagakerjaan contributions and benefits as code: dated, referenced, exact (issue 2)."""
