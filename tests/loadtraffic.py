"""The traffic of a load run and what it must leave: the updates many chats send (questions,
follow-ups of a chat's own question, `/nhacviec on`), and the replies the fake Bot API
server saw, matched to them. Pure functions; `loadrun` starts the workers and posts.

A reply is matched to its update in a group by the message it quotes (the bot quotes the
question in a group), in a private chat by order: the bot answers a chat's messages in the
order received, so the chat's k-th reply answers its k-th message. A digest ("⏰ …") is
counted apart."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from botkit import visible

FOLLOW_UPS = ("còn phối hợp thì sao?", "hạn khi nào?", "đơn vị đó còn làm gì nữa?")
SUBSCRIBE = "/nhacviec on"
UNDERSTOOD = "Hiểu là:"  # how a reply to a follow-up starts
DIGEST = "⏰"
# questions about the five plans of corpus/, for a run without the shared gold questions
QUESTIONS = (
    "Ai chủ trì Kế hoạch Chuyển đổi số năm 2026 của phường Rạch Giá?",
    "Ai chủ trì cải cách thể chế ở xã Kỳ Lạc?",
    "Phòng nào chủ trì tham mưu cải cách thể chế ở xã Thái Tân?",
    "Báo cáo năm về CCHC của xã Thái Tân gửi trước ngày nào?",
    "Báo cáo quý của xã Thạnh An gửi trước ngày nào?",
    "Báo cáo quý của xã Vĩnh Thịnh gửi trước ngày nào?",
    "Trung tâm Phục vụ hành chính công phường Rạch Giá chủ trì những nhiệm vụ nào?",
    "Ai chủ trì cải cách tài chính công ở xã Thạnh An?",
    "Ai chủ trì cải cách tổ chức bộ máy ở xã Vĩnh Thịnh?",
    "Xã Vĩnh Thịnh giao chỉ tiêu trồng bao nhiêu cây xanh năm 2026?",
)


@dataclass(frozen=True)
class Load:
    """A run's size and pace. `kill_at`: the share of the updates posted when one worker
    is killed; `digest_after`: seconds from the workers' launch to their digest job."""

    updates: int = 2000
    chats: int = 200
    rate: float = 8.0  # updates posted per second
    follow_up_share: float = 0.25
    subscribed: int = 20  # chats whose first message is /nhacviec on
    stale_after: float = 20.0  # ASSISTANT_WORKER_STALE_AFTER
    kill_at: float = 0.5
    digest_after: float = 30.0
    seed: int = 22

    def __post_init__(self):
        if not 0 < self.chats <= self.updates:
            raise ValueError(f"chats must be between 1 and the updates ({self.updates}), got {self.chats}")
        if not 0 <= self.subscribed <= self.chats:
            raise ValueError(f"subscribed must be between 0 and the chats, got {self.subscribed}")
        if self.rate <= 0 or self.stale_after <= 0:
            raise ValueError(f"rate and stale_after must be positive, got {self.rate}, {self.stale_after}")
        if not 0 <= self.follow_up_share < 0.5 or not 0 < self.kill_at < 1:
            raise ValueError(
                f"follow_up_share must be in [0, 0.5) and kill_at in (0, 1), "
                f"got {self.follow_up_share}, {self.kill_at}"
            )


@dataclass
class Post:
    """One update as Telegram delivers it, and when it was first posted."""

    update_id: int
    chat_id: int
    kind: str  # "question", "follow_up" or "subscribe"
    text: str
    message: dict
    posted: float = 0.0  # time.monotonic() of the first attempt
    attempts: int = 0

    @property
    def group(self) -> bool:
        return self.chat_id < 0

    @property
    def update(self) -> dict:
        return {"update_id": self.update_id, "message": self.message}


def chat_ids(count: int) -> list[int]:
    """Private chats (positive ids) and groups (negative), alternately."""
    return [(10_000 + i) * (-1 if i % 2 else 1) for i in range(count)]


