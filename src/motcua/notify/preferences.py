"""Which channels reach a recipient: their own choice when they have an account and made one, else the defaults.

Defaults: e-mail and in-app on; SMS on for applicants who gave a phone (a citizen may not read e-mail, an
officer sees the in-app bell every day). A recipient without an account (a walk-in applicant) is written to
at the addresses they gave. A channel needs its address: no e-mail without one, no SMS without a phone,
no in-app message without an account.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from motcua.notify.models import Channel, Preference

APPLICANT = "applicant"


@dataclass(frozen=True)
class Choice:
    email: bool = True
    sms: bool = False
    in_app: bool = True


def default_choice(role: str) -> Choice:
    return Choice(email=True, sms=role == APPLICANT, in_app=True)


def stored(user_ids: Iterable[int]) -> dict[int, Choice]:
    """The choices saved by these accounts, in one query."""
    ids = {i for i in user_ids if i}
    if not ids:
        return {}
    return {row["user_id"]: Choice(row["email"], row["sms"], row["in_app"])
            for row in Preference.objects.filter(user_id__in=ids).values("user_id", "email", "sms", "in_app")}


def channels_for(recipient: Mapping[str, Any], choices: Mapping[int, Choice]) -> list[tuple[str, str]]:
    """(channel, address) pairs for one recipient dict."""
    user_id = recipient.get("user_id")
    email = (recipient.get("email") or "").strip()
    phone = (recipient.get("phone") or "").strip()
    if user_id:
        choice = choices.get(user_id) or default_choice(recipient.get("role", ""))
    else:
        choice = Choice(email=True, sms=True, in_app=False)
    out: list[tuple[str, str]] = []
    if choice.email and email:
        out.append((Channel.EMAIL, email))
    if choice.sms and phone:
        out.append((Channel.SMS, phone))
    if choice.in_app and user_id:
        out.append((Channel.IN_APP, ""))
    return out
