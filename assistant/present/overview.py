"""The overview in Vietnamese: its table (column headers, one row per commune, the
targets several plans share side by side), its short summary, the console listing and
the CSV file. The .xlsx is `present.sheet`'s. Pure functions over `due.overview`."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from datetime import date, timedelta

from assistant.due.overview import Overview, Row
from assistant.lang.normalize import fold, short

FIXED_HEADERS = (
    "Tỉnh/thành phố",
    "Huyện",
    "Xã/phường",
    "Số kế hoạch",
    "Ngày ban hành",
    "Kỳ kế hoạch",
    "Số nhiệm vụ",
    "Số trách nhiệm",
    "Số báo cáo",
    "Số chỉ tiêu",
)
NAMES_LISTED = 8  # communes named in a summary line before "… và N nơi khác"
NO_DAY = "Kế hoạch không nêu ngày gửi báo cáo"


def period_label(ov: Overview) -> str:
    return f"năm {ov.year}" if ov.year else "mọi kỳ"


def scope_label(ov: Overview) -> str:
    """The province and district asked for, as the plans write them when one matched."""
    asked = [x for x in (ov.district, ov.province) if x]
    if not asked:
        return "mọi địa bàn"
    if not ov.rows:
        return ", ".join(asked)
    first = ov.rows[0].commune
    return ", ".join(x for x in (first.district * bool(ov.district), first.province * bool(ov.province)) if x)


def headers(ov: Overview) -> list[str]:
    due = f"Hạn báo cáo {ov.days} ngày tới ({ov.today:%d/%m}–{_end(ov):%d/%m/%Y})"
    return [*FIXED_HEADERS, due, "Ghi chú", *(f"Chỉ tiêu: {t.header}" for t in ov.topics)]


def table(ov: Overview) -> list[list[str | int | None]]:
    """The rows under `headers(ov)`: counts as numbers, a commune without a plan blank."""
    return [_row(ov, r) for r in ov.rows]


def _row(ov: Overview, row: Row) -> list[str | int | None]:
    c, rec = row.commune, row.plan
    plan = rec.plan if rec else None
    counts: list[int | None] = list(row.counts) if rec else [None] * 4
    return [
        c.province,
        c.district,
        c.place or (plan.title if plan else ""),
        (plan.number or "") if plan else "",
        (plan.date or "") if plan else "",
        plan.period if plan else "",
        *counts,
        _reports_cell(row),
        _note(ov, row),
        *("; ".join(values) for values in row.values),
    ]


def _reports_cell(row: Row) -> str:
    if row.reports_due:
        return "\n".join(f"{i.due:%d/%m/%Y}: {i.what}" for i in row.reports_due)
    return NO_DAY if row.undated_reports else ""


def _note(ov: Overview, row: Row) -> str:
    if row.plan is not None:
        return ""
    return f"Chưa có kế hoạch {period_label(ov)} (đã có: {', '.join(row.other_periods)})"


def _end(ov: Overview) -> date:
    return ov.today + timedelta(days=ov.days)


def _names(rows: Sequence[Row], limit: int = NAMES_LISTED) -> str:
    names = [r.commune.place for r in rows]
    shown = ", ".join(names[:limit])
    return shown + (f" và {len(names) - limit} nơi khác" if len(names) > limit else "")


def summary_lines(ov: Overview) -> list[str]:
    """The short summary: the scope and period, who has a plan and who has none, the
    totals, the reports due soon, the shared targets. Plain text, one fact a line."""
    period = period_label(ov)
    head = f"Tổng hợp kế hoạch CCHC {period} — {scope_label(ov)}: {len(ov.rows)} xã, phường"
    if not ov.rows:
        return [f"Không có kế hoạch nào của {scope_label(ov)}."]
    have, missing = ov.with_plan, ov.missing
    lines = [head, f"• Có kế hoạch {period}: {len(have)}" + (f" ({_names(have)})" if have else "")]
    if missing:
        lines.append(f"• Chưa có kế hoạch {period}: {len(missing)} ({_names(missing)})")
    totals = [sum(r.counts[i] for r in have) for i in range(4)]
    lines.append(
        f"• Tổng: {totals[0]} nhiệm vụ, {totals[1]} trách nhiệm, {totals[2]} báo cáo, {totals[3]} chỉ tiêu"
    )
    window = f"từ {ov.today:%d/%m/%Y} đến {_end(ov):%d/%m/%Y}"
    due = ov.reports_due
    if due:
        first = due[0]
        places = {r.plan.plan.id: r.commune.place for r in have}
        lines.append(
            f"• Hạn báo cáo {window}: {len(due)}, gần nhất {first.due:%d/%m/%Y} ({places[first.plan]})"
        )
    else:
        lines.append(f"• Không có hạn báo cáo nào {window}")
    if ov.topics:
        lines.append(f"• Chỉ tiêu chung của nhiều kế hoạch: {len(ov.topics)} (đặt cạnh nhau trong bảng)")
    return lines


def overview_text(ov: Overview) -> str:
    """The console's listing: the summary, a line per commune, the shared targets."""
    lines = summary_lines(ov)
    if not ov.rows:
        return "\n".join(lines)
    lines.append("")
    for row in ov.rows:
        lines.append(_commune_line(ov, row))
    for topic in ov.topics:
        lines += ["", f"Chỉ tiêu chung: {short(topic.header, 120)}"]
        for row in ov.with_plan:
            values = row.values[ov.topics.index(topic)]
            if values:
                lines.append(f"  {row.commune.place}: {'; '.join(values)}")
    return "\n".join(lines)


def _commune_line(ov: Overview, row: Row) -> str:
    c = row.commune
    above = [x for x in (c.district if not ov.district else "", c.province if not ov.province else "") if x]
    where = ", ".join([c.place, *above])
    if row.plan is None:
        return f"✗ {where}: {_note(ov, row)}"
    plan = row.plan.plan
    number = f"số {plan.number}, " if plan.number else ""
    t, d, r, g = row.counts
    line = f"✓ {where} ({number}{plan.period}): {t} nhiệm vụ, {d} trách nhiệm, {r} báo cáo, {g} chỉ tiêu"
    if row.reports_due:
        days = sorted({f"{i.due:%d/%m}" for i in row.reports_due})
        line += f"; hạn báo cáo: {', '.join(days)}"
    return line


def to_csv(ov: Overview) -> str:
    """The table as CSV (comma-separated, a header row, UTF-8 text)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers(ov))
    writer.writerows([["" if v is None else v for v in row] for row in table(ov)])
    return out.getvalue()


def file_stem(ov: Overview) -> str:
    """ "tong-hop-cchc-2026-an-giang": the period and the scope, ASCII."""
    scope = " ".join(x for x in (ov.province, ov.district) if x)
    slug = re.sub(r"[^a-z0-9]+", "-", fold(scope)).strip("-")
    year = str(ov.year) if ov.year else "moi-ky"
    return "-".join(x for x in ("tong-hop-cchc", year, slug[:40].rstrip("-")) if x)
