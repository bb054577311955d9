"""Due items -> an iCalendar file: one all-day event per item, reminded the day before."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Alarm, Calendar, Event, Timezone

from assistant.due.schedule import TIMEZONE, DueItem
from assistant.lang.normalize import short
from assistant.present.words import lines_label
from assistant.records import stable_id

PRODID = "-//cchc-assistant//lich-han-cong-viec//VI"
UID_DOMAIN = "cchc-assistant"
SUMMARY_CHARS = 90


def to_ics(items: list[DueItem], name: str) -> bytes:
    """An .ics calendar named `name` holding one VEVENT per item."""
    cal = Calendar.new(name=name, prodid=PRODID, uid=f"{stable_id('calendar', name)}@{UID_DOMAIN}")
    cal.add("x-wr-timezone", TIMEZONE)
    cal.add_component(Timezone.from_tzid(TIMEZONE, first_date=date(2000, 1, 1), last_date=date(2038, 1, 1)))
    stamp = datetime.now(UTC).replace(microsecond=0)
    for item in items:
        cal.add_component(_event(item, stamp))
    return cal.to_ical()


def event_uid(item: DueItem) -> str:
    """Stable across runs; `what` and `kind` tell apart the several reports of one sentence."""
    return f"{stable_id(item.plan, item.lines, item.due.isoformat(), item.kind, item.what)}@{UID_DOMAIN}"


def _event(item: DueItem, stamp: datetime) -> Event:
    event = Event.new(
        uid=event_uid(item),
        summary=short(item.what, SUMMARY_CHARS),
        description=_description(item),
        start=item.due,
        end=item.due + timedelta(days=1),
        stamp=stamp,
        categories=["Báo cáo" if item.kind == "report" else "Nhiệm vụ"],
    )
    alarm = Alarm.new(description=f"Ngày mai đến hạn: {short(item.what, SUMMARY_CHARS)}")
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", timedelta(days=-1))
    event.add_component(alarm)
    return event


def _description(item: DueItem) -> str:
    role = "Đơn vị gửi" if item.kind == "report" else "Chủ trì"
    lead = ", ".join(item.lead) or ("các cơ quan, đơn vị" if item.kind == "report" else "chưa nêu")
    lines = lines_label(item.lines)
    return "\n".join(
        [
            f"{role}: {lead}",
            f"Kế hoạch: {item.plan_title}",
            f"Mục: {item.section or '—'}",
            f"Trích kế hoạch ({lines}): «{item.quote}»",
        ]
    )