def traffic(load: Load, questions: list[str], leads: set[str], tg) -> list[Post]:
    """The updates in posting order: each chat's messages spread over the run, a follow-up
    a few seconds after the chat's question it follows (only after a `lead`, a question
    the assistant answers with a turn to follow), /nhacviec on first in the subscribed
    chats. Group messages mention the bot and come from a member of their own."""
    rng = random.Random(load.seed)
    follow_given_lead = load.follow_up_share / (1 - load.follow_up_share)
    duration = load.updates / load.rate
    timed: list[tuple[float, int, str, str]] = []
    for i, chat in enumerate(chat_ids(load.chats)):
        count = load.updates // load.chats + (i < load.updates % load.chats)
        gap = duration / count
        at, last = rng.uniform(0, 1.0 if i < load.subscribed else gap), ""
        for j in range(count):
            if j == 0 and i < load.subscribed:
                kind, text = "subscribe", SUBSCRIBE
            elif last in leads and rng.random() < follow_given_lead:
                kind, text = "follow_up", rng.choice(FOLLOW_UPS)
                at += rng.uniform(1.0, 4.0)  # soon after the question
            else:
                kind, text = "question", rng.choice(questions)
                at += gap * rng.uniform(0.8, 1.2) if j else 0.0
            timed.append((at, chat, kind, text))
            last = text if kind == "question" else ""
    timed.sort(key=lambda t: t[0])
    posts = []
    for update_id, (_, chat, kind, text) in enumerate(timed, start=100_001):
        user = -chat + 50_000 if chat < 0 else chat
        typed = text if chat > 0 or kind == "subscribe" else f"@{tg.username} {text}"
        message = tg.text_message(
            typed, chat_id=chat, user_id=user, chat_type="group" if chat < 0 else "private"
        )
        posts.append(Post(update_id, chat, kind, text, message))
    return posts


def screen(assistant, questions: list[str]) -> set[str]:
    """The questions a follow-up can follow: those the assistant answers with a turn to
    remember (not a place to choose, not unreadable), asked in a fresh chat."""
    from assistant.converse import dialogue

    return {q for q in dict.fromkeys(questions) if dialogue.ask(assistant, q, None).turn is not None}


@dataclass
class Replies:
    """The replies the fake server saw: each reply's first message by the update it answers
    (two for an update answered twice); digests by chat; the further messages of replies
    too long for one; messages that answer no update."""

    by_update: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    digests: Counter = field(default_factory=Counter)
    continued: int = 0
    stray: list = field(default_factory=list)

    def answered(self, update_id: int) -> bool:
        return bool(self.by_update.get(update_id))


def match(posts: list[Post], calls: list) -> Replies:
    """Each successful sendMessage matched to the update it answers (see the module's doc).
    A long reply goes in several messages, only the first quoting the question in a group;
    in a private chat a message continues the chat's last reply when that one came without
    buttons (a question's answer has them under its last message) and no "typing…" (sent
    before every answer to a question) came since."""
    quoted = {(p.chat_id, p.message["message_id"]): p.update_id for p in posts if p.group}
    private: dict[int, list[int]] = defaultdict(list)
    for p in posts:
        if not p.group:
            private[p.chat_id].append(p.update_id)
    groups = {p.chat_id for p in posts if p.group}
    seen: Counter = Counter()  # replies each private chat got
    going_on: set[int] = set()  # private chats whose last message may go on: no buttons, no typing since
    out = Replies()
    for call in calls:
        chat = call.params.get("chat_id")
        if not call.ok or call.method not in ("sendMessage", "sendChatAction"):
            continue
        if call.method == "sendChatAction":
            going_on.discard(chat)
            continue
        text, reply = str(call.params.get("text", "")), call.params.get("reply_parameters")
        if text.startswith(DIGEST):  # the morning's, between any two replies
            out.digests[chat] += 1
            continue
        if isinstance(reply, dict) and (chat, reply.get("message_id")) in quoted:
            out.by_update[quoted[chat, reply["message_id"]]].append(call)
        elif chat in going_on:
            out.continued += 1
        elif chat in private and seen[chat] < len(private[chat]):
            out.by_update[private[chat][seen[chat]]].append(call)
            seen[chat] += 1
        elif chat in groups and reply is None:
            out.continued += 1
        else:
            out.stray.append(call)
        if chat in private and not call.params.get("reply_markup"):
            going_on.add(chat)
        else:
            going_on.discard(chat)
    return out


