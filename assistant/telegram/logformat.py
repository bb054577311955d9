"""The bot's log lines as JSON, one object a line, for a log collector
(ASSISTANT_LOG_FORMAT=json). Pure: a record in, a line out."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime


class JsonLines(logging.Formatter):
    """`{"ts", "level", "logger", "message"}`, and `"exc"` with the traceback when there is
    one; every value a string, the message formatted with its arguments."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)
