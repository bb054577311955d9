"""The webhook's shared secret. Telegram sends it with every update in the
X-Telegram-Bot-Api-Secret-Token header and the webhook server answers 403 to a request
without it, so an update forged by anyone who can reach the URL is never handled."""

from __future__ import annotations

import os
import re
import secrets
import sys
from pathlib import Path

SECRET_FILE = "webhook_secret"
_VALID = re.compile(r"[A-Za-z0-9_-]{16,256}")  # Telegram allows 1-256 of these; we want 16+


class WebhookSecretInvalid(ValueError):
    """TELEGRAM_WEBHOOK_SECRET is too short or has characters Telegram refuses."""


def webhook_secret(configured: str, data_dir: Path, announce=sys.stderr) -> str:
    """The configured secret, or the one generated into `data_dir` on the first webhook
    start (printed that once, never again, never logged)."""
    if configured:
        if not _VALID.fullmatch(configured):
            raise WebhookSecretInvalid(
                "TELEGRAM_WEBHOOK_SECRET must be 16-256 characters among A-Z, a-z, 0-9, '_' and '-'"
            )
        return configured
    path = data_dir / SECRET_FILE
    try:
        stored = path.read_text("ascii").strip()
    except (OSError, UnicodeDecodeError):
        stored = ""
    if _VALID.fullmatch(stored):
        return stored
    secret = secrets.token_urlsafe(32)
    data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secret + "\n")
    print(
        f"TELEGRAM_WEBHOOK_SECRET was not set: generated one and kept it in {path} "
        f"(shown this once): {secret}",
        file=announce,
    )
    return secret
