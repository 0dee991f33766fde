"""Tagging patents to chain nodes.

Rules run as one ``INSERT … SELECT`` per node and rule kind, so 1M patents ×
50 nodes never go through Python. Order of the statements sets which reason a
tag keeps when several rules match: IPC, CPC, concordance, then keywords; the
IPC predictor only tags patents that have no IPC code at all.

Staff corrections win: a confirmed or rejected tag is never deleted by a
re-run, and ``ON CONFLICT DO NOTHING`` keeps rules from overwriting it.

Incremental: a node whose definition changed since its last run (hash) is
re-tagged in full; an unchanged node only re-tags the patents changed since
the chain's last run (``Patent.updated_at`` is indexed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import connection, transaction
from django.db.models import (
    CharField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Concat
from django.utils import timezone

from patents.models import Patent, PatentClassification

from ..models import ChainNode, IndustryChain, PatentNodeTag
from .concordance import code_pattern, concordance_codes
from .keywords import keyword_match, keyword_q
from .predictor import predict_ipc
from .sql import analyze, insert_from_select

TAG_COLUMNS = ["patent_id", "node_id", "chain_id", "source", "reason", "status"]
PREDICTION_MIN_SCORE = 0.3
PREDICTION_BATCH = 500

Progress = Callable[[int, int], None]


def _codes_q(codes: list[str]) -> Q | None:
    """One filter on PatentClassification for a list of defined codes.

    Subclasses go through the indexed ``subclass`` column, main groups (``H01M10/``)
    through the group part of the code on PostgreSQL (``split_part``, one hashed
    IN list instead of hundreds of LIKEs), subgroups by exact IN; coarser codes
    (class, section) stay prefix matches.
    """
    exact: set[str] = set()
    subclasses: set[str] = set()
    groups: set[str] = set()
    prefixes: set[str] = set()
    for code in codes:
        how, value = code_pattern(code)
        if how == "exact":
            exact.add(value)
        elif len(value) == 4:
            subclasses.add(value)
        elif value.endswith("/"):
            groups.add(value[:-1])
        else:
            prefixes.add(value)
    parts: list[Q] = []
    if subclasses:
        parts.append(Q(subclass__in=sorted(subclasses)))
    if exact:
        parts.append(Q(code__in=sorted(exact)))
    if groups:
        if connection.vendor == "postgresql":
            parts.append(Q(nav_group__in=sorted(groups)))
        else:
            parts += [Q(code__startswith=g + "/") for g in sorted(groups)]
    parts += [Q(code__startswith=p) for p in sorted(prefixes)]
    if not parts:
        return None
    q = parts[0]
    for part in parts[1:]:
        q |= part
    return q


def _classifications() -> QuerySet[PatentClassification]:
    qs = PatentClassification.objects.all()
    if connection.vendor == "postgresql":
        qs = qs.annotate(
            nav_group=Func(
                F("code"), Value("/"), Value(1), function="split_part", output_field=CharField()
            )
        )
    return qs


def _tag_values(qs: QuerySet, *, node: ChainNode, source: str, reason, patent_field: str):
    return qs.values(
        c_patent_id=F(patent_field),
        c_node_id=Value(node.pk, output_field=IntegerField()),
        c_chain_id=Value(node.chain_id, output_field=IntegerField()),
        c_source=Value(source, output_field=CharField()),
        c_reason=reason,
        c_status=Value(PatentNodeTag.Status.AUTO, output_field=CharField()),
    )


def _insert_tags(values_qs: QuerySet) -> int:
    return insert_from_select(
        model=PatentNodeTag, columns=TAG_COLUMNS, queryset=values_qs, ignore_conflicts=True
    )


def node_keyword_expressions(node: ChainNode) -> list[str]:
    return [e for e in (node.keywords_zh.strip(), node.keywords_en.strip()) if e]


def node_tag_rules(*, node: ChainNode, since: dt.datetime | None = None) -> int:
    """Write the rule tags of one node; returns the number of tags written."""
    kw_patent = keyword_q(node_keyword_expressions(node))
    kw_class = keyword_q(node_keyword_expressions(node), prefix="patent__")
    need_kw = node.match_mode == ChainNode.MatchMode.CODE_AND_KEYWORD
    written = 0

    def classified(scheme: str, codes: list[str], *, require_kw: bool) -> QuerySet | None:
        code_q = _codes_q(codes)
        if code_q is None or (require_kw and kw_class is None):
            return None
        qs = _classifications().filter(code_q, scheme=scheme)
        if require_kw:
            qs = qs.filter(kw_class)
        if since is not None:
            qs = qs.filter(patent__updated_at__gte=since)
        return qs

    concordance = concordance_codes(industry_codes=node.sei_industry_codes)
    label = "/".join(node.sei_industry_codes)
    steps = [
        ("ipc", node.ipc_codes, need_kw, "IPC "),
        ("cpc", node.cpc_codes, need_kw, "CPC "),
        ("concordance", list(concordance.unrestricted), need_kw, f"SEI {label} IPC "),
        ("concordance", list(concordance.restricted), True, f"SEI {label} IPC (+keyword) "),
    ]
    for source, codes, require_kw, prefix in steps:
        scheme = "cpc" if source == "cpc" else "ipc"
        qs = classified(scheme, codes, require_kw=require_kw)
        if qs is None:
            continue
        reason = Concat(Value(prefix), F("code"), output_field=CharField())
        written += _insert_tags(
            _tag_values(qs, node=node, source=source, reason=reason, patent_field="patent_id")
        )
    if kw_patent is not None and not need_kw:
        qs = Patent.objects.filter(kw_patent)
        if since is not None:
            qs = qs.filter(updated_at__gte=since)
        expression = " / ".join(node_keyword_expressions(node))
        reason = Value(f"keyword {expression}"[:255], output_field=CharField())
        written += _insert_tags(
            _tag_values(qs, node=node, source="keyword", reason=reason, patent_field="id")
        )
    return written


def _node_subclasses(node: ChainNode) -> set[str]:
    """IPC subclasses a prediction may tag this node by (codes coarser than a subclass
    are expanded by prefix when compared)."""
    codes = list(node.ipc_codes) + list(
        concordance_codes(industry_codes=node.sei_industry_codes).unrestricted
    )
    return {c.replace(" ", "").upper()[:4] for c in codes}


def chain_tag_predicted(
    *, chain: IndustryChain, nodes: list[ChainNode], since: dt.datetime | None
) -> int:
    """Tag patents without any IPC code by the predicted subclasses."""
    targets = [(n, _node_subclasses(n), node_keyword_expressions(n)) for n in nodes]
    targets = [t for t in targets if t[1]]
    if not targets:
        return 0
    qs = Patent.objects.filter(
        ~Exists(PatentClassification.objects.filter(patent=OuterRef("pk"), scheme="ipc"))
    )
    if since is not None:
        qs = qs.filter(updated_at__gte=since)
    written = 0
    last_id = 0
    while True:
        batch = list(
            qs.filter(id__gt=last_id)
            .order_by("id")
            .values_list("id", "title", "abstract")[:PREDICTION_BATCH]
        )
        if not batch:
            break
        last_id = batch[-1][0]
        predictions = predict_ipc(texts=[f"{t} {a}".strip() for _, t, a in batch], top=3)
        tags = []
        for (patent_id, title, abstract), predicted in zip(batch, predictions, strict=False):
            for code, score in predicted:
                if score < PREDICTION_MIN_SCORE:
                    continue
                subclass = code.replace(" ", "").upper()[:4]
                for node, subclasses, expressions in targets:
                    if not any(
                        s.startswith(subclass) or subclass.startswith(s) for s in subclasses
                    ):
                        continue
                    needs_kw = node.match_mode == ChainNode.MatchMode.CODE_AND_KEYWORD
                    if needs_kw and not keyword_match(expressions, f"{title} {abstract}"):
                        continue
                    tags.append(
                        PatentNodeTag(
                            patent_id=patent_id,
                            node=node,
                            chain=chain,
                            source=PatentNodeTag.Source.PREDICTED,
                            reason=f"predicted IPC {subclass} ({score:.2f})",
                        )
                    )
        written += len(PatentNodeTag.objects.bulk_create(tags, ignore_conflicts=True))
    return written


def chain_tag(*, chain: IndustryChain, full: bool = False, progress: Progress | None = None) -> int:
    """Tag the chain's patents; returns the number of tags written."""
    started = timezone.now()
    since = None if full else chain.tagged_at
    nodes = list(chain.nodes.all())
    total = len(nodes) + 1
    written = 0
    for done, node in enumerate(nodes, start=1):
        digest = node.definition_hash()
        node_since = since if since is not None and digest == node.tagged_hash else None
        with transaction.atomic():
            stale = PatentNodeTag.objects.filter(node=node, status=PatentNodeTag.Status.AUTO)
            if node_since is not None:
                stale = stale.filter(patent__updated_at__gte=node_since)
            stale.delete()
            written += node_tag_rules(node=node, since=node_since)
            ChainNode.objects.filter(pk=node.pk).update(tagged_hash=digest)
        if progress:
            progress(done, total)
    written += chain_tag_predicted(chain=chain, nodes=nodes, since=since)
    analyze(PatentNodeTag)
    IndustryChain.objects.filter(pk=chain.pk).update(tagged_at=started)
    chain.tagged_at = started
    if progress:
        progress(total, total)
    return written


def tag_review(*, tag: PatentNodeTag, status: str, user) -> PatentNodeTag:
    """Staff confirm or reject a tag; a re-run never overrides the verdict."""
    if status not in (PatentNodeTag.Status.CONFIRMED, PatentNodeTag.Status.REJECTED):
        raise ValueError(f"Unknown review status {status!r}")
    tag.status = status
    tag.reviewed_by = user
    tag.reviewed_at = timezone.now()
    tag.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    return tag


def tag_add(*, patent: Patent, node: ChainNode, user, reason: str = "") -> PatentNodeTag:
    """Staff put a patent in a node the rules missed."""
    tag, _ = PatentNodeTag.objects.update_or_create(
        patent=patent,
        node=node,
        defaults={
            "chain_id": node.chain_id,
            "source": PatentNodeTag.Source.MANUAL,
            "reason": (reason or "added by staff")[:255],
            "status": PatentNodeTag.Status.CONFIRMED,
            "reviewed_by": user,
            "reviewed_at": timezone.now(),
        },
    )
    return tag
