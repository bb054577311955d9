"""The corpus handle of the listing commands (plans, tasks, units, deadlines): the index's
records, built first when missing or stale; unreadable files are named on stderr."""

from __future__ import annotations

import sys

from assistant.cli.progress import progress_bar
from assistant.index.library import Library
from assistant.present.cli import skipped_file
from assistant.present.errors import load_error


class NoPlans(Exception):
    """The corpus holds no plan to answer or list from (a new home folder)."""


def open_corpus(settings) -> Library:
    from assistant.serve.assistant import open_library

    lib = open_library(settings, progress=progress_bar())
    report_skipped(lib.errors)
    if not lib.plans:
        raise NoPlans
    return lib


def report_skipped(errors) -> None:
    """Name each file of the corpus that could not be read, on stderr (a corpus folder not
    there yet is said by `NoPlans`'s message)."""
    for err in errors:
        if err.problem != "no_folder":
            print(skipped_file(load_error(err)), file=sys.stderr)
