"""The one error of the reading stage: a file that cannot be read, with the reason."""

from __future__ import annotations


class UnreadableFile(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
