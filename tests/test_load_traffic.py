"""The load run's bookkeeping on its own: the traffic it posts, and the replies matched to
the updates they answer (tests/loadtraffic.py), on calls made up here."""

from __future__ import annotations

from fake_telegram import Call, FakeTelegram
from loadtraffic import DIGEST, FOLLOW_UPS, SUBSCRIBE, Load, Post, match, traffic, verdict

LEAD = "Ai chủ trì cải cách thể chế ở xã Kỳ Lạc?"


def post(tg, update_id: int, chat: int, kind: str, text: str) -> Post:
    kind_of_chat = "group" if chat < 0 else "private"
    return Post(update_id, chat, kind, text, tg.text_message(text, chat_id=chat, chat_type=kind_of_chat))


def said(chat: int, text: str, quoting: Post | None = None, buttons: bool = False) -> Call:
    params = {"chat_id": chat, "text": text}
    if buttons:
        params["reply_markup"] = {"inline_keyboard": [[{"text": "👍", "callback_data": "up:k"}]]}
    if quoting is not None:
        params["reply_parameters"] = {"message_id": quoting.message["message_id"]}
    return Call("sendMessage", params)


def typing(chat: int) -> Call:
    return Call("sendChatAction", {"chat_id": chat, "action": "typing"})


def test_replies_are_matched_to_their_updates_long_ones_and_digests_apart():
    tg = FakeTelegram()
    mine = [post(tg, 1, 7, "subscribe", SUBSCRIBE), post(tg, 2, 7, "question", LEAD)]
    mine += [post(tg, 3, 7, "follow_up", FOLLOW_UPS[0]), post(tg, 6, 7, "question", LEAD)]
    ours = [post(tg, 4, -8, "question", LEAD), post(tg, 5, -8, "follow_up", FOLLOW_UPS[1])]
    calls = [
        said(7, "Đã bật nhắc việc"),
        typing(-8),
        said(-8, "Phòng Tư pháp", ours[0]),
        typing(7),
        said(7, "Phòng Tư pháp …"),
        said(7, "… (tiếp)", buttons=True),  # the same reply, too long for one message
        typing(7),
        said(7, f"{DIGEST} <b>Nhắc việc ngày 24/01/2026</b>"),  # while the next is answered
        said(7, "<i>Hiểu là: Ai phối hợp …</i>", buttons=True),
        said(7, "Phòng Tư pháp", buttons=True),  # its "typing…" lost: after buttons, a new reply
        said(-8, "<i>Hiểu là: Hạn …</i>", ours[1]),
        said(-8, "… (tiếp)"),
    ]
    replies = match(mine + ours, calls)
    assert {u: len(c) for u, c in replies.by_update.items()} == dict.fromkeys(range(1, 7), 1)
    assert replies.by_update[3][0].params["text"].startswith("<i>Hiểu là")
    assert (replies.continued, replies.digests, replies.stray) == (2, {7: 1}, [])
    assert verdict(mine + ours, replies).ok


def test_an_update_answered_twice_or_a_follow_up_not_understood_fails_the_run():
    tg = FakeTelegram()
    posts = [post(tg, 1, 7, "question", LEAD), post(tg, 2, -8, "question", LEAD)]
    posts += [post(tg, 3, -8, "follow_up", FOLLOW_UPS[0])]
    calls = [typing(7), said(7, "Phòng Tư pháp"), typing(7), said(7, "Phòng Tư pháp")]
    calls += [said(-8, "Phòng Tư pháp", posts[1]), said(-8, "Phòng Tư pháp", posts[1])]
    calls += [said(-8, "Không tìm thấy", posts[2])]
    found = verdict(posts, match(posts, calls))
    assert not found.ok
    assert (found.answered_twice, found.stray, found.follow_ups_resolved) == ([2], 1, 0)
    assert found.unresolved == ["3: Không tìm thấy"] and found.problem_chats == [-8, 7]


def test_the_traffic_spreads_each_chats_messages_follow_ups_after_their_question():
    tg = FakeTelegram()
    load = Load(updates=400, chats=40, subscribed=5)
    posts = traffic(load, [LEAD, "Con mèo tên gì?"], {LEAD}, tg)
    assert len(posts) == 400 and len({p.chat_id for p in posts}) == 40
    assert [p.update_id for p in posts] == sorted(p.update_id for p in posts)
    assert sum(p.kind == "subscribe" for p in posts) == 5
    assert 0.15 < sum(p.kind == "follow_up" for p in posts) / 400 < 0.3
    last: dict[int, Post] = {}
    for p in posts:
        if p.kind == "follow_up":
            assert last[p.chat_id].text == LEAD  # right after the chat's own question
        last[p.chat_id] = p
    group = next(p for p in posts if p.group and p.kind == "question")
    assert group.message["text"] == f"@{tg.username} {group.text}"
