"""Writes and domain rules of matching (``push_create`` is a cross-app contract)."""

from .batch import match_batch_excel, match_batch_rows, read_jsonl
from .importing import NeedImportReport, need_import_excel
from .needs import (
    EnterpriseRegistration,
    RegistrationOutcome,
    ReviewDecision,
    attachment_check,
    enterprise_register,
    need_close_expired,
    need_review,
    need_submit,
    need_tag,
    need_update,
)
from .pushes import (
    PushItemSpec,
    need_push,
    push_create,
    push_digest_send,
    push_item_record_click,
    push_item_record_feedback,
    push_item_record_outcome,
    push_preference_get,
    push_preference_update,
    push_record_open,
    push_send,
    push_send_due,
)
from .receipts import push_receipt_record, push_receipts_poll

__all__ = [
    "EnterpriseRegistration",
    "NeedImportReport",
    "PushItemSpec",
    "RegistrationOutcome",
    "ReviewDecision",
    "attachment_check",
    "enterprise_register",
    "match_batch_excel",
    "match_batch_rows",
    "need_close_expired",
    "need_import_excel",
    "need_push",
    "need_review",
    "need_submit",
    "need_tag",
    "need_update",
    "push_create",
    "push_digest_send",
    "push_item_record_click",
    "push_item_record_feedback",
    "push_item_record_outcome",
    "push_preference_get",
    "push_preference_update",
    "push_receipt_record",
    "push_receipts_poll",
    "push_record_open",
    "push_send",
    "push_send_due",
    "read_jsonl",
]
