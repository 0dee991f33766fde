"""Tantivy: a Lucene-class index in a local directory (``SEARCH_INDEX_DIR``).

Why: PostgreSQL ranks every match of a query (GIN + ``ts_rank`` reads each
match's tsvector; RUM computes each match's distance from the index), so a
common term over 1M patents costs hundreds of milliseconds. Tantivy's top-k
collector skips blocks that cannot enter the top 20 (block-max WAND) and
answers in a few milliseconds; exact counts and facet aggregations run on its
columnar fast fields (figures: docs/benchmarks.md ``## Search``).

One writer at a time per index (Tantivy holds a lock file in the directory):
a write waits up to ``LOCK_WAIT_SECONDS`` for the lock, then raises
``SearchIndexBusy``; the indexing Celery tasks retry on it with backoff, and a
task that gives up is caught by the periodic sweep. Writes commit per batch.
Readers in every process (web, workers) reload the index at most once a second
to see new commits; the writing process sees its own commit at once. The
directory must be local to the host that runs web and workers (not NFS).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import tantivy
from django.conf import settings

from ..documents import PatentDocument
from ..parser import Clause, ParsedQuery
from ..types import SearchIndexBusy
from .base import FACET_TOP, RawResults, _region_in_scope

TEXT_FIELDS = {"title": 3.0, "abstract": 1.0, "applicant": 1.5}
FACET_FIELDS = {
    "ipc": "f_ipc",
    "cpc": "f_cpc",
    "country": "f_country",
    "patent_type": "f_type",
    "legal_status": "f_status",
    "applicant_kind": "f_akind",
    "region": "f_region",
}
WRITER_HEAP = 64_000_000
# A rebuild writes everything in one commit: a larger heap means fewer, larger
# segments to merge (tantivy splits it between its indexing threads).
REBUILD_HEAP = 256_000_000
LOCK_WAIT_SECONDS = 10.0
RELOAD_EVERY_SECONDS = 1.0
Occur = tantivy.Occur
Q = tantivy.Query


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("pid", stored=True, indexed=True, fast=True)
    builder.add_text_field("pubno", stored=True, tokenizer_name="raw", index_option="basic")
    # Text arrives pre-tokenized by our analysis (rjieba + Snowball), space separated.
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    builder.add_text_field("inventor", tokenizer_name="whitespace", index_option="freq")
    builder.add_text_field("number", tokenizer_name="whitespace", index_option="basic")
    builder.add_text_field("tag", tokenizer_name="raw", index_option="basic")
    for field in FACET_FIELDS.values():
        builder.add_text_field(field, tokenizer_name="raw", index_option="basic", fast=True)
    builder.add_date_field("pub", indexed=True, fast=True)
    return builder.build()


def _text(groups: list[list[str]]) -> str:
    # Words in order (phrases stay adjacent), then the sub-words of compounds.
    words = [g[0] for g in groups]
    return " ".join(words + [t for g in groups for t in g[1:]])


def writer_threads() -> int:
    """Tantivy's own indexing threads (``SEARCH_INDEX_WRITER_THREADS``; default one
    per core, at most 4): they invert and serialise documents natively."""
    configured = getattr(settings, "SEARCH_INDEX_WRITER_THREADS", None)
    if configured:
        return max(1, int(configured))
    return max(1, min(4, os.cpu_count() or 1))


class TantivyBackend:
    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path or settings.SEARCH_INDEX_DIR)
        self.schema = build_schema()
        self._index: tantivy.Index | None = None
        self._reloaded_at = 0.0
        self._lock = threading.Lock()

    # -- index handle -------------------------------------------------------
    def _open(self) -> tantivy.Index:
        if self._index is None:
            with self._lock:
                if self._index is None:
                    self.path.mkdir(parents=True, exist_ok=True)
                    self._index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
        return self._index

    def searcher(self) -> tantivy.Searcher:
        index = self._open()
        now = time.monotonic()
        if now - self._reloaded_at > RELOAD_EVERY_SECONDS:
            index.reload()
            self._reloaded_at = now
        return index.searcher()

    def _writer(self, wait: float | None = None, heap: int = WRITER_HEAP) -> tantivy.IndexWriter:
        index = self._open()
        deadline = time.monotonic() + (LOCK_WAIT_SECONDS if wait is None else wait)
        while True:
            try:
                return index.writer(heap_size=heap, num_threads=writer_threads())
            except ValueError as exc:
                # Another writer holds the lock; it usually commits within seconds.
                if "lock" not in str(exc).lower():
                    raise
                if time.monotonic() >= deadline:
                    raise SearchIndexBusy(
                        f"tantivy index {self.path} is locked by a writer"
                    ) from exc
                time.sleep(0.2)

    # -- writes -------------------------------------------------------------
    def to_tantivy(self, d: PatentDocument) -> tantivy.Document:
        doc = tantivy.Document(
            pid=d.patent_id,
            pubno=d.publication_number,
            title=_text(d.title),
            abstract=_text(d.abstract),
            applicant=_text(d.applicant),
            inventor=" ".join(d.inventor),
            number=" ".join(d.number),
            tag=list(d.tags),
            f_ipc=list(d.ipc_subclasses),
            f_cpc=list(d.cpc_subclasses),
            f_country=[d.country] if d.country else [],
            f_type=[d.patent_type] if d.patent_type else [],
            f_status=[d.legal_status] if d.legal_status else [],
            f_akind=list(d.applicant_kinds),
            f_region=list(d.regions),
        )
        if d.publication_date:
            doc.add_date("pub", dt.datetime.combine(d.publication_date, dt.time()))
        return doc

    def index(self, documents: Sequence[PatentDocument]) -> None:
        if not documents:
            return
        writer = self._writer()
        try:
            for d in documents:
                writer.delete_documents_by_term("pid", d.patent_id)
                writer.add_document(self.to_tantivy(d))
            writer.commit()
            writer.wait_merging_threads()
        except Exception:
            writer.rollback()
            raise
        self._reloaded_at = 0.0

    def rebuild(self, batches: Iterable[Sequence[PatentDocument]], *, wait: float) -> int:
        """Replace the whole index in one commit: searches see the old index until
        the new one is complete (no downtime), and documents of patents that no
        longer exist are gone. Holds the writer lock throughout; indexing tasks
        meanwhile retry, and the sweep catches what they give up on."""
        writer = self._writer(wait=wait, heap=REBUILD_HEAP)
        count = 0
        try:
            writer.delete_all_documents()
            for documents in batches:
                for d in documents:
                    writer.add_document(self.to_tantivy(d))
                count += len(documents)
            writer.commit()
            writer.wait_merging_threads()
        except BaseException:
            writer.rollback()
            raise
        self._reloaded_at = 0.0
        return count

    def delete(self, patent_ids: Sequence[int]) -> None:
        if not patent_ids:
            return
        writer = self._writer()
        for pk in patent_ids:
            writer.delete_documents_by_term("pid", int(pk))
        writer.commit()
        writer.wait_merging_threads()
        self._reloaded_at = 0.0

    def clear(self) -> None:
        writer = self._writer()
        writer.delete_all_documents()
        writer.commit()
        writer.wait_merging_threads()
        self._reloaded_at = 0.0

    # -- queries ------------------------------------------------------------
    def _term(self, field: str, token: str, boost: float = 1.0) -> tantivy.Query:
        query = Q.term_query(self.schema, field, token)
        return Q.boost_query(query, boost) if boost != 1.0 else query

    def _on_fields(self, clause: Clause, seq: list[str]) -> tantivy.Query:
        fields = (
            TEXT_FIELDS
            if clause.field is None
            else {clause.field: TEXT_FIELDS.get(clause.field, 1.0)}
        )
        if clause.phrase and len(seq) > 1:
            per_field = [
                Q.boost_query(Q.phrase_query(self.schema, f, seq), b) for f, b in fields.items()
            ]
            return Q.boolean_query([(Occur.Should, q) for q in per_field])
        musts = []
        for token in seq:
            per_field = [self._term(f, token, b) for f, b in fields.items()]
            musts.append(
                per_field[0]
                if len(per_field) == 1
                else Q.boolean_query([(Occur.Should, q) for q in per_field])
            )
        return musts[0] if len(musts) == 1 else Q.boolean_query([(Occur.Must, q) for q in musts])

    def build_query(self, query: ParsedQuery) -> tantivy.Query:
        parts: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for clause in query.clauses:
            alternatives = [self._on_fields(clause, seq) for seq in clause.alternatives]
            expr = (
                alternatives[0]
                if len(alternatives) == 1
                else Q.boolean_query([(Occur.Should, q) for q in alternatives])
            )
            parts.append((Occur.MustNot if clause.negate else Occur.Must, expr))
        for group in query.tag_groups:
            tags = [Q.term_query(self.schema, "tag", t) for t in group]
            expr = tags[0] if len(tags) == 1 else Q.boolean_query([(Occur.Should, q) for q in tags])
            # Filters must not change the ranking.
            parts.append((Occur.Must, Q.const_score_query(expr, 0.0)))
        if query.date_from or query.date_to:
            lower = dt.datetime.combine(query.date_from, dt.time()) if query.date_from else None
            upper = dt.datetime.combine(query.date_to, dt.time()) if query.date_to else None
            parts.append(
                (
                    Occur.Must,
                    Q.range_query(self.schema, "pub", tantivy.FieldType.Date, lower, upper),
                )
            )
        return Q.boolean_query(parts)

    def search(
        self, query: ParsedQuery, *, sort: str, limit: int, offset: int, facets: bool
    ) -> RawResults:
        searcher = self.searcher()
        tq = self.build_query(query)
        if sort == "relevance":
            result = searcher.search(tq, limit=limit, offset=offset, count=True)
        else:
            order = tantivy.Order.Asc if sort == "date_asc" else tantivy.Order.Desc
            result = searcher.search(
                tq, limit=limit, offset=offset, count=True, order_by_field="pub", order=order
            )
        rows = []
        for key, address in result.hits:
            doc = searcher.doc(address)
            score = float(key) if sort == "relevance" else 0.0
            rows.append((int(doc["pid"][0]), doc["pubno"][0], score))
        facet_counts = self._facets(searcher, tq, query.region_parent) if facets else {}
        return RawResults(
            rows=rows, total=int(result.count or 0), total_is_capped=False, facets=facet_counts
        )

    def _facets(self, searcher, tq, region_parent: str | None) -> dict:
        aggs = {
            key: {"terms": {"field": field, "size": 400 if key == "region" else FACET_TOP}}
            for key, field in FACET_FIELDS.items()
        }
        raw = searcher.aggregate(tq, aggs)
        out = {}
        for key in FACET_FIELDS:
            buckets = [(b["key"], int(b["doc_count"])) for b in raw.get(key, {}).get("buckets", [])]
            if key == "region":
                buckets = [(k, n) for k, n in buckets if _region_in_scope(k, region_parent)]
            out[key] = sorted(buckets, key=lambda kv: (-kv[1], kv[0]))[:FACET_TOP]
        return out
