"""PostgreSQL: a tsvector of our own tokens with a RUM index.

Why RUM and not GIN: GIN finds matches but ``ts_rank`` must then read the
tsvector of every match from the heap, so a common term costs seconds at 1M rows.
RUM stores positions in the index and returns matches already ordered by
``tsv <=> query``, so a top-20 stops after 20 (figures: docs/benchmarks.md).

The tsvector and tsquery are written as literals from our own tokens (rjieba +
Snowball), never through a text search configuration: PostgreSQL has no Chinese
parser, and it keeps this backend token-for-token equal to the SQLite one.
Weights: A title, B abstract, C applicants, D inventors, numbers and filter tags.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.db import connection
from psycopg2.extras import execute_values

from ..documents import PatentDocument
from ..parser import Clause, ParsedQuery
from ..types import FACET_CAP, TOTAL_CAP
from .base import RawResults, facets_from_buckets

MAX_POSITION = 16383  # PostgreSQL's limit; later words are not indexed
MAX_POSITIONS_PER_LEXEME = 255
FIELD_WEIGHTS = {
    None: "ABC",
    "title": "A",
    "abstract": "B",
    "applicant": "C",
    "inventor": "D",
    "number": "D",
}


def _lit(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(doc: PatentDocument) -> str:
    positions: dict[str, list[str]] = {}
    pos = 1

    def add(groups: list[list[str]], weight: str) -> None:
        nonlocal pos
        for group in groups:
            if pos > MAX_POSITION:
                return
            for token in group:
                positions.setdefault(token, []).append(f"{pos}{weight}")
            pos += 1
        pos += 1  # a gap so that no phrase spans two fields

    add(doc.title, "A")
    add(doc.abstract, "B")
    add(doc.applicant, "C")
    add([[t] for t in (*doc.inventor, *doc.number, *doc.tags)], "D")
    return " ".join(
        f"{_lit(token)}:{','.join(ps[:MAX_POSITIONS_PER_LEXEME])}"
        for token, ps in positions.items()
    )


def _clause(clause: Clause) -> str:
    weight = FIELD_WEIGHTS[clause.field]
    joiner = " <-> " if clause.phrase else " & "
    alternatives = [
        "(" + joiner.join(f"{_lit(t)}:{weight}" for t in seq) + ")" for seq in clause.alternatives
    ]
    expr = " | ".join(alternatives)
    return f"!({expr})" if clause.negate else f"({expr})"


def tsquery_literal(query: ParsedQuery) -> str:
    parts = [_clause(c) for c in query.clauses]
    parts += ["(" + " | ".join(f"{_lit(t)}:D" for t in group) + ")" for group in query.tag_groups]
    return " & ".join(parts)


def _where(query: ParsedQuery) -> tuple[str, list]:
    sql = "tsv @@ %s::tsquery"
    params: list = [tsquery_literal(query)]
    if query.date_from:
        sql += " AND publication_date >= %s"
        params.append(query.date_from)
    if query.date_to:
        sql += " AND publication_date <= %s"
        params.append(query.date_to)
    return sql, params


# Rows read past a relevance page so ties at its edge are ordered as a whole.
_TIE_MARGIN = 100


class PostgresBackend:
    table = "patents_searchdocument"

    def search(
        self, query: ParsedQuery, *, sort: str, limit: int, offset: int, facets: bool
    ) -> RawResults:
        where, params = _where(query)
        tsquery = params[0]
        if sort == "relevance":
            # The RUM index returns rows in rank order only for a bare
            # ``ORDER BY tsv <=> q``; a tie-breaker in the same ORDER BY makes the
            # planner rank every match. So the index scan picks the page's rows and
            # the outer query breaks ties by id, which keeps pages stable.
            sql = (
                "SELECT patent_id, publication_number, d FROM ("
                f"SELECT patent_id, publication_number, tsv <=> %s::tsquery AS d FROM {self.table} "
                f"WHERE {where} ORDER BY tsv <=> %s::tsquery LIMIT %s) top "
                "ORDER BY d, patent_id OFFSET %s"
            )
            # The index scan stops at an arbitrary row among equal ranks; reading a
            # margin past the page lets the outer tie-break see a tie group whole,
            # so page 1 and page 2 never show the same patent (up to _TIE_MARGIN ties).
            sql = sql.replace("OFFSET %s", "LIMIT %s OFFSET %s")
            sql_params = [tsquery, *params, tsquery, offset + limit + _TIE_MARGIN, limit, offset]
        else:
            direction = "ASC" if sort == "date_asc" else "DESC"
            sql = (
                f"SELECT patent_id, publication_number, 0 AS d FROM {self.table} WHERE {where} "
                f"ORDER BY publication_date {direction} NULLS LAST, patent_id {direction} "
                "LIMIT %s OFFSET %s"
            )
            sql_params = [*params, limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, sql_params)
            rows = [(pk, number, (1.0 / d) if d else 0.0) for pk, number, d in cursor.fetchall()]
            if offset == 0 and len(rows) < limit:
                total = len(rows)
            else:
                cursor.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM {self.table} WHERE {where} "
                    f"LIMIT {TOTAL_CAP + 1}) m",
                    params,
                )
                total = cursor.fetchone()[0]
            capped = total > TOTAL_CAP
            facet_counts = {}
            if facets:
                # Aggregated in SQL: decoding 10,000 rows of JSON in Python costs more
                # than the whole search.
                cursor.execute(
                    "WITH m AS MATERIALIZED (SELECT country, patent_type, legal_status, "
                    "ipc_subclasses, cpc_subclasses, applicant_kinds, regions "
                    f"FROM {self.table} WHERE {where} LIMIT {FACET_CAP}) "
                    "SELECT 'country', country, count(*) FROM m GROUP BY 2 UNION ALL "
                    "SELECT 'patent_type', patent_type, count(*) FROM m GROUP BY 2 UNION ALL "
                    "SELECT 'legal_status', legal_status, count(*) FROM m GROUP BY 2 UNION ALL "
                    + " UNION ALL ".join(
                        f"SELECT '{key}', v, count(*) FROM m, "
                        f"jsonb_array_elements_text(m.{column}) v GROUP BY 2"
                        for key, column in (
                            ("ipc", "ipc_subclasses"),
                            ("cpc", "cpc_subclasses"),
                            ("applicant_kind", "applicant_kinds"),
                            ("region", "regions"),
                        )
                    ),
                    params,
                )
                facet_counts = facets_from_buckets(cursor.fetchall(), query.region_parent)
        return RawResults(
            rows=rows, total=min(total, TOTAL_CAP), total_is_capped=capped, facets=facet_counts
        )

    def index(self, documents: Sequence[PatentDocument]) -> None:
        if not documents:
            return
        rows = [
            (
                d.patent_id,
                d.publication_number,
                d.publication_date,
                d.country,
                d.patent_type,
                d.legal_status,
                json.dumps(d.ipc_subclasses),
                json.dumps(d.cpc_subclasses),
                json.dumps(d.applicant_kinds),
                json.dumps(d.regions),
                tsvector_literal(d),
            )
            for d in documents
        ]
        sql = (
            f"INSERT INTO {self.table} (patent_id, publication_number, publication_date, country, "
            "patent_type, legal_status, ipc_subclasses, cpc_subclasses, applicant_kinds, regions, "
            "tsv, indexed_at) VALUES %s ON CONFLICT (patent_id) DO UPDATE SET "
            "publication_number = EXCLUDED.publication_number, "
            "publication_date = EXCLUDED.publication_date, country = EXCLUDED.country, "
            "patent_type = EXCLUDED.patent_type, legal_status = EXCLUDED.legal_status, "
            "ipc_subclasses = EXCLUDED.ipc_subclasses, cpc_subclasses = EXCLUDED.cpc_subclasses, "
            "applicant_kinds = EXCLUDED.applicant_kinds, regions = EXCLUDED.regions, "
            "tsv = EXCLUDED.tsv, indexed_at = now()"
        )
        template = (
            "(%s, %s, %s, %s, %s, %s, %s::jsonb, %s::jsonb, %s::jsonb, %s::jsonb, "
            "%s::tsvector, now())"
        )
        with connection.cursor() as cursor:
            execute_values(cursor.cursor, sql, rows, template=template, page_size=500)

    def delete(self, patent_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {self.table} WHERE patent_id = ANY(%s)", [list(patent_ids)]
            )
