"""Celery tasks of matching: thin, idempotent wrappers over services."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="matching.tasks.need_tag_task")
def need_tag_task(*, need_id: int) -> None:
    from .services import need_tag

    need_tag(need_id=need_id)


@shared_task(name="matching.tasks.push_send_task")
def push_send_task(*, push_id: int) -> None:
    from .services import push_send

    push_send(push_id=push_id)


@shared_task
def push_digest_task(programme_line: str | None = None) -> int:
    from .services import push_digest_send

    return push_digest_send(programme_line=programme_line)


@shared_task
def patent_embed_pending_task(limit: int = 500) -> int:
    """Beat-driven: vectors for the next ``limit`` patents in priority order."""
    from .embeddings import patent_embed_batch, patent_embedding_queue

    return patent_embed_batch(patent_ids=patent_embedding_queue(limit=limit))


@shared_task
def need_close_expired_task() -> int:
    from .services import need_close_expired

    return need_close_expired()


@shared_task
def push_send_due_task() -> int:
    from .services import push_send_due

    return push_send_due()


@shared_task
def push_receipts_poll_task() -> int:
    from .services import push_receipts_poll

    return push_receipts_poll()


@shared_task(name="matching.tasks.need_rematch_task")
def need_rematch_task(*, need_id: int) -> int:
    """Store the need's match list (idempotent: recomputes from the current data)."""
    from .services import need_rematch

    return len(need_rematch(need_id=need_id))


@shared_task
def needs_rematch_stale_task(limit: int = 200) -> int:
    """Beat-driven: re-match needs whose stored list is missing or out of date."""
    from .services import needs_rematch_stale

    stale = needs_rematch_stale(limit=limit)
    for need_id in stale:
        need_rematch_task.delay(need_id=need_id)
    return len(stale)
