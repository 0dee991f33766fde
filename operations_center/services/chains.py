"""Chain definitions as files: import (validated, every problem reported) and export.

Format (JSON or YAML, same structure)::

    {"format": "portal.industry_chain/1", "slug": "nev", "name": "新能源汽车",
     "name_en": "...", "description": "...", "sei_industry_code": "5",
     "nodes": [{"key": "battery", "name": "动力电池", "stage": "upstream",
                "ipc_codes": ["H01M"], "cpc_codes": [], "keywords_zh": "锂电池|电芯",
                "keywords_en": "", "sei_industry_codes": ["5.2"],
                "match_mode": "any", "children": [...]}]}
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from django.db import transaction

from ..models import ChainNode, IndustryChain
from .keywords import KeywordExpressionError, keyword_parse

FORMAT = "portal.industry_chain/1"
CODE_RE = re.compile(r"^[A-H](\d{2}([A-Z](\d{1,4}(/\d{0,6})?)?)?)?$")
SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")


@dataclass
class ChainFileError(Exception):
    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(self.problems)


def chain_definition_parse(*, content: str | bytes, filename: str = "") -> dict:
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ChainFileError([f"The file is not UTF-8 text: {exc}"]) from exc
    try:
        if filename.endswith((".yaml", ".yml")):
            import yaml

            data = yaml.safe_load(content)
        else:
            data = json.loads(content)
    except Exception as exc:  # both parsers raise their own error types
        raise ChainFileError([f"The file cannot be read: {exc}"]) from exc
    if not isinstance(data, dict):
        raise ChainFileError(["The file must hold one chain object at the top level."])
    return data


def _validate(data: dict) -> list[str]:
    problems: list[str] = []
    if data.get("format", FORMAT) != FORMAT:
        problems.append(f"Unknown format {data.get('format')!r}; expected {FORMAT}.")
    if not SLUG_RE.match(str(data.get("slug", ""))):
        problems.append("“slug” is missing or has characters other than letters, digits, - and _.")
    if not str(data.get("name", "")).strip():
        problems.append("“name” is missing.")
    keys: set[str] = set()
    stages = set(ChainNode.Stage.values)
    modes = set(ChainNode.MatchMode.values)

    def walk(nodes, path: str) -> None:
        if not isinstance(nodes, list):
            problems.append(f"{path}: “nodes”/“children” must be a list.")
            return
        for i, node in enumerate(nodes, start=1):
            where = f"{path} node {i}"
            if not isinstance(node, dict):
                problems.append(f"{where}: must be an object.")
                continue
            key = str(node.get("key", ""))
            where = f"{path} node {i} ({key or '?'})"
            if not SLUG_RE.match(key):
                problems.append(f"{where}: “key” is missing or invalid.")
            elif key in keys:
                problems.append(f"{where}: key “{key}” is used twice.")
            keys.add(key)
            if not str(node.get("name", "")).strip():
                problems.append(f"{where}: “name” is missing.")
            if node.get("stage") not in stages:
                problems.append(f"{where}: “stage” must be one of {', '.join(sorted(stages))}.")
            if node.get("match_mode", "any") not in modes:
                problems.append(f"{where}: “match_mode” must be one of {', '.join(sorted(modes))}.")
            for scheme in ("ipc_codes", "cpc_codes"):
                codes = node.get(scheme, [])
                if not isinstance(codes, list):
                    problems.append(f"{where}: “{scheme}” must be a list.")
                    continue
                for code in codes:
                    if not CODE_RE.match(str(code).replace(" ", "").upper()):
                        problems.append(f"{where}: “{code}” is not a classification code.")
            for lang in ("keywords_zh", "keywords_en"):
                try:
                    keyword_parse(str(node.get(lang, "") or ""))
                except KeywordExpressionError as exc:
                    problems.append(f"{where}: {lang}: {exc}")
            if node.get("match_mode") == "code_and_keyword" and not (
                node.get("keywords_zh") or node.get("keywords_en")
            ):
                problems.append(f"{where}: “code_and_keyword” needs a keyword expression.")
            walk(node.get("children", []), f"{where} →")

    walk(data.get("nodes", []), "")
    return problems


@transaction.atomic
def chain_import(*, data: dict) -> IndustryChain:
    """Create or replace a chain from its definition; nodes are matched by key so
    staff corrections on unchanged nodes survive an import."""
    problems = _validate(data)
    if problems:
        raise ChainFileError(problems)
    chain, _ = IndustryChain.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "name": data["name"],
            "name_en": data.get("name_en", ""),
            "description": data.get("description", ""),
            "sei_industry_code": str(data.get("sei_industry_code", "") or ""),
        },
    )
    existing = {n.key: n for n in chain.nodes.all()}
    seen: set[str] = set()

    def walk(nodes: list[dict], parent: ChainNode | None) -> None:
        for position, spec in enumerate(nodes):
            node = existing.get(spec["key"]) or ChainNode(chain=chain, key=spec["key"])
            node.parent = parent
            node.position = position
            node.name = spec["name"]
            node.name_en = spec.get("name_en", "")
            node.stage = spec["stage"]
            node.ipc_codes = [c.replace(" ", "").upper() for c in spec.get("ipc_codes", [])]
            node.cpc_codes = [c.replace(" ", "").upper() for c in spec.get("cpc_codes", [])]
            node.keywords_zh = spec.get("keywords_zh", "") or ""
            node.keywords_en = spec.get("keywords_en", "") or ""
            node.sei_industry_codes = [str(c) for c in spec.get("sei_industry_codes", [])]
            node.match_mode = spec.get("match_mode", ChainNode.MatchMode.ANY)
            node.save()
            seen.add(node.key)
            walk(spec.get("children", []), node)

    walk(data.get("nodes", []), None)
    chain.nodes.exclude(key__in=seen).delete()
    return chain


def chain_export(*, chain: IndustryChain) -> dict:
    nodes = list(chain.nodes.order_by("position", "id"))
    children: dict[int | None, list[ChainNode]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)

    def spec(node: ChainNode) -> dict:
        return {
            "key": node.key,
            "name": node.name,
            "name_en": node.name_en,
            "stage": node.stage,
            "ipc_codes": node.ipc_codes,
            "cpc_codes": node.cpc_codes,
            "keywords_zh": node.keywords_zh,
            "keywords_en": node.keywords_en,
            "sei_industry_codes": node.sei_industry_codes,
            "match_mode": node.match_mode,
            "children": [spec(c) for c in children.get(node.pk, [])],
        }

    return {
        "format": FORMAT,
        "slug": chain.slug,
        "name": chain.name,
        "name_en": chain.name_en,
        "description": chain.description,
        "sei_industry_code": chain.sei_industry_code,
        "nodes": [spec(n) for n in children.get(None, [])],
    }


def node_descendant_ids(*, chain: IndustryChain) -> dict[int, list[int]]:
    """Each node's id with all its descendants' ids (itself included)."""
    parents = dict(chain.nodes.values_list("id", "parent_id"))
    result: dict[int, list[int]] = {node_id: [] for node_id in parents}
    for node_id in parents:
        current: int | None = node_id
        while current is not None:
            result[current].append(node_id)
            current = parents.get(current)
    return result
