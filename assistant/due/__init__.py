"""Deadlines as a calendar: every dated task and report of the loaded plans as `DueItem`s,
upcoming and overdue, as of a day in Vietnam's time zone (`schedule`); and the overview of
the communes for those who oversee them (`overview`): per commune its plan for the period,
its counts, its reports due soon, and the targets several plans share (`topics`). Pure
given the records."""
