"""Tagging patents to chain nodes.

A run is a handful of set-based statements for the whole chain, never one
per node (a 50-node chain used to cost 250 scans of the classification and
patent tables):

1. The nodes' rules become rows of a temporary table ``nav_rule`` (node, code,
   how it matches: subclass / main group / exact subgroup / prefix, whether a
   keyword must also match, the reason text).
2. Every distinct keyword expression of the chain is evaluated in **one** scan
   of the patents into ``nav_kw`` (expression, patent).
3. Candidate tags go to ``nav_new`` (primary key node+patent) in priority
   order — IPC, CPC, concordance, concordance with keyword, keyword — one
   hash join per match kind over all nodes at once; the first rule that tags
   a patent to a node gives the reason.
4. The chain's tags are brought in line with ``nav_new`` by difference: stale
   automatic tags are deleted, new ones inserted (``ON CONFLICT DO NOTHING``),
   unchanged ones are not touched — a re-run that changes nothing writes
   nothing.

Staff corrections win: a confirmed or rejected tag is never deleted by a
re-run, and ``ON CONFLICT DO NOTHING`` keeps rules from overwriting it.

Incremental: a node whose definition changed since its last run (hash) is
re-tagged in full; an unchanged node only re-tags the patents changed since
the chain's last run (``Patent.updated_at`` is indexed). The IPC predictor
only tags patents that have no IPC or CPC code at all.

The SQL is plain enough for PostgreSQL and SQLite alike (temporary tables,
``INSERT … SELECT``, ``ON CONFLICT DO NOTHING``).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from patents.models import Patent, PatentClassification

from ..models import ChainNode, IndustryChain, PatentNodeTag
from .concordance import code_pattern, concordance_codes
from .keywords import keyword_match, keyword_parse
from .predictor import predict_ipc
from .sql import analyze

PREDICTION_MIN_SCORE = 0.3
PREDICTION_BATCH = 500

Progress = Callable[[int, int], None]

# Rule priorities: the first that tags a patent to a node gives the reason.
PRIORITIES = ("ipc", "cpc", "concordance", "concordance+keyword")
HOWS = ("subclass", "group", "exact", "prefix")

TAG_TABLE = PatentNodeTag._meta.db_table
PATENT_TABLE = Patent._meta.db_table
CLASS_TABLE = PatentClassification._meta.db_table


def node_keyword_expressions(node: ChainNode) -> list[str]:
    return [e for e in (node.keywords_zh.strip(), node.keywords_en.strip()) if e]


@dataclass(frozen=True, slots=True)
class Rule:
    node_id: int
    priority: int  # index into PRIORITIES
    scheme: str
    how: str
    value: str
    prefix: str  # reason text before the matched code
    expr: int | None  # keyword expression that must also match, or None


def _split_codes(codes) -> dict[str, set[str]]:
    """Defined codes by how they match classification rows: subclasses through the
    indexed ``subclass`` column, main groups (``H01M10/``) by the group part of the
    code, subgroups exactly, coarser codes (class, section) by prefix."""
    out: dict[str, set[str]] = {how: set() for how in HOWS}
    for code in codes:
        how, value = code_pattern(code)
        if how == "exact":
            out["exact"].add(value)
        elif len(value) == 4:
            out["subclass"].add(value)
        elif value.endswith("/"):
            out["group"].add(value[:-1])
        else:
            out["prefix"].add(value)
    return out


def _expression_key(node: ChainNode) -> tuple[str, ...]:
    return tuple(node_keyword_expressions(node))


def _keyword_sql(expressions: tuple[str, ...], params: list) -> str:
    """SQL over ``p`` (patents) true when one of the expressions matches; the
    same semantics as ``keywords.keyword_q`` (substring of title or abstract,
    case-insensitive for Latin letters)."""
    clauses = []
    postgres = connection.vendor == "postgresql"
    for expression in expressions:
        for clause in keyword_parse(expression):
            terms = []
            for term in clause:
                ascii_alpha = any(c.isascii() and c.isalpha() for c in term.text)
                # Chinese has no case: plain LIKE is several times faster than ILIKE.
                op = "ILIKE" if postgres and ascii_alpha else "LIKE"
                pattern = "%" + connection.ops.prep_for_like_query(term.text) + "%"
                sql = f"(p.title {op} %s ESCAPE '\\' OR p.abstract {op} %s ESCAPE '\\')"
                params += [pattern, pattern]
                terms.append(f"NOT {sql}" if term.negated else sql)
            clauses.append("(" + " AND ".join(terms) + ")")
    return "(" + " OR ".join(clauses) + ")" if clauses else "(1=0)"


def _copy_cell(value) -> str:
    if value is None:
        return "\\N"
    text = str(value)
    for char, escaped in (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")):
        text = text.replace(char, escaped)
    return text


class _Run:
    """Temporary tables and statements of one tagging pass."""

    def __init__(self, *, chain: IndustryChain, cursor):
        self.chain = chain
        self.cursor = cursor
        self.expressions: dict[tuple[str, ...], int] = {}

    def execute(self, sql: str, params=()) -> int:
        self.cursor.execute(sql, list(params))
        return max(self.cursor.rowcount, 0)

    def create_tables(self) -> None:
        for table in ("nav_rule", "nav_kwnode", "nav_kw", "nav_new", "nav_changed"):
            self.execute(f"DROP TABLE IF EXISTS {table}")
        self.execute(
            "CREATE TEMPORARY TABLE nav_rule (node_id bigint, priority int, scheme varchar(3),"
            " how varchar(8), value varchar(20), prefix varchar(200), expr int)"
        )
        self.execute("CREATE TEMPORARY TABLE nav_kwnode (node_id bigint, expr int, reason text)")
        self.execute(
            "CREATE TEMPORARY TABLE nav_kw (expr int, patent_id bigint,"
            " PRIMARY KEY (expr, patent_id))"
        )
        self.execute(
            "CREATE TEMPORARY TABLE nav_new (node_id bigint, patent_id bigint,"
            " source varchar(16), reason varchar(255), PRIMARY KEY (node_id, patent_id))"
        )
        self.execute("CREATE TEMPORARY TABLE nav_changed (patent_id bigint PRIMARY KEY)")

    def drop_tables(self) -> None:
        for table in ("nav_rule", "nav_kwnode", "nav_kw", "nav_new", "nav_changed"):
            self.execute(f"DROP TABLE IF EXISTS {table}")

    def expr_id(self, node: ChainNode) -> int | None:
        key = _expression_key(node)
        if not key:
            return None
        return self.expressions.setdefault(key, len(self.expressions))

    def load_rules(self, nodes: list[ChainNode]) -> None:
        self.execute("DELETE FROM nav_rule")
        self.execute("DELETE FROM nav_kwnode")
        self.expressions.clear()
        rules: list[Rule] = []
        keyword_nodes = []
        for node in nodes:
            need_kw = node.match_mode == ChainNode.MatchMode.CODE_AND_KEYWORD
            expr = self.expr_id(node)
            if need_kw and expr is None:
                continue  # codes and a keyword must match, and there is no keyword
            concordance = concordance_codes(industry_codes=node.sei_industry_codes)
            label = "/".join(node.sei_industry_codes)
            steps = [
                (0, "ipc", node.ipc_codes, need_kw, "IPC "),
                (1, "cpc", node.cpc_codes, need_kw, "CPC "),
                (2, "ipc", concordance.unrestricted, need_kw, f"SEI {label} IPC "),
                (3, "ipc", concordance.restricted, True, f"SEI {label} IPC (+keyword) "),
            ]
            for priority, scheme, codes, require_kw, prefix in steps:
                if require_kw and expr is None:
                    continue
                for how, values in _split_codes(codes).items():
                    rules += [
                        Rule(
                            node.pk, priority, scheme, how, v, prefix, expr if require_kw else None
                        )
                        for v in sorted(values)
                    ]
            if expr is not None and not need_kw:
                reason = f"keyword {' / '.join(node_keyword_expressions(node))}"[:255]
                keyword_nodes.append((node.pk, expr, reason))
        rows = [(r.node_id, r.priority, r.scheme, r.how, r.value, r.prefix, r.expr) for r in rules]
        columns = "node_id, priority, scheme, how, value, prefix, expr"
        if rows and connection.vendor == "postgresql":
            # A concordance node brings thousands of codes: COPY them in one go.
            buffer = io.StringIO()
            for row in rows:
                buffer.write("\t".join(_copy_cell(v) for v in row) + "\n")
            buffer.seek(0)
            self.cursor.cursor.copy_expert(f"COPY nav_rule ({columns}) FROM STDIN", buffer)
        elif rows:
            self.cursor.executemany(
                f"INSERT INTO nav_rule ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s)", rows
            )
        if keyword_nodes:
            self.cursor.executemany(
                "INSERT INTO nav_kwnode (node_id, expr, reason) VALUES (%s, %s, %s)",
                keyword_nodes,
            )
        if connection.vendor == "postgresql":
            self.execute("ANALYZE nav_rule")

    def rule_kinds(self) -> list[tuple[int, str]]:
        self.cursor.execute("SELECT DISTINCT priority, how FROM nav_rule")
        return sorted(self.cursor.fetchall())

    def scan_keywords(self, *, changed_only: bool) -> int:
        """Every distinct expression in one scan of the patents."""
        self.execute("DELETE FROM nav_kw")
        if not self.expressions:
            return 0
        params: list = []
        arms = []
        for expressions, expr in self.expressions.items():
            arms.append(f"(x.expr = {int(expr)} AND {_keyword_sql(expressions, params)})")
        exprs = " UNION ALL ".join(f"SELECT {int(e)} AS expr" for e in self.expressions.values())
        changed = " JOIN nav_changed ch ON ch.patent_id = p.id" if changed_only else ""
        return self.execute(
            f"INSERT INTO nav_kw (expr, patent_id) SELECT x.expr, p.id FROM {PATENT_TABLE} p"
            f"{changed} CROSS JOIN ({exprs}) x WHERE {' OR '.join(arms)}",
            params,
        )

    def match_codes(self, *, priority: int, how: str, changed_only: bool) -> int:
        postgres = connection.vendor == "postgresql"
        if how == "subclass":
            on = "c.subclass = r.value"
        elif how == "exact":
            on = "c.code = r.value"
        elif how == "group":
            on = (
                "split_part(c.code, '/', 1) = r.value"
                if postgres
                else "substr(c.code, 1, instr(c.code, '/') - 1) = r.value"
            )
        else:
            on = "c.code LIKE r.value || '%%'"  # both backends turn %% into %
        changed = " JOIN nav_changed ch ON ch.patent_id = c.patent_id" if changed_only else ""
        concat = "r.prefix || c.code"
        return self.execute(
            "INSERT INTO nav_new (node_id, patent_id, source, reason)"
            f" SELECT r.node_id, c.patent_id, %s, {concat}"
            f" FROM {CLASS_TABLE} c{changed} JOIN nav_rule r ON r.scheme = c.scheme AND {on}"
            " WHERE r.priority = %s AND r.how = %s"
            " AND (r.expr IS NULL OR EXISTS (SELECT 1 FROM nav_kw k"
            " WHERE k.expr = r.expr AND k.patent_id = c.patent_id))"
            " ON CONFLICT DO NOTHING",
            [_SOURCES[priority], priority, how],
        )

    def match_keywords(self) -> int:
        return self.execute(
            "INSERT INTO nav_new (node_id, patent_id, source, reason)"
            " SELECT n.node_id, k.patent_id, 'keyword', n.reason"
            " FROM nav_kw k JOIN nav_kwnode n ON n.expr = k.expr ON CONFLICT DO NOTHING"
        )

    def apply(self, *, node_ids: list[int], changed_only: bool) -> int:
        """Make the chain's automatic tags of these nodes (and, when ``changed_only``,
        of the changed patents) equal to ``nav_new``; returns the tags inserted."""
        if not node_ids:
            return 0
        nodes = ", ".join(str(int(n)) for n in node_ids)
        changed = " AND t.patent_id IN (SELECT patent_id FROM nav_changed)" if changed_only else ""
        self.execute(
            f"DELETE FROM {TAG_TABLE} WHERE id IN (SELECT t.id FROM {TAG_TABLE} t"
            f" WHERE t.chain_id = %s AND t.status = %s AND t.node_id IN ({nodes}){changed}"
            " AND NOT EXISTS (SELECT 1 FROM nav_new n WHERE n.node_id = t.node_id"
            " AND n.patent_id = t.patent_id AND n.source = t.source AND n.reason = t.reason))",
            [self.chain.pk, PatentNodeTag.Status.AUTO],
        )
        return self.execute(
            f"INSERT INTO {TAG_TABLE} (patent_id, node_id, chain_id, source, reason, status)"
            f" SELECT n.patent_id, n.node_id, %s, n.source, n.reason, %s FROM nav_new n"
            f" WHERE n.node_id IN ({nodes}) ON CONFLICT DO NOTHING",
            [self.chain.pk, PatentNodeTag.Status.AUTO],
        )


_SOURCES = {
    0: PatentNodeTag.Source.IPC,
    1: PatentNodeTag.Source.CPC,
    2: PatentNodeTag.Source.CONCORDANCE,
    3: PatentNodeTag.Source.CONCORDANCE,
}


def _tag_pass(
    run: _Run, *, nodes: list[ChainNode], changed_only: bool, step: Callable[[], None]
) -> int:
    """Tag ``nodes`` (all patents, or only those in ``nav_changed``)."""
    if not nodes:
        return 0
    run.execute("DELETE FROM nav_new")
    run.load_rules(nodes)
    run.scan_keywords(changed_only=changed_only)
    step()
    for priority, how in run.rule_kinds():
        run.match_codes(priority=priority, how=how, changed_only=changed_only)
        step()
    run.match_keywords()
    written = run.apply(node_ids=[n.pk for n in nodes], changed_only=changed_only)
    step()
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
    """Tag patents without any IPC or CPC code by the predicted subclasses."""
    targets = [(n, _node_subclasses(n), node_keyword_expressions(n)) for n in nodes]
    targets = [t for t in targets if t[1]]
    if not targets:
        return 0
    # Only patents with no classification at all: a CPC-coded patent (every US
    # grant) is tagged by its codes, never by a guess from its text.
    qs = Patent.objects.filter(
        ~Exists(
            PatentClassification.objects.filter(patent=OuterRef("pk"), scheme__in=("ipc", "cpc"))
        )
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
    digests = {node.pk: node.definition_hash() for node in nodes}
    if since is None:
        full_nodes, incremental_nodes = nodes, []
    else:
        full_nodes = [n for n in nodes if digests[n.pk] != n.tagged_hash]
        incremental_nodes = [n for n in nodes if digests[n.pk] == n.tagged_hash]
    # Steps: per pass, the keyword scan, each rule kind (at most 16) and the
    # write; then the predictor. Progress counts them as they finish.
    state = {"done": 0, "total": 2 * (len(PRIORITIES) * len(HOWS) + 2) + 1}

    def step() -> None:
        state["done"] += 1
        if progress:
            progress(min(state["done"], state["total"] - 1), state["total"])

    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL work_mem = '256MB'")
        run = _Run(chain=chain, cursor=cursor)
        run.create_tables()
        try:
            if since is None:
                # Tag foreign keys are not enforced by the database (see the model):
                # drop tags of patents deleted by raw SQL since the last full run.
                run.execute(
                    f"DELETE FROM {TAG_TABLE} WHERE chain_id = %s AND NOT EXISTS"
                    f" (SELECT 1 FROM {PATENT_TABLE} p WHERE p.id = {TAG_TABLE}.patent_id)",
                    [chain.pk],
                )
            written += _tag_pass(run, nodes=full_nodes, changed_only=False, step=step)
            if incremental_nodes:
                changed = run.execute(
                    f"INSERT INTO nav_changed (patent_id) SELECT id FROM {PATENT_TABLE}"
                    " WHERE updated_at >= %s",
                    [since],
                )
                if changed:
                    written += _tag_pass(run, nodes=incremental_nodes, changed_only=True, step=step)
        finally:
            run.drop_tables()
        for node in nodes:
            if node.tagged_hash != digests[node.pk]:
                ChainNode.objects.filter(pk=node.pk).update(tagged_hash=digests[node.pk])
                node.tagged_hash = digests[node.pk]
        # A re-tagged node loses its predicted tags with the other automatic ones:
        # predict again for all its patents; unchanged nodes for the changed ones.
        written += chain_tag_predicted(chain=chain, nodes=full_nodes, since=None)
        if incremental_nodes:
            written += chain_tag_predicted(chain=chain, nodes=incremental_nodes, since=since)
        IndustryChain.objects.filter(pk=chain.pk).update(tagged_at=started)
    analyze(PatentNodeTag)
    chain.tagged_at = started
    if progress:
        progress(state["total"], state["total"])
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
