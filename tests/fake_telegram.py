"""A small fake Telegram Bot API server on 127.0.0.1, real HTTP, for tests.

It records every method call with its parameters, answers the methods the bot uses the way
Telegram does (getMe, getUpdates with long polling, sendMessage, sendChatAction,
setMyCommands, answerCallbackQuery, answerInlineQuery, editMessageText, editMessageReplyMarkup,
sendDocument, getFile, deleteWebhook, getChatMember) and serves file downloads under the file
prefix (`/file/bot<token>/...`, recorded as "download" calls), can be told to reject a method
with an error, and lets a test enqueue updates: text and document messages in private and
group chats, replies, mentions (in a text or a caption), callback queries, inline queries.

    with FakeTelegram() as tg:
        app = build_application(replace(settings, telegram_token=tg.token,
                                        telegram_api_base_url=tg.base_url))
        tg.text("/start", chat_id=42)
        await tg.until(lambda: tg.sent(chat_id=42))
"""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
import html
import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote

TEXT_PARAMS = {
    "text",
    "caption",
    "callback_query_id",
    "inline_query_id",
    "title",
    "description",
    "query",
    "file_id",
    "url",
    "secret_token",
}
_ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)
MAX_DOWNLOAD = 20 * 1024 * 1024  # getFile refuses bigger files, as Telegram's cloud Bot API does
MAX_INLINE_RESULTS = 50  # answerInlineQuery's limits, as Telegram checks them
MAX_RESULT_ID = 64  # bytes
MAX_CAPTION = 1024  # characters of a file's caption, after its entities are parsed


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    ok: bool = True
    result: Any = None
    at: float = field(default_factory=time.monotonic)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class FakeTelegram:
    def __init__(
        self,
        token: str = "123456:TEST-token",
        username: str = "cchc_test_bot",
        bot_id: int = 777000,
        max_poll: float = 1.0,
    ):
        self.token, self.username, self.bot_id, self.max_poll = token, username, bot_id, max_poll
        self.calls: list[Call] = []
        self.messages: dict[tuple[int, int], dict] = {}  # (chat_id, message_id) -> message
        self._updates: list[dict] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._rejections: dict[str, tuple[int, str]] = {}
        self._inline_queries: dict[str, bool] = {}  # inline query id -> answered already
        self._failures: dict[str, list[tuple[int, str, dict | None]]] = {}
        self.chat_admins: dict[int, list[int]] = {}  # group id -> admin user ids, creator first
        self.files: dict[str, tuple[str, bytes, int]] = {}  # file_id -> (file_path, content, announced size)
        self._cond = threading.Condition()
        self._stopping = False
        self._server: ThreadingHTTPServer | None = None

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> FakeTelegram:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.fake = self
        threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-telegram",
            daemon=True,
        ).start()
        return self

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeTelegram:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """The prefix the token is appended to, as python-telegram-bot's `base_url`."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/bot"

    @property
    def me(self) -> dict:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Trợ lý CCHC",
            "username": self.username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }

    # ------------------------------------------------------------------ test controls
    def reject(
        self, method: str, code: int = 400, description: str = "Bad Request: rejected by the test"
    ) -> None:
        """From now on, answer `method` with this error."""
        self._rejections[method.lower()] = (code, description)

    def fail_next(self, method: str, *failures: tuple[int, str, dict | None]) -> None:
        """Answer the next calls of `method` with these errors, one each, in order:
        (code, description, parameters), e.g. (429, "Too Many Requests: retry after 1",
        {"retry_after": 1}) or (502, "Bad Gateway", None); then answer normally."""
        self._failures.setdefault(method.lower(), []).extend(failures)

    def accept(self, method: str) -> None:
        self._rejections.pop(method.lower(), None)

    @staticmethod
    def user(user_id: int, first_name: str = "Cán bộ") -> dict:
        return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "vi"}

    def text(
        self,
        text: str,
        chat_id: int = 1001,
        user_id: int | None = None,
        chat_type: str = "private",
        reply_to: dict | None = None,
        edited: bool = False,
    ) -> dict:
        """Enqueue a text message (`edited`: as an edit of an earlier one); commands and
        @mentions get their entities. Returns it."""
        message = self.text_message(text, chat_id, user_id, chat_type)
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        if edited:
            message["edit_date"] = message["date"] + 1
        self._enqueue({"edited_message" if edited else "message": message})
        return message

    def text_message(
        self, text: str, chat_id: int = 1001, user_id: int | None = None, chat_type: str = "private"
    ) -> dict:
        """A text message as Telegram would deliver it (not enqueued: for a forged webhook POST)."""
        message = self._message(chat_id, user_id, chat_type) | {"text": text}
        if entities := _entities(text):
            message["entities"] = entities
        return message

    def document(
        self,
        file_name: str | None,
        content: bytes,
        chat_id: int = 1001,
        user_id: int | None = None,
        chat_type: str = "private",
        caption: str | None = None,
        file_size: int | None = None,
        mime_type: str = "text/plain",
        media_group_id: str | None = None,
    ) -> dict:
        """Enqueue a message carrying a file; getFile and the download then serve `content`.
        `file_size` overrides the size Telegram announces (a big file without the bytes);
        messages with the same `media_group_id` were sent together as an album."""
        n = next(self._message_ids)
        file_id = f"BQACAgIAAx{n}"
        suffix = file_name.rpartition(".")[2] if file_name and "." in file_name else "bin"
        size = len(content) if file_size is None else file_size
        self.files[file_id] = (f"documents/file_{n}.{suffix}", content, size)
        document = {
            "file_id": file_id,
            "file_unique_id": f"AgAD{n}",
            "mime_type": mime_type,
            "file_size": size,
        }
        if file_name is not None:
            document["file_name"] = file_name
        message = self._message(chat_id, user_id, chat_type) | {"document": document}
        if media_group_id is not None:
            message["media_group_id"] = media_group_id
        if caption is not None:
            message["caption"] = caption
            if entities := _entities(caption):
                message["caption_entities"] = entities
        self._enqueue({"message": message})
        return message

    def _message(self, chat_id: int, user_id: int | None, chat_type: str) -> dict:
        user_id = user_id if user_id is not None else (chat_id if chat_type == "private" else 5001)
        chat = {"id": chat_id, "type": chat_type}
        chat |= {"first_name": "Cán bộ"} if chat_type == "private" else {"title": "Nhóm CCHC"}
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": self.user(user_id),
        }

    def click(self, message: dict, data: str, user_id: int | None = None) -> dict:
        """Enqueue a press of an inline button with `data` under the bot's `message`."""
        user_id = user_id if user_id is not None else message["chat"]["id"]
        return self._press(user_id, data, f"ci{message['chat']['id']}", message=message)

    def click_inline(self, inline_message_id: str, data: str, user_id: int = 1001) -> dict:
        """Enqueue a press of a button under a message sent through inline mode: Telegram
        gives the query an `inline_message_id` and no message (nor chat)."""
        return self._press(
            user_id, data, f"ci-inline-{inline_message_id}", inline_message_id=inline_message_id
        )

    def _press(self, user_id: int, data: str, chat_instance: str, **where) -> dict:
        query = {
            "id": str(next(self._update_ids) * 7919),
            "from": self.user(user_id),
            "chat_instance": chat_instance,
            **where,
            "data": data,
        }
        self._enqueue({"callback_query": query})
        return query

    def inline(self, query: str, user_id: int = 1001, offset: str = "", chat_type: str = "sender") -> str:
        """Enqueue an inline query ("@bot `query`" typed in a chat of `chat_type`, which
        Telegram names but does not identify); returns its id."""
        query_id = str(next(self._update_ids) * 104729)
        self._inline_queries[query_id] = False
        update = {"id": query_id, "from": self.user(user_id), "query": query, "offset": offset}
        self._enqueue({"inline_query": update | {"chat_type": chat_type}})
        return query_id

    def _enqueue(self, update: dict) -> None:
        with self._cond:
            self._updates.append({"update_id": next(self._update_ids)} | update)
            self._cond.notify_all()

    # ------------------------------------------------------------------ inspection
    def calls_to(self, method: str) -> list[Call]:
        return [c for c in list(self.calls) if c.method.lower() == method.lower()]

    def sent(self, chat_id: int | None = None, method: str = "sendMessage") -> list[dict]:
        """Parameters of the successful `method` calls (to one chat, if given)."""
        return [
            c.params
            for c in self.calls_to(method)
            if c.ok and (chat_id is None or c.params.get("chat_id") == chat_id)
        ]

    def inline_answer(self, query_id: str) -> dict | None:
        """The parameters of the successful answerInlineQuery to this query, if any."""
        return next(
            (p for p in self.sent(method="answerInlineQuery") if p["inline_query_id"] == query_id), None
        )

    def result_of(self, params: dict) -> dict:
        """The message Telegram returned for a call made with these parameters."""
        return next(c.result for c in self.calls if c.params is params)

    async def until(self, predicate: Callable[[], Any], timeout: float = 15.0) -> Any:
        """Wait (without blocking the event loop) until `predicate()` is truthy; return it."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"timed out after {timeout} s; calls: "
                    f"{[(c.method, c.params.get('text', '')[:60]) for c in self.calls]}"
                )
            await asyncio.sleep(0.02)

    async def settle(self, quiet: float = 0.4, timeout: float = 15.0) -> None:
        """Wait until no call other than getUpdates arrived for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            recent = [c for c in list(self.calls) if c.method != "getUpdates"]
            if not recent or time.monotonic() - recent[-1].at >= quiet:
                return
            await asyncio.sleep(0.05)

    # ------------------------------------------------------------------ the API
    def handle(self, method: str, params: dict[str, Any]) -> tuple[int, dict]:
        if self._failures.get(method.lower()):
            code, description, parameters = self._failures[method.lower()].pop(0)
            self.calls.append(Call(method, params, ok=False))
            return code, {"ok": False, "error_code": code, "description": description} | (
                {"parameters": parameters} if parameters else {}
            )
        rejection = self._rejections.get(method.lower())
        if rejection:
            self.calls.append(Call(method, params, ok=False))
            code, description = rejection
            return code, {"ok": False, "error_code": code, "description": description}
        answer = getattr(self, f"_api_{method.lower()}", None)
        if answer is None:
            self.calls.append(Call(method, params, ok=False))
            return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
        result = answer(params)
        if method != "getUpdates" or result:
            self.calls.append(Call(method, params, result=result))
        return 200, {"ok": True, "result": result}

    def _api_getme(self, params):
        return self.me

    def _api_getchatmember(self, params):
        """A member's status as Telegram reports it: "creator" or "administrator" for the
        ids in `chat_admins[chat_id]` (the first is the creator), "member" otherwise."""
        chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
        admins = self.chat_admins.get(chat_id, [])
        user = self.user(user_id)
        if admins and user_id == admins[0]:
            return {"status": "creator", "user": user, "is_anonymous": False}
        if user_id in admins:
            rights = dict.fromkeys(_ADMIN_RIGHTS, True)
            return {
                "status": "administrator",
                "user": user,
                "is_anonymous": False,
                "can_be_edited": False,
            } | rights
        return {"status": "member", "user": user}

    def _api_getupdates(self, params):
        offset = int(params.get("offset") or 0)
        wait = min(float(params.get("timeout") or 0), self.max_poll)
        end = time.monotonic() + wait
        with self._cond:
            while True:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                remaining = end - time.monotonic()
                if self._updates or remaining <= 0 or self._stopping:
                    return self._updates[: int(params.get("limit") or 100)]
                self._cond.wait(remaining)

    def _new_message(self, params, **content) -> dict:
        chat_id = int(params["chat_id"])
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            "from": self.me,
        } | content
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self.messages[(chat_id, message["message_id"])] = message
        return message

    def _api_sendmessage(self, params):
        if not str(params.get("text", "")).strip():
            raise _ApiError(400, "Bad Request: message text is empty")
        if len(params["text"]) > 4096:
            raise _ApiError(400, "Bad Request: message is too long")
        return self._new_message(params, text=params["text"])

    def _api_senddocument(self, params):
        doc = params.get("document")
        if not isinstance(doc, dict):
            raise _ApiError(400, "Bad Request: there is no document in the request")
        content = {
            "document": {
                "file_id": f"doc{len(self.calls)}",
                "file_unique_id": f"u{len(self.calls)}",
                "file_name": doc["filename"],
                "file_size": len(doc["content"]),
            }
        }
        if params.get("caption"):
            if len(_visible(params["caption"], params.get("parse_mode"))) > MAX_CAPTION:
                raise _ApiError(400, "Bad Request: message caption is too long")
            content["caption"] = params["caption"]
        return self._new_message(params, **content)

    def _edited(self, params, **changes):
        key = (int(params["chat_id"]), int(params["message_id"]))
        if key not in self.messages:
            raise _ApiError(400, "Bad Request: message to edit not found")
        self.messages[key] |= changes | {"edit_date": int(time.time())}
        return self.messages[key]

    def _api_editmessagetext(self, params):
        return self._edited(params, text=params["text"])

    def _api_editmessagereplymarkup(self, params):
        return self._edited(params, reply_markup=params.get("reply_markup") or {"inline_keyboard": []})

    def _api_sendchataction(self, params):
        return True

    def _api_setmycommands(self, params):
        return True

    def _api_getmycommands(self, params):
        done = [c for c in self.calls_to("setMyCommands") if c.ok]
        return done[-1].params["commands"] if done else []

    def _api_answercallbackquery(self, params):
        return True

    def _api_answerinlinequery(self, params):
        """Checked as Telegram does: a known query answered once, at most 50 results with
        unique ids of at most 64 bytes, article texts of 1-4,096 characters, a button's
        start parameter of 1-64 letters, digits, "_" or "-"."""
        query_id = params.get("inline_query_id")
        if self._inline_queries.get(query_id, True):
            raise _ApiError(
                400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        results = params.get("results")
        if not isinstance(results, list) or len(results) > MAX_INLINE_RESULTS:
            raise _ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        ids = [str(r.get("id", "")) for r in results]
        if len(set(ids)) != len(ids) or any(not 0 < len(i.encode()) <= MAX_RESULT_ID for i in ids):
            raise _ApiError(400, "Bad Request: RESULT_ID_INVALID")
        for r in results:
            text = r.get("input_message_content", {}).get("message_text", "")
            if r.get("type") != "article" or not r.get("title") or not 0 < len(text.strip()) <= 4096:
                raise _ApiError(400, "Bad Request: MESSAGE_EMPTY or invalid article")
        button = params.get("button")
        if button is not None and not (
            0 < len(button.get("text", "")) <= 64
            and re.fullmatch(r"[A-Za-z0-9_-]{1,64}", button.get("start_parameter", ""))
        ):
            raise _ApiError(400, "Bad Request: BUTTON_INVALID")
        self._inline_queries[query_id] = True
        return True

    def _api_deletewebhook(self, params):
        return True

    def _api_setwebhook(self, params):
        return True

    def _api_getfile(self, params):
        file_id = str(params.get("file_id", ""))
        if file_id not in self.files:
            raise _ApiError(400, "Bad Request: invalid file_id")
        path, _, size = self.files[file_id]
        if size > MAX_DOWNLOAD:
            raise _ApiError(400, "Bad Request: file is too big")
        return {"file_id": file_id, "file_unique_id": f"u-{file_id}", "file_size": size, "file_path": path}

    def download(self, token: str, file_path: str) -> tuple[int, bytes]:
        """GET <file prefix><token>/<file_path>: the bytes of a file getFile pointed at."""
        if token != self.token:
            return 401, b"Unauthorized"
        content = next((c for p, c, _ in self.files.values() if p == file_path), None)
        self.calls.append(Call("download", {"file_path": file_path}, ok=content is not None))
        return (200, content) if content is not None else (404, b"Not Found")


def _visible(text: str, parse_mode: str | None) -> str:
    """The text Telegram shows once the markup is parsed (HTML: tags out, entities decoded)."""
    if (parse_mode or "").upper() != "HTML":
        return text
    return html.unescape(re.sub(r"<[^>]*>", "", text))


def _entities(text: str) -> list[dict]:
    """Bot commands at the start and @mentions anywhere, with offsets in UTF-16 units."""
    out = []
    for m in re.finditer(r"(?:^/[A-Za-z0-9_]+(?:@\w+)?)|(?:@\w+)", text):
        kind = "bot_command" if m.group().startswith("/") else "mention"
        out.append({"type": kind, "offset": utf16_len(text[: m.start()]), "length": utf16_len(m.group())})
    return out


class _ApiError(Exception):
    def __init__(self, code: int, description: str):
        super().__init__(description)
        self.code, self.description = code, description


def _decode(key: str, value: str) -> Any:
    if key in TEXT_PARAMS:
        return value
    try:
        decoded = json.loads(value)
    except ValueError:
        return value
    return decoded if isinstance(decoded, (dict, list, int, float, bool)) else value


def _params(content_type: str, body: bytes) -> dict[str, Any]:
    if content_type.startswith("multipart/form-data"):
        msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body
        )
        out: dict[str, Any] = {}
        for part in msg.iter_parts():
            name = part.get_param("name", header="content-disposition")
            filename = part.get_filename()
            payload = part.get_payload(decode=True) or b""
            out[name] = (
                {"filename": filename, "content": payload}
                if filename
                else _decode(name, payload.decode("utf-8"))
            )
        for key, value in list(out.items()):  # "attach://name" points at a file part
            if isinstance(value, str) and value.startswith("attach://"):
                out[key] = out.pop(value[len("attach://") :], value)
        return out
    if content_type.startswith("application/json"):
        return json.loads(body or b"{}")
    return {k: _decode(k, v[0]) for k, v in parse_qs(body.decode("utf-8"), keep_blank_values=True).items()}


class _Handler(BaseHTTPRequestHandler):
    server: ThreadingHTTPServer

    def do_POST(self) -> None:
        fake: FakeTelegram = self.server.fake
        download = re.fullmatch(r"/file/bot([^/]+)/(.+)", unquote(self.path.split("?")[0]))
        if download:
            return self._raw(*fake.download(download.group(1), download.group(2)))
        match = re.fullmatch(r"/bot([^/]+)/(\w+)", self.path.split("?")[0])
        if not match:
            return self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        if match.group(1) != fake.token:
            return self._reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        params = _params(self.headers.get("Content-Type", ""), body)
        try:
            code, payload = fake.handle(match.group(2), params)
        except _ApiError as exc:
            fake.calls.append(Call(match.group(2), params, ok=False))
            code, payload = exc.code, {"ok": False, "error_code": exc.code, "description": exc.description}
        self._reply(code, payload)

    do_GET = do_POST

    def _reply(self, code: int, payload: dict) -> None:
        data = json.dumps(payload).encode("utf-8")
        try:
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (e.g. a long poll cancelled at shutdown)

    def _raw(self, code: int, data: bytes) -> None:
        try:
            self.send_response(code)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args) -> None:
        pass
