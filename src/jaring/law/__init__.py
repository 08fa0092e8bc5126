"""BPJS Ketenagakerjaan contributions and benefits as code: dated, referenced, exact.

- :mod:`jaring.law.parameters`: the YAML parameter tree under ``params/``, validated at load;
  ``params().value(name, on)`` / ``.entry(name, on)``; :class:`ParameterError` when no value
  is in force.
- :mod:`jaring.law.contributions`: the contribution rules; ``bpu()``, ``pu()`` for one worker
  and ``frame()`` for a Polars frame of workers or worker-months (the same code), with
  :mod:`~jaring.law.inputs` (a frame checked and encoded) and :mod:`~jaring.law.blocks` (the
  column machinery) beneath.
- :mod:`jaring.law.benefits`: JKM, JKK, STMB, scholarships, and column versions for claims.
- :mod:`jaring.law.queries`: what the CLI and the web ask (a contribution from typed input, a
  file of workers, the parameters in force); :mod:`jaring.law.errors`: the law's refusals.
- ``law/cases/*.yaml``: worked examples with their legal reference, run by the tests.

Every amount is an :class:`Amount` (whole rupiah) with :class:`ExplanationLine` s naming the
parameter, the value used, the date it took effect, the legal reference and our confidence.
"""

from jaring.law.amount import Amount, ExplanationLine
from jaring.law.parameters import LAW_START, ParameterError, params

__all__ = ["LAW_START", "Amount", "ExplanationLine", "ParameterError", "params"]
