"""Claims: JKM, JKK and scholarships; eligibility from coverage history; heirs."""
