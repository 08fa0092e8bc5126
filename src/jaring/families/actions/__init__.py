"""Everything that changes families and deaths: :mod:`.families` (build from lists, enter a
member, change requests) and :mod:`.deaths` (record, import a list, review, undo)."""