def timeline(posts: list[Post], calls: list, chat: int) -> list[str]:
    """A chat's updates and the messages sent to it, in time order (to read a failure)."""
    events = [(p.posted, f"update {p.update_id} {p.kind}: {p.text[:60]}") for p in posts if p.chat_id == chat]
    events += [
        (c.at, f"  {c.method}: {visible(str(c.params.get('text', '')))[:60]!r}")
        for c in calls
        if c.params.get("chat_id") == chat and c.method in ("sendMessage", "sendChatAction")
    ]
    start = min(at for at, _ in events)
    return [f"{at - start:8.2f}  {line}" for at, line in sorted(events)]


@dataclass(frozen=True)
class Verdict:
    """What the run left, in counts; `ok` when every invariant holds."""

    updates: int
    answered_once: int
    unanswered: list[int]
    answered_twice: list[int]
    follow_ups: int
    follow_ups_resolved: int
    unresolved: list[str]  # "update: reply" of the follow-ups answered without "Hiểu là:"
    subscribed: int
    digests_once: int
    digests_wrong: dict[int, int]  # chat -> digests it got, where not exactly what it should
    stray: int
    problem_chats: list[int]  # the chats where an invariant failed

    @property
    def ok(self) -> bool:
        return (
            self.answered_once == self.updates
            and self.follow_ups_resolved == self.follow_ups
            and self.digests_once == self.subscribed
            and not self.digests_wrong
            and not self.stray
        )


def verdict(posts: list[Post], replies: Replies) -> Verdict:
    counts = {p.update_id: len(replies.by_update.get(p.update_id, ())) for p in posts}
    follow_ups = [p for p in posts if p.kind == "follow_up"]
    unresolved = [
        f"{p.update_id}: {visible(replies.by_update[p.update_id][0].params['text'])[:80]}"
        for p in follow_ups
        if replies.answered(p.update_id)
        and not visible(replies.by_update[p.update_id][0].params["text"]).startswith(UNDERSTOOD)
    ]
    subscribed = {p.chat_id for p in posts if p.kind == "subscribe"}
    wanted = {chat: int(chat in subscribed) for chat in {p.chat_id for p in posts}}
    return Verdict(
        updates=len(posts),
        answered_once=sum(n == 1 for n in counts.values()),
        unanswered=sorted(u for u, n in counts.items() if n == 0),
        answered_twice=sorted(u for u, n in counts.items() if n > 1),
        follow_ups=len(follow_ups),
        follow_ups_resolved=sum(replies.answered(p.update_id) for p in follow_ups) - len(unresolved),
        unresolved=unresolved,
        subscribed=len(subscribed),
        digests_once=sum(replies.digests[chat] == 1 for chat in subscribed),
        digests_wrong={c: replies.digests[c] for c, n in wanted.items() if replies.digests[c] != n},
        stray=len(replies.stray),
        problem_chats=sorted(
            {
                p.chat_id
                for p in posts
                if counts[p.update_id] != 1 or any(line.startswith(f"{p.update_id}:") for line in unresolved)
            }
            | {c.params.get("chat_id") for c in replies.stray}
            | {c for c, n in wanted.items() if replies.digests[c] != n}
        ),
    )


def explain(posts: list[Post], calls: list, chats: list[int], most: int = 5) -> str:
    """The timelines of the first `most` chats where an invariant failed."""
    return "\n\n".join(f"chat {chat}:\n" + "\n".join(timeline(posts, calls, chat)) for chat in chats[:most])
