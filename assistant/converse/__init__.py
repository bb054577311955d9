"""The conversation around the answering: a chat's turns and its own commune. A question
and the chat's last turn come in; the question completed when it is a follow-up
(`followup`: its subject, intent and place borrowed from the last turn), the answer with
what was understood, and the turn to remember go out (`dialogue`). `home` finds a commune
by what a user types and the plans of a chosen one. Pure, apart from the small in-memory
store of turns the console and `ask --jsonl` keep."""
