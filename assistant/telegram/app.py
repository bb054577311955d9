"""The one place the Telegram application is wired: handlers, state, start-up."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import date
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from telegram import BotCommand, BotCommandScopeChat, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from assistant.settings import Settings
from assistant.telegram import (
    admin,
    digest,
    durable,
    health,
    home_handlers,
    inline,
    invite_handlers,
    replies,
    watch,
)
from assistant.telegram import handlers as h
from assistant.telegram.access import Access
from assistant.telegram.commands import ADMIN_COMMANDS, COMMANDS
from assistant.telegram.gate import gate
from assistant.telegram.journal import Journal
from assistant.telegram.send import ADDRESSED, quietly
from assistant.telegram.state import BotContext, BotState
from assistant.telegram.store import open_store
from assistant.telegram.webhook import webhook_secret

log = logging.getLogger(__name__)
PRUNE_EVERY = 3600  # seconds between forgetting the updates answered a day ago

COMMAND_HANDLERS = {
    "start": h.start,
    "help": h.help_,
    "kehoach": h.plans,
    "donvi": h.unit,
    "hoi": h.hoi,
    "hanchot": h.deadlines,
    "nhacviec": h.reminders,
    "lich": h.calendar,
    "tonghop": h.overview,
    "diaban": home_handlers.set_home,
    "xoakehoach": admin.remove_command,
    "moi": invite_handlers.invite_command,
    "thuhoi": invite_handlers.revoke_command,
    "danhsach": invite_handlers.list_command,
}


def file_url(base_url: str) -> str:
    """The Bot API file prefix that goes with `base_url` (".../bot" -> ".../file/bot")."""
    head, _, last = base_url.rstrip("/").rpartition("/")
    return f"{head}/file/{last}"


def build_application(
    settings: Settings, assistant=None, *, today: Callable[[], date] | None = None
) -> Application:
    """The bot, ready to run. `assistant` is loaded in post_init when not given;
    `today` replaces the clock for deadlines (tests)."""
    if not settings.telegram_token:
        raise ValueError("TELEGRAM_BOT_TOKEN is empty: the bot needs a token from @BotFather")
    store = open_store(settings)
    journal = Journal(store, settings.worker_id, stale_after=settings.worker_stale_after)
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_token)
        .update_queue(durable.RecordingQueue(journal))  # recorded before Telegram is told
        .concurrent_updates(durable.AnsweringProcessor(journal))
        .request(durable.AnsweringRequest())
        .context_types(ContextTypes(context=BotContext, bot_data=BotState))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                tzinfo=ZoneInfo(settings.timezone),
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if settings.telegram_api_base_url:
        base = settings.telegram_api_base_url
        builder = builder.base_url(base).base_file_url(file_url(base))
    app = builder.build()
    state: BotState = app.bot_data
    state.settings, state.store, state.journal = settings, store, journal
    state.access = Access.from_settings(settings)
    if assistant is not None:
        state.assistant = assistant
    if today is not None:
        state.today = today
    _add_handlers(app)
    return app


def _add_handlers(app: Application) -> None:
    app.add_handler(TypeHandler(Update, gate), group=-1)
    for cmd in COMMANDS + ADMIN_COMMANDS:
        # a message edited into a command is not a new command: only new messages count
        app.add_handler(
            CommandHandler(cmd.name, COMMAND_HANDLERS[cmd.name], filters=filters.UpdateType.MESSAGE)
        )
    text = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND
    app.add_handler(MessageHandler(text & filters.ChatType.PRIVATE, h.question))
    app.add_handler(MessageHandler(text & filters.ChatType.GROUPS & ADDRESSED, h.question))
    document = filters.UpdateType.MESSAGE & filters.Document.ALL
    app.add_handler(
        MessageHandler(
            document & (filters.ChatType.PRIVATE | (filters.ChatType.GROUPS & ADDRESSED)), admin.document
        )
    )
    app.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & filters.COMMAND & filters.ChatType.PRIVATE, h.unknown_command
        )
    )
    app.add_handler(CallbackQueryHandler(h.show_sources, pattern=r"^src:"))
    app.add_handler(CallbackQueryHandler(h.pick_plan, pattern=r"^pick:"))
    app.add_handler(CallbackQueryHandler(h.show_more, pattern=r"^more:"))
    app.add_handler(CallbackQueryHandler(home_handlers.pick_home, pattern=r"^home:"))
    app.add_handler(CallbackQueryHandler(h.show_alternatives, pattern=r"^alt:"))
    app.add_handler(CallbackQueryHandler(h.vote, pattern=r"^(up|down):"))
    app.add_handler(CallbackQueryHandler(h.reason, pattern=r"^why:[a-z]+:"))
    app.add_handler(CallbackQueryHandler(admin.confirm_upload, pattern=r"^add:(ok|no):"))
    app.add_handler(CallbackQueryHandler(admin.pick_removal, pattern=r"^del:pick:"))
    app.add_handler(CallbackQueryHandler(admin.confirm_removal, pattern=r"^del:(ok|no):"))
    app.add_handler(InlineQueryHandler(inline.answer_query))
    app.add_error_handler(h.on_error)


def telegram_commands(admin: bool = False) -> list[BotCommand]:
    """The command menu registered with setMyCommands: the public one, or the one each
    admin sees in their own chat with the bot (the public commands and the admin ones)."""
    return [BotCommand(c.name, c.description) for c in COMMANDS + (ADMIN_COMMANDS if admin else ())]


async def post_init(app: Application) -> None:
    """Start-up, before the first update: load the assistant, register the commands, answer
    the updates left unanswered, schedule the digests and the watch on the index."""
    state: BotState = app.bot_data
    if not state.loaded:
        from assistant.serve.assistant import Assistant

        log.info("loading the assistant (the first run builds the index: 10-60 s)")
        started = time.perf_counter()
        state.assistant = await asyncio.to_thread(Assistant.load, state.settings)
        if state.assistant.rebuilt:
            log.info("index built in %.1f s", time.perf_counter() - started)
    if state.store.recovered:
        for admin_id in sorted(state.access.admins):
            await quietly(
                app.bot.send_message(admin_id, replies.store_recovered(state.store.recovered.name)),
                f"store notice to admin {admin_id}",
            )
    await quietly(app.bot.set_my_commands(telegram_commands()), "setMyCommands")
    for admin_id in sorted(state.access.admins):  # fails for an admin who never opened the bot: harmless
        await quietly(
            app.bot.set_my_commands(telegram_commands(admin=True), scope=BotCommandScopeChat(admin_id)),
            f"setMyCommands for admin {admin_id}",
        )
    await durable.replay(app, state.journal, state.settings.replay_max_age)
    app.job_queue.run_repeating(prune_job, interval=PRUNE_EVERY, first=PRUNE_EVERY, name="prune")
    every = state.journal.sweep_every
    app.job_queue.run_repeating(sweep_job, interval=every, first=every, name="sweep")
    watch.schedule(app)  # a plan added through another worker is served here too
    state.journal.metrics.count_plans(lambda: len(state.assistant.index.catalog))
    if state.settings.metrics_port:
        state.health = health.serve(state, state.settings.metrics_port)
    log.info(
        "bot @%s ready: %d plans, %d digest subscriptions",
        app.bot.username,
        len(state.assistant.library.plans),
        digest.schedule_daily(app),
    )


async def post_shutdown(app: Application) -> None:
    """Delete the downloaded files still waiting for a replace confirmation; stop /healthz;
    close the store."""
    state: BotState = app.bot_data
    state.uploads.clear()
    if state.health is not None:
        state.health.stop()
    state.journal.close()
    state.store.close()


async def prune_job(context: BotContext) -> None:
    await context.state.journal.prune()


async def sweep_job(context: BotContext) -> None:
    """Answer the updates a worker that stopped for good left (several workers)."""
    state = context.state
    await durable.sweep(context.application, state.journal, state.settings.replay_max_age)


def run(settings: Settings, port: int = 8443) -> None:
    """Long polling, or a webhook on 0.0.0.0:`port` when TELEGRAM_WEBHOOK_URL is set; the
    webhook answers 403 to any request without the secret (`webhook.webhook_secret`)."""
    url = settings.telegram_webhook_url
    secret = webhook_secret(settings.telegram_webhook_secret, settings.data_dir) if url else ""
    app = build_application(settings)
    if url:
        app.run_webhook(
            listen="0.0.0.0",
            port=port,
            url_path=urlparse(url).path.lstrip("/"),
            webhook_url=url,
            secret_token=secret,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
