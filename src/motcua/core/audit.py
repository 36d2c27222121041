"""The audit log: every write records who did what to which row, in a SHA-256 hash chain.

``record`` is called by services inside their transaction, so the event commits or rolls back with the
change it describes. Each agency has its own chain (chain 0 for deployment-wide events): writers lock the
chain's head row, so that concurrent writers queue instead of forking it, and agencies do not queue
behind each other. ``verify`` walks every chain and names the first broken link.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db import IntegrityError, models, transaction

from motcua.core import clock
from motcua.core.middleware import current_ip
from motcua.core.models import GENESIS_HASH, AuditChainHead, AuditEvent

HASHED_FIELDS = ("chain", "seq", "at", "actor_id", "actor_username", "agency_id", "action", "object_type",
                 "object_id", "object_repr", "changes", "ip", "prev_hash")


def _jsonable(value: Any) -> Any:
    """Values as they will read back from a JSON column on both databases."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def event_hash(fields: Mapping[str, Any]) -> str:
    payload = {name: fields[name] for name in HASHED_FIELDS}
    at = payload["at"]
    payload["at"] = at.astimezone(UTC).isoformat(timespec="microseconds")
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of ``fields`` of a row, for the before/after of an event."""
    out: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        out[name] = getattr(instance, field.attname)
    return _jsonable(out)


def diff(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Only the fields that changed: ``{"before": {...}, "after": {...}}``."""
    before = _jsonable(dict(before or {}))
    after = _jsonable(dict(after or {}))
    keys = sorted(set(before) | set(after))
    changed = [k for k in keys if before.get(k) != after.get(k)]
    return {
        "before": {k: before[k] for k in changed if k in before},
        "after": {k: after[k] for k in changed if k in after},
    }


def _lock_head(chain: int) -> AuditChainHead:
    try:
        return AuditChainHead.objects.select_for_update().get(chain=chain)
    except AuditChainHead.DoesNotExist:
        try:
            with transaction.atomic():
                AuditChainHead.objects.create(chain=chain)
        except IntegrityError:
            pass  # another writer created it first; lock theirs
        return AuditChainHead.objects.select_for_update().get(chain=chain)


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    agency_id: int | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    ip: str | None = None,
) -> AuditEvent:
    """Append one event to the chain of its agency. Must run inside the caller's transaction."""
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
        object_repr = object_repr or str(target)[:300]
        if agency_id is None:
            agency_id = getattr(target, "agency_id", None)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    if agency_id is None and authenticated:
        # A row of no agency (a calendar several agencies share) goes to the chain of the agency whose
        # officer changed it, so that this agency's auditors see who changed it.
        agency_id = getattr(getattr(actor, "staff", None), "agency_id", None)
    chain = int(agency_id or 0)
    with transaction.atomic():
        head = _lock_head(chain)
        fields: dict[str, Any] = {
            "chain": chain,
            "seq": head.last_seq + 1,
            "at": clock.now(),
            "actor_id": actor.pk if authenticated else None,
            "actor_username": actor.get_username() if authenticated else "",
            "agency_id": agency_id,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "object_repr": object_repr,
            "changes": diff(before, after) if (before is not None or after is not None) else {},
            "ip": ip if ip is not None else current_ip.get(),
            "prev_hash": head.last_hash,
        }
        fields["hash"] = event_hash(fields)
        event = AuditEvent.objects.create(**fields)
        head.last_seq = event.seq
        head.last_hash = event.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return event


@dataclass(frozen=True)
class Break:
    """The first broken link of a chain, told the way an auditor needs it."""

    chain: int
    seq: int
    event_id: int | None
    reason: str

    def __str__(self) -> str:
        where = f"chuỗi {self.chain}, sự kiện số {self.seq}"
        if self.event_id is not None:
            where += f" (id {self.event_id})"
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class VerifyResult:
    chains: int
    events: int
    breaks: tuple[Break, ...]

    @property
    def ok(self) -> bool:
        return not self.breaks


def _verify_chain(head: AuditChainHead | None, chain: int, events: Iterator[AuditEvent]) -> tuple[int, Break | None]:
    expected_seq, prev_hash, count = 1, GENESIS_HASH, 0
    for event in events:
        count += 1
        if event.seq != expected_seq:
            return count, Break(chain, expected_seq, None,
                                f"thiếu sự kiện (gặp số {event.seq}): có dòng đã bị xóa")
        if event.prev_hash != prev_hash:
            return count, Break(chain, event.seq, event.pk, "mã băm trước không khớp với sự kiện liền trước")
        fields = {name: getattr(event, name) for name in HASHED_FIELDS}
        if event_hash(fields) != event.hash:
            return count, Break(chain, event.seq, event.pk, "nội dung đã bị sửa: mã băm không khớp")
        prev_hash, expected_seq = event.hash, expected_seq + 1
    if head is not None and (head.last_seq != expected_seq - 1 or head.last_hash != prev_hash):
        return count, Break(chain, expected_seq, None,
                            f"chuỗi dừng ở số {expected_seq - 1} nhưng đầu chuỗi ghi số {head.last_seq}: "
                            "có sự kiện cuối đã bị xóa")
    return count, None


def verify(*, chains: Iterable[int] | None = None) -> VerifyResult:
    """Recompute every chain from its genesis. Reads in seq order, in chunks, so memory stays flat."""
    heads = {h.chain: h for h in AuditChainHead.objects.all()}
    wanted = set(chains) if chains is not None else set(heads) | set(
        AuditEvent.objects.values_list("chain", flat=True).distinct()
    )
    breaks: list[Break] = []
    total = 0
    for chain in sorted(wanted):
        events = AuditEvent.objects.filter(chain=chain).order_by("seq").iterator(chunk_size=2000)
        count, broken = _verify_chain(heads.get(chain), chain, events)
        total += count
        if broken:
            breaks.append(broken)
    return VerifyResult(chains=len(wanted), events=total, breaks=tuple(breaks))
