"""Industry chains as trees of nodes, and the patents tagged to each node."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from patents.models import Patent


class IndustryChain(models.Model):
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=128)
    name_en = models.CharField(_("English name"), max_length=128, blank=True)
    description = models.TextField(_("description"), blank=True)
    # Level-1 or level-2 code of the 2021 strategic-emerging-industry table, e.g. "5".
    sei_industry_code = models.CharField(_("strategic emerging industry"), max_length=8, blank=True)
    # When tagging last finished: patents changed after it are re-tagged incrementally.
    tagged_at = models.DateTimeField(_("tagged at"), null=True, blank=True)
    facts_refreshed_at = models.DateTimeField(_("aggregates refreshed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("industry chain")
        verbose_name_plural = _("industry chains")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ChainNode(models.Model):
    class Stage(models.TextChoices):
        UPSTREAM = "upstream", _("Upstream")
        MIDSTREAM = "midstream", _("Midstream")
        DOWNSTREAM = "downstream", _("Downstream")

    class MatchMode(models.TextChoices):
        ANY = "any", _("A code or a keyword matches")
        CODE_AND_KEYWORD = "code_and_keyword", _("A code and a keyword both match")

    chain = models.ForeignKey(IndustryChain, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    key = models.SlugField(
        _("key"), max_length=64, help_text=_("Stable identifier within the chain, used by files.")
    )
    name = models.CharField(_("name"), max_length=128)
    name_en = models.CharField(_("English name"), max_length=128, blank=True)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    ipc_codes = models.JSONField(
        _("IPC codes"),
        default=list,
        blank=True,
        help_text=_(
            "Codes at any level; a code covers everything beneath it, e.g. H01M or H01M10/."
        ),
    )
    cpc_codes = models.JSONField(_("CPC codes"), default=list, blank=True)
    keywords_zh = models.CharField(
        _("Chinese keyword expression"),
        max_length=500,
        blank=True,
        help_text=_("Alternatives separated by |, terms that must all occur by &, -term excludes."),
    )
    keywords_en = models.CharField(_("English keyword expression"), max_length=500, blank=True)
    sei_industry_codes = models.JSONField(
        _("strategic emerging industries"),
        default=list,
        blank=True,
        help_text=_("Level-2 codes of the 2021 concordance, e.g. 5.2; their IPC codes count too."),
    )
    match_mode = models.CharField(
        _("match mode"), max_length=20, choices=MatchMode.choices, default=MatchMode.ANY
    )
    # Hash of the definition last tagged: a changed node is re-tagged in full.
    tagged_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("chain node")
        verbose_name_plural = _("chain nodes")
        ordering = ["chain", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "key"], name="chainnode_chain_key_uniq")
        ]

    def __str__(self) -> str:
        return self.name

    def definition_hash(self) -> str:
        payload = [
            sorted(self.ipc_codes),
            sorted(self.cpc_codes),
            self.keywords_zh,
            self.keywords_en,
            sorted(self.sei_industry_codes),
            self.match_mode,
        ]
        return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()


class PatentNodeTag(models.Model):
    class Source(models.TextChoices):
        IPC = "ipc", _("IPC code")
        CPC = "cpc", _("CPC code")
        CONCORDANCE = "concordance", _("Industry concordance")
        KEYWORD = "keyword", _("Keyword")
        PREDICTED = "predicted", _("Predicted IPC")
        MANUAL = "manual", _("Staff")

    class Status(models.TextChoices):
        AUTO = "auto", _("Automatic")
        CONFIRMED = "confirmed", _("Confirmed by staff")
        REJECTED = "rejected", _("Rejected by staff")

    # Tagging writes millions of rows in one transaction: per-row foreign-key
    # triggers cost more than the inserts themselves, so these keys are not
    # enforced by the database. Tags are only written by SELECTs over existing
    # patents and nodes; ORM deletes still cascade (Django does that), and a
    # full tagging run sweeps tags whose patent was deleted by raw SQL.
    # Indexes: the unique (node, patent) and (chain, status) cover node and chain.
    patent = models.ForeignKey(
        Patent, on_delete=models.CASCADE, related_name="chain_tags", db_constraint=False
    )
    node = models.ForeignKey(
        ChainNode,
        on_delete=models.CASCADE,
        related_name="tags",
        db_constraint=False,
        db_index=False,
    )
    # Denormalised so chain-wide reads need no join through nodes.
    chain = models.ForeignKey(
        IndustryChain,
        on_delete=models.CASCADE,
        related_name="tags",
        db_constraint=False,
        db_index=False,
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    reason = models.CharField(_("reason"), max_length=255)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.AUTO
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # almost always empty; one index less to maintain per tag
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("patent tag")
        verbose_name_plural = _("patent tags")
        constraints = [
            models.UniqueConstraint(fields=["node", "patent"], name="tag_node_patent_uniq")
        ]
        indexes = [
            models.Index(fields=["chain", "status"], name="tag_chain_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.patent_id} → {self.node_id}"


class TaggingRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    chain = models.ForeignKey(IndustryChain, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    full = models.BooleanField(_("full re-run"), default=False)
    steps_total = models.PositiveIntegerField(default=0)
    steps_done = models.PositiveIntegerField(default=0)
    tags_written = models.PositiveIntegerField(_("tags written"), default=0)
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tagging run")
        verbose_name_plural = _("tagging runs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.chain_id} #{self.pk}"

    @property
    def progress_percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.steps_total:
            return 0
        return min(99, int(100 * self.steps_done / self.steps_total))
