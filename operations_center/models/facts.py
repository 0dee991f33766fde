"""Precomputed navigation aggregates.

Navigation pages read these small tables instead of grouping millions of tags
per request. ``navigation_facts_refresh`` rebuilds a chain's rows in a few
set-based statements (after every tagging run, and nightly by Celery beat);
``IndustryChain.facts_refreshed_at`` tells the page how fresh they are.

A patent's region is its first applicant's region (the usual convention of
Chinese patent navigation); ``province`` holds the first two digits of the
GB/T 2260 code, ``city`` the first four, both empty when unknown. Rows with
``node`` null are chain-wide, counting each patent once however many nodes
it sits in.
"""

from __future__ import annotations

from django.db import models

from patents.models import Organization, Patent

from .chains import ChainNode, IndustryChain


class NodeFact(models.Model):
    chain = models.ForeignKey(IndustryChain, on_delete=models.CASCADE, related_name="+")
    node = models.ForeignKey(ChainNode, on_delete=models.CASCADE, null=True, related_name="+")
    country = models.CharField(max_length=2)
    province = models.CharField(max_length=2)
    city = models.CharField(max_length=4)
    year = models.PositiveSmallIntegerField(null=True)
    patent_type = models.CharField(max_length=16)
    legal_status = models.CharField(max_length=16)
    applicant_kind = models.CharField(max_length=16)
    patents = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["chain", "node"], name="nodefact_chain_node_idx")]

    def __str__(self) -> str:
        return f"{self.node_id}: {self.patents}"


class RegionTotalFact(models.Model):
    """All patents of the database by region and year: the RTA denominator."""

    country = models.CharField(max_length=2)
    province = models.CharField(max_length=2)
    city = models.CharField(max_length=4)
    year = models.PositiveSmallIntegerField(null=True)
    patents = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.province}{self.city}: {self.patents}"


class NodeApplicantFact(models.Model):
    chain = models.ForeignKey(IndustryChain, on_delete=models.CASCADE, related_name="+")
    node = models.ForeignKey(ChainNode, on_delete=models.CASCADE, null=True, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16)
    province = models.CharField(max_length=2)
    city = models.CharField(max_length=4)
    patents = models.PositiveIntegerField()
    valid_inventions = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["chain", "node", "province"], name="nodeapp_chain_node_prov_idx")
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.patents}"


class NodeIpcFact(models.Model):
    """Tagged patents by main IPC subclass."""

    chain = models.ForeignKey(IndustryChain, on_delete=models.CASCADE, related_name="+")
    node = models.ForeignKey(ChainNode, on_delete=models.CASCADE, null=True, related_name="+")
    province = models.CharField(max_length=2)
    city = models.CharField(max_length=4)
    subclass = models.CharField(max_length=4)
    patents = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["chain", "node"], name="nodeipc_chain_node_idx")]

    def __str__(self) -> str:
        return f"{self.subclass}: {self.patents}"


class PatentNavDim(models.Model):
    """Each patent's navigation dimensions, computed once per refresh for all chains
    (region of the first applicant, filing year, main IPC subclass)."""

    patent = models.OneToOneField(
        Patent, on_delete=models.CASCADE, primary_key=True, related_name="nav_dim"
    )
    country = models.CharField(max_length=2)
    province = models.CharField(max_length=2)
    city = models.CharField(max_length=4)
    year = models.PositiveSmallIntegerField(null=True)
    patent_type = models.CharField(max_length=16)
    legal_status = models.CharField(max_length=16)
    applicant_kind = models.CharField(max_length=16)
    subclass = models.CharField(max_length=4)

    class Meta:
        indexes = [
            models.Index(fields=["province", "year"], name="navdim_province_year_idx"),
            models.Index(fields=["city", "year"], name="navdim_city_year_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.patent_id}"


class ChainNodeClosure(models.Model):
    """Ancestor–descendant pairs of a chain's nodes (each node is its own ancestor),
    so a node's figures include its segments in one join."""

    chain = models.ForeignKey(IndustryChain, on_delete=models.CASCADE, related_name="+")
    ancestor = models.ForeignKey(ChainNode, on_delete=models.CASCADE, related_name="+")
    descendant = models.ForeignKey(
        ChainNode, on_delete=models.CASCADE, related_name="ancestor_links"
    )

    def __str__(self) -> str:
        return f"{self.ancestor_id} ⊇ {self.descendant_id}"
