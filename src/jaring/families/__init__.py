"""Families and deaths: the Kartu Keluarga of the people Jaring covers, deaths learned from
civil registration (or entered, or stated by a claim), and what follows a death: billing
stops, paid months come back, and the claims officer gets a task until the family is paid.

Parts: :mod:`.relations` (relations in a KK, and to a deceased member), :mod:`.deathlist`
(reading and judging a death list), :mod:`.letter` (the letter to the family), ``actions``
(:mod:`.actions.families`, :mod:`.actions.deaths`) and ``queries``
(:mod:`.queries.families`, :mod:`.queries.deaths`)."""
