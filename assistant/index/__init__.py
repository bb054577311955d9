"""Records in, a searchable index out: passages with their section context (`passages`),
word segmentation and BM25 (`segment`, `store`), dense vectors (`embed`), checked and
swapped on disk (`disk`, `lock`); plan updates (`update`: add, replace, remove a plan)
and the index-backed lookups every front end uses (`library`)."""
