"""All wording a user reads: answers, facts, deadlines, the overview, plan updates and errors in
Vietnamese, as plain text for the console and the CLI, Markdown-bold for JSON, and
Telegram HTML (`answers`, `facts`, `words`). Pure functions over the core's data."""
