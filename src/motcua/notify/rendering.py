"""Turning a notification's payload into the words one channel sends.

Templates are plain text (e-mail body, SMS, in-app body are not HTML), so they compile in an engine of their
own with autoescaping off and only Django's built-in tags and filters: an administrator's edit can neither
load other libraries nor read templates from disk. The page that shows an in-app message escapes it.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template import Context, Engine, Template
from django.utils import timezone

from motcua.notify import defaults


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    link: str = ""


@functools.cache
def _engine() -> Engine:
    return Engine(autoescape=False, libraries={}, builtins=[], debug=False)


@functools.lru_cache(maxsize=256)
def compile_text(source: str) -> Template:
    """Compiled once per distinct text; raises ``TemplateSyntaxError``."""
    return _engine().from_string(source)


def _when(value: Any) -> Any:
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return timezone.localtime(parsed) if timezone.is_aware(parsed) else parsed
    return value


def _item(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("name") or value.get("title") or "")
    return str(value)


def absolute(path: str) -> str:
    """A path of ours as the recipient can open it outside the site (an e-mail, an SMS)."""
    if not path or "://" in path:
        return path
    base = getattr(settings, "PUBLIC_BASE_URL", "")
    return f"{base}{path}" if base else path


def context_for(*, event: str, object_id: str, payload: dict[str, Any], recipient: dict[str, Any]) -> dict[str, Any]:
    """What a template may name: the payload, with instants (``*_at``) as local datetimes for ``|date``, items
    as their names, the code (the object's id unless the payload gives one), the recipient's name, and the
    look-up and staff addresses made absolute with PUBLIC_BASE_URL."""
    values: dict[str, Any] = {key: (_when(value) if key.endswith("_at") else value) for key, value in payload.items()}
    values.setdefault("code", object_id)
    values["event"] = event
    values["recipient"] = recipient.get("name", "")
    if isinstance(values.get("items"), list):
        values["items"] = [_item(i) for i in values["items"]]
    for key in ("lookup_url", "url", "applicant_url"):
        if values.get(key):
            values[key] = absolute(str(values[key]))
    return values


def render(source_subject: str, source_body: str, values: dict[str, Any]) -> tuple[str, str]:
    context = Context(values, autoescape=False)
    subject = " ".join(compile_text(source_subject).render(context).split())
    lines = [line.rstrip() for line in compile_text(source_body).render(context).strip().splitlines()]
    body = "\n".join(line for i, line in enumerate(lines) if line or (i and lines[i - 1]))  # no double blanks
    return subject, body


def texts_for(event: str, channel: str) -> tuple[str, str] | None:
    """The administrator's wording for (event, channel), else the shipped one; None when switched off or
    when nothing fits."""
    from motcua.notify.models import MessageTemplate

    row = MessageTemplate.objects.filter(event=event, channel=channel).values("subject", "body", "is_active").first()
    if row is not None:
        return (row["subject"], row["body"]) if row["is_active"] else None
    return defaults.texts(event, channel)
