"""The plans' language, shared by every stage: Unicode normalisation and accent folding
(`normalize`), the unit lexicon with its aliases and abbreviations (`units`), and the
columns of a plan table named by their header cells (`columns`). Pure; imports nothing
else of the package but the records."""
