"""Reading plan files: a file in, its plan text out (`SourceDoc`, NFC, with the hash of
the bytes read), or a `LoadError` naming the file and the reason. Text files are decoded
(`load`); .docx and .pdf are laid out as text in a bounded child process (`convert`,
`formats`, `docxtext`, `pdftext`, `layout`), real tables as tab-separated rows.
`codehash` hashes the code that shapes a cached output."""
