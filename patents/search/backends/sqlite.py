"""SQLite (embedded mode): an FTS5 table of pre-segmented text, ranked by bm25.

FTS5's unicode61 tokenizer splits on spaces and punctuation, so the text we store
is our own tokens joined by spaces: the same vocabulary as the PostgreSQL
backend. Sub-words of long Chinese words are appended after the words, so that
phrases (adjacent tokens) still match the precise segmentation.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.db import connection

from ..documents import PatentDocument
from ..parser import Clause, ParsedQuery
from ..types import FACET_CAP, TOTAL_CAP
from .base import RawResults, count_facets

FTS = "patents_search_fts"
DOCS = "patents_searchdocument"
# bm25 weights by column: title, abstract, applicant, inventor, number, tag.
RANK = f"bm25({FTS}, 10.0, 4.0, 2.0, 1.0, 1.0, 0.0)"
FIELD_COLUMNS = {
    None: "{title abstract applicant}",
    "title": "title",
    "abstract": "abstract",
    "applicant": "applicant",
    "inventor": "inventor",
    "number": "number",
}


def _q(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _column_text(groups: list[list[str]]) -> str:
    words = [g[0] for g in groups]
    subwords = [t for g in groups for t in g[1:]]
    return " ".join(words + ([""] if subwords else []) + subwords)


def _clause(clause: Clause) -> str:
    if clause.phrase:
        alternatives = [_q(" ".join(seq)) for seq in clause.alternatives]
    else:
        alternatives = ["(" + " AND ".join(_q(t) for t in seq) + ")" for seq in clause.alternatives]
    return f"{FIELD_COLUMNS[clause.field]} : (" + " OR ".join(alternatives) + ")"


def match_expression(query: ParsedQuery) -> str:
    positives = [_clause(c) for c in query.clauses if not c.negate]
    positives += ["tag : (" + " OR ".join(_q(t) for t in group) + ")" for group in query.tag_groups]
    expr = " AND ".join(positives)
    for clause in query.clauses:
        if clause.negate:
            expr = f"({expr}) NOT {_clause(clause)}"
    return expr


class SqliteBackend:
    def search(
        self, query: ParsedQuery, *, sort: str, limit: int, offset: int, facets: bool
    ) -> RawResults:
        where = f"{FTS} MATCH %s"
        params: list = [match_expression(query)]
        if query.date_from:
            where += " AND d.publication_date >= %s"
            params.append(query.date_from.isoformat())
        if query.date_to:
            where += " AND d.publication_date <= %s"
            params.append(query.date_to.isoformat())
        base = f"FROM {FTS} JOIN {DOCS} d ON d.patent_id = {FTS}.rowid WHERE {where}"
        if sort == "relevance":
            order = "ORDER BY r, d.patent_id"
        else:
            direction = "ASC" if sort == "date_asc" else "DESC"
            order = (
                f"ORDER BY d.publication_date IS NULL, d.publication_date {direction}, "
                f"d.patent_id {direction}"
            )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.patent_id, d.publication_number, {RANK} AS r {base} {order} "
                "LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            rows = [(pk, number, -float(r)) for pk, number, r in cursor.fetchall()]
            if offset == 0 and len(rows) < limit:
                total = len(rows)
            else:
                cursor.execute(
                    f"SELECT count(*) FROM (SELECT 1 {base} LIMIT {TOTAL_CAP + 1})", params
                )
                total = cursor.fetchone()[0]
            facet_counts = {}
            if facets:
                cursor.execute(
                    "SELECT d.country, d.patent_type, d.legal_status, d.ipc_subclasses, "
                    f"d.cpc_subclasses, d.applicant_kinds, d.regions {base} LIMIT {FACET_CAP}",
                    params,
                )
                facet_counts = count_facets(cursor.fetchall(), query.region_parent)
        return RawResults(
            rows=rows,
            total=min(total, TOTAL_CAP),
            total_is_capped=total > TOTAL_CAP,
            facets=facet_counts,
        )

    def index(self, documents: Sequence[PatentDocument]) -> None:
        if not documents:
            return
        ids = [d.patent_id for d in documents]
        self.delete(ids)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {DOCS} (patent_id, publication_number, publication_date, country, "
                "patent_type, legal_status, ipc_subclasses, cpc_subclasses, applicant_kinds, "
                "regions, indexed_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
                "datetime('now'))",
                [
                    (
                        d.patent_id,
                        d.publication_number,
                        d.publication_date.isoformat() if d.publication_date else None,
                        d.country,
                        d.patent_type,
                        d.legal_status,
                        json.dumps(d.ipc_subclasses),
                        json.dumps(d.cpc_subclasses),
                        json.dumps(d.applicant_kinds),
                        json.dumps(d.regions),
                    )
                    for d in documents
                ],
            )
            cursor.executemany(
                f"INSERT INTO {FTS} (rowid, title, abstract, applicant, inventor, number, tag) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [
                    (
                        d.patent_id,
                        _column_text(d.title),
                        _column_text(d.abstract),
                        _column_text(d.applicant),
                        " ".join(d.inventor),
                        " ".join(d.number),
                        " ".join(d.tags),
                    )
                    for d in documents
                ],
            )

    def delete(self, patent_ids: Sequence[int]) -> None:
        if not patent_ids:
            return
        marks = ", ".join(["%s"] * len(patent_ids))
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS} WHERE rowid IN ({marks})", list(patent_ids))
            cursor.execute(f"DELETE FROM {DOCS} WHERE patent_id IN ({marks})", list(patent_ids))
