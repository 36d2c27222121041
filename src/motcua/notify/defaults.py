"""The shipped Vietnamese wording of each event on each channel (Django template syntax, plain text).

The data migration copies these into ``MessageTemplate`` rows that the administrator edits; a missing row
falls back to the text here. Names a template may use come from the payload the caller sends (the dossier
app sends ``code``, ``procedure``, ``agency``, ``applicant``, ``due_at``, ``lookup_url`` with every event,
plus the event's own: ``items``, ``reason``, ``new_due_at``, ``method``; reminders send ``step``,
``step_due_at``, ``remaining``, ``url``); ``recipient`` is the addressee's name. A name the payload lacks is
empty, so every optional part sits in ``{% if %}``.
"""

from __future__ import annotations

WHEN = "{{ %s|date:'H:i' }} ngày {{ %s|date:'d/m/Y' }}"
DUE = WHEN % ("due_at", "due_at")
NEW_DUE = WHEN % ("new_due_at", "new_due_at")
STEP_DUE = WHEN % ("step_due_at", "step_due_at")

DOSSIER = "hồ sơ {{ code }}{% if procedure %} ({{ procedure }}){% endif %}"
DOSSIER_ = "H" + DOSSIER[1:]  # at the start of a sentence
GREETING = "Kính gửi {{ recipient|default:'Ông/Bà' }},\n\n"
LOOKUP = ("{% if applicant_url %}\nXem hồ sơ trong tài khoản của Ông/Bà: {{ applicant_url }}"
          "{% elif lookup_url %}\nTra cứu tình trạng hồ sơ: {{ lookup_url }}{% endif %}")
OPEN = "{% if url %}\nMở hồ sơ: {{ url }}{% endif %}"
OPEN_DOCUMENT = "{% if url %}\nMở văn bản: {{ url }}{% endif %}"
SIGNATURE = ("\n\n{{ agency|default:'Bộ phận Một cửa' }}\n"
             "Thư gửi tự động từ hệ thống một cửa điện tử, xin đừng trả lời thư này.")
REMAINING = "{% if remaining %} ({{ remaining }}){% endif %}"
REASON = "{% if reason %}\nLý do: {{ reason }}{% endif %}"
ITEMS = "{% if items %}\nCần bổ sung:{% for item in items %}\n- {{ item }}{% endfor %}{% endif %}"
SMS_LOOKUP = "{% if lookup_url %} Tra cứu: {{ lookup_url }}{% endif %}"


def _applicant(subject: str, sentence: str, sms: str, extra: str = "") -> dict[str, tuple[str, str]]:
    """One applicant event: the same sentence by e-mail (with greeting, look-up and signature), in-app, and a
    shorter SMS."""
    return {
        "email": (subject, GREETING + sentence + extra + "\n" + LOOKUP + SIGNATURE),
        "in_app": (subject, sentence + extra),
        "sms": ("", sms + SMS_LOOKUP),
    }


def _staff(subject: str, sentence: str, sms: str, open_link: str = OPEN) -> dict[str, tuple[str, str]]:
    return {
        "email": (subject, GREETING + sentence + "\n" + open_link + SIGNATURE),
        "in_app": (subject, sentence),
        "sms": ("", sms),
    }


_RESULT_READY = _applicant(
    "Hồ sơ {{ code }} đã có kết quả",
    f"Kết quả giải quyết {DOSSIER} đã có tại Bộ phận Một cửa. Mời Ông/Bà đến nhận kết quả"
    " (mang theo giấy tiếp nhận hồ sơ và hẹn trả kết quả) hoặc theo hình thức đã đăng ký.",
    "Hồ sơ {{ code }} đã có kết quả, mời Ông/Bà đến nhận tại Bộ phận Một cửa.")

_REFUSED = _applicant(
    "Hồ sơ {{ code }} không được tiếp nhận",
    f"{DOSSIER_} không được tiếp nhận giải quyết.",
    "Hồ sơ {{ code }} không được tiếp nhận giải quyết.{% if reason %} Lý do: {{ reason|truncatechars:80 }}{% endif %}",
    REASON)

TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    "dossier.submitted": _applicant(
        "Đã nhận hồ sơ nộp trực tuyến {{ code }}",
        f"Hệ thống đã nhận {DOSSIER} Ông/Bà nộp trực tuyến. Mã hồ sơ là {{{{ code }}}}; Bộ phận Một cửa sẽ"
        " kiểm tra và báo Ông/Bà kết quả tiếp nhận.",
        "Đã nhận hồ sơ nộp trực tuyến, mã {{ code }}. Bộ phận Một cửa sẽ kiểm tra và báo lại."),
    "dossier.received": _applicant(
        "Hồ sơ {{ code }} đã được tiếp nhận",
        f"{{{{ agency|default:'Cơ quan' }}}} đã tiếp nhận {DOSSIER}."
        f"{{% if due_at %}}\nNgày hẹn trả kết quả: {DUE}.{{% endif %}}",
        "Hồ sơ {{ code }} đã được tiếp nhận.{% if due_at %} Hẹn trả kết quả " + DUE + ".{% endif %}"),
    "dossier.supplement_requested": _applicant(
        "Hồ sơ {{ code }} cần bổ sung",
        f"{DOSSIER_} cần được bổ sung, hoàn thiện trước khi giải quyết tiếp.",
        "Hồ sơ {{ code }} cần bổ sung giấy tờ.{% if items %} Cần: {{ items|join:', '|truncatechars:100 }}.{% endif %}",
        ITEMS + REASON),
    "dossier.refuse": _REFUSED,
    "dossier.refused": _REFUSED,
    "dossier.not_received": _REFUSED,
    "dossier.reject": _applicant(
        "Hồ sơ {{ code }} không được giải quyết",
        f"{DOSSIER_} không đủ điều kiện giải quyết; cơ quan có văn bản trả lời kèm lý do.",
        "Hồ sơ {{ code }} không đủ điều kiện giải quyết.",
        REASON),
    "dossier.stop": _applicant(
        "Hồ sơ {{ code }} đã dừng giải quyết",
        f"Việc giải quyết {DOSSIER} đã dừng.",
        "Hồ sơ {{ code }} đã dừng giải quyết.",
        REASON),
    "dossier.withdraw": _applicant(
        "Hồ sơ {{ code }} đã được rút",
        f"Theo đề nghị của Ông/Bà, {DOSSIER} đã được rút, không tiếp tục giải quyết.",
        "Hồ sơ {{ code }} đã được rút theo đề nghị của Ông/Bà."),
    "dossier.apology": _applicant(
        "Xin lỗi về việc trễ hạn hồ sơ {{ code }}",
        f"{{{{ agency|default:'Cơ quan' }}}} xin lỗi Ông/Bà vì {DOSSIER} chưa giải quyết được đúng hạn đã hẹn."
        f"{{% if new_due_at %}}\nNgày hẹn trả kết quả mới: {NEW_DUE}.{{% endif %}}",
        "Xin lỗi Ông/Bà: hồ sơ {{ code }} chậm so với hẹn.{% if new_due_at %} Hẹn lại " + NEW_DUE + ".{% endif %}",
        REASON),
    "dossier.result_ready": _RESULT_READY,
    "dossier.mark_ready": _RESULT_READY,
    "dossier.returned": _applicant(
        "Đã trả kết quả hồ sơ {{ code }}",
        f"Kết quả giải quyết {DOSSIER} đã được trả cho Ông/Bà. Cảm ơn Ông/Bà đã sử dụng dịch vụ; mời Ông/Bà"
        " đánh giá mức độ hài lòng trên Cổng dịch vụ công.",
        "Đã trả kết quả hồ sơ {{ code }}. Cảm ơn Ông/Bà."),
    "dossier.assigned": _staff(
        "Được giao xử lý hồ sơ {{ code }}",
        f"Ông/Bà được giao xử lý {DOSSIER}{{% if applicant %}} của {{{{ applicant }}}}{{% endif %}}."
        f"{{% if due_at %}}\nHạn trả kết quả cho người dân: {DUE}.{{% endif %}}",
        "Ông/Bà được giao xử lý hồ sơ {{ code }}."),
    "dossier.forwarded": _staff(
        "Hồ sơ {{ code }} chuyển đến Ông/Bà",
        f"{DOSSIER_} đã được chuyển đến Ông/Bà xử lý.",
        "Hồ sơ {{ code }} đã được chuyển đến Ông/Bà xử lý."),
    "dossier.online_to_check": _staff(
        "Hồ sơ trực tuyến {{ code }} chờ kiểm tra",
        f"{DOSSIER_}{{% if applicant %}} của {{{{ applicant }}}}{{% endif %}} vừa được nộp trực tuyến, đang chờ bộ"
        " phận một cửa kiểm tra và tiếp nhận.",
        "Hồ sơ trực tuyến mới {{ code }} chờ bộ phận một cửa kiểm tra."),
    "dossier.online_supplement": _staff(
        "Người nộp đã bổ sung hồ sơ {{ code }}",
        f"{{{{ applicant|default:'Người nộp' }}}} đã bổ sung trực tuyến {DOSSIER} theo yêu cầu. Mời kiểm tra"
        " giấy tờ bổ sung.",
        "Hồ sơ {{ code }} đã được người nộp bổ sung trực tuyến."),
    "dossier.due_soon": _staff(
        "Hồ sơ {{ code }} sắp đến hạn",
        f"Bước «{{{{ step }}}}» của {DOSSIER} đến hạn lúc {STEP_DUE}{REMAINING}.",
        "Hồ sơ {{ code }} sắp đến hạn bước «{{ step }}»: " + STEP_DUE + "."),
    "dossier.overdue": _staff(
        "Hồ sơ {{ code }} đã quá hạn",
        f"Bước «{{{{ step }}}}» của {DOSSIER} đã quá hạn từ {STEP_DUE}{REMAINING}."
        "{% if holder %}\nNgười đang xử lý: {{ holder }}.{% endif %}",
        "Hồ sơ {{ code }} đã quá hạn bước «{{ step }}» ({{ remaining }})."),
    "dossier.digest": _staff(
        "Sáng nay: {{ overdue }} bước xử lý quá hạn, {{ due_soon }} bước sắp đến hạn",
        "{{ agency }} hiện có {{ overdue }} bước xử lý hồ sơ đã quá hạn và {{ due_soon }} bước đến hạn trong một"
        " ngày làm việc tới.{% for line in lines %}\n- {{ line }}{% endfor %}"
        "{% if more %}\n… và {{ more }} hồ sơ khác.{% endif %}",
        "{{ agency }}: {{ overdue }} bước xử lý hồ sơ quá hạn, {{ due_soon }} bước sắp đến hạn."),
    # Official documents (the documents app's morning sweep): code is the document's number and symbol.
    "document.due_soon": _staff(
        "Văn bản {{ code }} sắp đến hạn xử lý",
        "Văn bản {{ code }}{% if summary %} ({{ summary }}){% endif %} cần «{{ action }}» trước " + DUE + REMAINING
        + ".",
        "Văn bản {{ code }} sắp đến hạn: {{ action }} trước " + DUE + ".", OPEN_DOCUMENT),
    "document.overdue": _staff(
        "Văn bản {{ code }} đã quá hạn xử lý",
        "Văn bản {{ code }}{% if summary %} ({{ summary }}){% endif %} đã quá hạn «{{ action }}» từ " + DUE
        + REMAINING + ".{% if holder %}\nNgười đang xử lý: {{ holder }}.{% endif %}",
        "Văn bản {{ code }} đã quá hạn: {{ action }} ({{ remaining }}).", OPEN_DOCUMENT),
}


def texts(event: str, channel: str) -> tuple[str, str] | None:
    """(subject, body) shipped for ``event`` on ``channel``, or None."""
    return TEMPLATES.get(event, {}).get(channel)


def rows() -> list[dict[str, str]]:
    """Every shipped text as the fields of a ``MessageTemplate`` row (for the data migration)."""
    return [{"event": event, "channel": channel, "subject": subject, "body": body}
            for event, by_channel in TEMPLATES.items() for channel, (subject, body) in by_channel.items()]
