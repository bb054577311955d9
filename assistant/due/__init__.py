"""Deadlines as a calendar: every dated task and report of the loaded plans as `DueItem`s,
upcoming and overdue, as of a day in Vietnam's time zone (`schedule`), and as an .ics
file (`ics`). Pure given the records."""
