"""Every command the bot offers, in one place: registered with Telegram, listed by /help.
Admin commands are listed only to admins (in /help and in their own chat's command menu)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    name: str
    description: str  # shown in Telegram's command menu (setMyCommands) and in /help
    usage: str = ""  # the arguments, as shown in /help


COMMANDS: tuple[Command, ...] = (
    Command("start", "Giới thiệu trợ lý và các kế hoạch đang có"),
    Command("help", "Danh sách lệnh và cách dùng"),
    Command("kehoach", "Các kế hoạch: địa bàn, thời kỳ, số nhiệm vụ, trách nhiệm, báo cáo, chỉ tiêu"),
    Command("diaban", "Chọn xã/phường của bạn: câu hỏi, hạn chót dùng địa bàn này", "[tên xã/phường]"),
    Command("donvi", "Trách nhiệm và nhiệm vụ của một đơn vị theo từng kế hoạch", "<tên đơn vị>"),
    Command("hoi", "Đặt câu hỏi về kế hoạch (dùng trong nhóm)", "<câu hỏi>"),
    Command("hanchot", "Các hạn chót sắp tới (mặc định 30 ngày)", "[số ngày]"),
    Command("nhacviec", "Bật hoặc tắt nhắc hạn chót lúc 7:30 mỗi sáng", "on [đơn vị] | off"),
    Command("lich", "Tải tệp lịch hạn chót (.ics) để thêm vào lịch", "[đơn vị]"),
    Command(
        "tonghop",
        "Bảng tổng hợp các xã, phường (Excel): kế hoạch, số nhiệm vụ, hạn báo cáo, chỉ tiêu",
        "[tỉnh/thành phố hoặc huyện] [năm]",
    ),
)


ADMIN_COMMANDS: tuple[Command, ...] = (
    Command("xoakehoach", "Gỡ một kế hoạch khỏi kho (quản trị viên)", "[mã kế hoạch hoặc tên xã/phường]"),
    Command("moi", "Tạo mã mời dùng một lần cho cán bộ mới (quản trị viên)", "[mã cuộc trò chuyện]"),
    Command(
        "thuhoi",
        "Thu hồi quyền của một cuộc trò chuyện, hủy mã mời (quản trị viên)",
        "<mã cuộc trò chuyện | mã mời>",
    ),
    Command("danhsach", "Ai được dùng trợ lý và bằng cách nào (quản trị viên)"),
)


def usage(name: str) -> str:
    """ "/donvi <tên đơn vị>" for a command name."""
    cmd = next(c for c in COMMANDS + ADMIN_COMMANDS if c.name == name)
    return f"/{cmd.name} {cmd.usage}".strip()
