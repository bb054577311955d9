"""The assembled assistant: the index opened (loaded, or built when missing or stale),
answering wired with its wording; what the two front ends (`cli`, `telegram`) hold."""
