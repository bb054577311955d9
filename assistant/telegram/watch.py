"""Each worker watches the index's manifest: a plan added or removed through another worker
sharing the index folder (or from the command line) is served here too, once the manifest
it wrote is read. An update is atomic at the manifest (`index/disk`), and loading while one
runs waits for it (`serve.assistant.open_index`), so a worker never serves half of one."""

from __future__ import annotations

import asyncio
import logging

from telegram.ext import Application

from assistant.index.store import read_manifest
from assistant.telegram.state import BotContext, BotState

log = logging.getLogger(__name__)

WATCH_EVERY = 30.0  # seconds between looks at the manifest
JOB_NAME = "watch-index"


def schedule(app: Application) -> None:
    app.job_queue.run_repeating(watch_job, interval=WATCH_EVERY, first=WATCH_EVERY, name=JOB_NAME)


async def watch_job(context: BotContext) -> None:
    await reload_if_changed(context.state)


async def reload_if_changed(state: BotState) -> bool:
    """Load the index again when its manifest on disk is not the one served; True if it
    was. This worker's own plan update reloads by itself (it holds `state.updating`)."""
    if state.updating.locked():
        return False
    on_disk = await asyncio.to_thread(read_manifest, state.settings.index_dir)
    if not on_disk or on_disk == state.assistant.index.manifest:
        return False
    async with state.updating:
        from assistant.serve.assistant import Assistant

        log.info("the index changed on disk (another worker or the command line): loading it")
        try:
            state.assistant = await asyncio.to_thread(Assistant.load, state.settings)
        except Exception:  # the index being served stays; the next look tries again
            log.exception("loading the changed index failed")
            return False
    return True
