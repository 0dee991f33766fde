"""The one patent schema every app shares.

Sized for 100M patents: rows are written in bulk by ``patents.importing`` (no
per-row ``save()``), every filter the portal offers has an index, and the lists
a page shows (IPC / CPC codes) are denormalised onto ``Patent`` so reading a
patent needs no extra queries. ``PatentClassification`` keeps one row per code
for indexed filtering and aggregation by class.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .validators import validate_cn_application_number, validate_uscc


class PatentType(models.TextChoices):
    INVENTION = "invention", _("Invention")
    UTILITY_MODEL = "utility_model", _("Utility model")
    DESIGN = "design", _("Design")
    OTHER = "other", _("Other")


class LegalStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    GRANTED = "granted", _("Granted, in force")
    LAPSED = "lapsed", _("Lapsed or expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REJECTED = "rejected", _("Rejected")
    UNKNOWN = "unknown", _("Unknown")


class Region(models.Model):
    """A Chinese administrative division, keyed by its GB/T 2260 six-digit code."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Province")
        CITY = 2, _("City")
        COUNTY = 3, _("County")

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    name = models.CharField(_("name"), max_length=64)
    # "济南" for "济南市": addresses and company names use the short form.
    short_name = models.CharField(_("short name"), max_length=64, db_index=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"


class IPCCode(models.Model):
    """One entry of the International Patent Classification, any level."""

    class Level(models.IntegerChoices):
        SECTION = 1, _("Section")
        CLASS = 2, _("Class")
        SUBCLASS = 3, _("Subclass")
        MAIN_GROUP = 4, _("Main group")
        SUBGROUP = 5, _("Subgroup")

    code = models.CharField(_("code"), max_length=20, primary_key=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # the source scheme has gaps; a missing parent must not block loading
        null=True,
        blank=True,
        related_name="children",
    )
    title_zh = models.TextField(_("Chinese title"), blank=True)
    title_en = models.TextField(_("English title"), blank=True)

    class Meta:
        verbose_name = _("IPC code")
        verbose_name_plural = _("IPC codes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Organization(models.Model):
    """An applicant, assignee or patent holder."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        UNIVERSITY = "university", _("University")
        INSTITUTE = "institute", _("Research institute")
        INDIVIDUAL = "individual", _("Individual")
        GOVERNMENT = "government", _("Government")
        UNKNOWN = "unknown", _("Unknown")

    name = models.CharField(_("name"), max_length=255)
    # The deduplication key: importers match applicants on it (see normalize.py).
    normalized_name = models.CharField(_("normalized name"), max_length=255, unique=True)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.UNKNOWN)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_uscc],
    )
    country = models.CharField(_("country"), max_length=2, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.SET_NULL, null=True, blank=True, related_name="organizations"
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        indexes = [
            models.Index(fields=["kind", "region"], name="org_kind_region_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class ImportJob(models.Model):
    """One run of the patent importer: its file, options, progress and outcome."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    format = models.CharField(_("format"), max_length=32)
    source_file = models.FileField(_("file"), upload_to="imports/%Y/%m/", max_length=255)
    original_name = models.CharField(_("original file name"), max_length=255)
    options = models.JSONField(_("options"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    bytes_total = models.BigIntegerField(default=0)
    bytes_done = models.BigIntegerField(default=0)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_created = models.PositiveIntegerField(_("created"), default=0)
    rows_updated = models.PositiveIntegerField(_("updated"), default=0)
    rows_rejected = models.PositiveIntegerField(_("rejected"), default=0)
    error_report = models.FileField(
        _("error report"), upload_to="import-reports/%Y/%m/", blank=True, max_length=255
    )
    failure = models.TextField(_("failure"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("patent import")
        verbose_name_plural = _("patent imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.format})"

    @property
    def progress_percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.bytes_total:
            return 0
        return min(99, int(100 * self.bytes_done / self.bytes_total))


class Patent(models.Model):
    # Natural key, normalised: country + number + kind, e.g. CN114081026A.
    publication_number = models.CharField(_("publication number"), max_length=32, unique=True)
    application_number = models.CharField(
        _("application number"),
        max_length=32,
        blank=True,
        db_index=True,
        validators=[validate_cn_application_number],
    )
    country = models.CharField(_("country"), max_length=2)
    kind_code = models.CharField(_("kind code"), max_length=4, blank=True)
    patent_type = models.CharField(
        _("type"), max_length=16, choices=PatentType.choices, default=PatentType.INVENTION
    )
    title = models.TextField(_("title"))
    title_language = models.CharField(_("title language"), max_length=8, blank=True)
    abstract = models.TextField(_("abstract"), blank=True)
    abstract_language = models.CharField(_("abstract language"), max_length=8, blank=True)
    claims = models.TextField(_("claims"), blank=True)
    claim_count = models.PositiveIntegerField(_("claim count"), null=True, blank=True)
    main_ipc = models.CharField(_("main IPC"), max_length=20, blank=True)
    ipc_codes = models.JSONField(_("IPC codes"), default=list, blank=True)
    main_cpc = models.CharField(_("main CPC"), max_length=20, blank=True)
    cpc_codes = models.JSONField(_("CPC codes"), default=list, blank=True)
    application_date = models.DateField(_("application date"), null=True, blank=True)
    publication_date = models.DateField(_("publication date"), null=True, blank=True)
    grant_date = models.DateField(_("grant date"), null=True, blank=True)
    legal_status = models.CharField(
        _("legal status"), max_length=16, choices=LegalStatus.choices, default=LegalStatus.UNKNOWN
    )
    legal_status_raw = models.CharField(_("legal status (as recorded)"), max_length=64, blank=True)
    family_size = models.PositiveIntegerField(_("family size"), null=True, blank=True)
    cited_by_count = models.PositiveIntegerField(_("cited by"), null=True, blank=True)

    # Provenance: every record traces back to the file and line it came from.
    source_dataset = models.CharField(_("source dataset"), max_length=32)
    source_file = models.CharField(_("source file"), max_length=255, blank=True)
    source_line = models.PositiveIntegerField(_("source line"), null=True, blank=True)
    import_job = models.ForeignKey(
        ImportJob,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # partial index in Meta: command-line imports leave it NULL
    )

    applicants = models.ManyToManyField(
        Organization, through="PatentApplicant", related_name="patents"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Indexed: the search index sweep re-indexes rows changed since its last run.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("patent")
        verbose_name_plural = _("patents")
        indexes = [
            models.Index(fields=["main_ipc"], name="patent_main_ipc_idx"),
            models.Index(fields=["application_date"], name="patent_app_date_idx"),
            models.Index(fields=["publication_date"], name="patent_pub_date_idx"),
            models.Index(
                fields=["country", "patent_type", "legal_status"], name="patent_ctry_type_status"
            ),
            models.Index(
                fields=["import_job"],
                name="patent_import_job_idx",
                condition=models.Q(import_job__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.publication_number

    def natural_key(self) -> tuple[str]:
        return (self.publication_number,)


class PatentApplicant(models.Model):
    class Role(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        ASSIGNEE = "assignee", _("Assignee")

    patent = models.ForeignKey(
        Patent,
        on_delete=models.CASCADE,
        related_name="applicant_links",
        # Not indexed alone: the (patent, …) unique constraint's index serves patent lookups.
        db_index=False,
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="patent_links"
    )
    sequence = models.PositiveSmallIntegerField(_("sequence"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.APPLICANT)
    raw_name = models.CharField(_("name as recorded"), max_length=255)

    class Meta:
        verbose_name = _("patent applicant")
        verbose_name_plural = _("patent applicants")
        ordering = ["patent", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["patent", "sequence"], name="applicant_patent_seq_uniq")
        ]

    def __str__(self) -> str:
        return self.raw_name


class InventorMention(models.Model):
    """An inventor as named on one patent; the talent app links mentions to people."""

    patent = models.ForeignKey(
        Patent,
        on_delete=models.CASCADE,
        related_name="inventor_mentions",
        # Not indexed alone: the (patent, …) unique constraint's index serves patent lookups.
        db_index=False,
    )
    sequence = models.PositiveSmallIntegerField(_("sequence"))
    raw_name = models.CharField(_("name as recorded"), max_length=255)
    normalized_name = models.CharField(_("normalized name"), max_length=255, db_index=True)
    affiliation = models.CharField(_("affiliation"), max_length=255, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # partial index in Meta: imports leave it NULL, talent fills it
    )
    # The source's own person id where it has one (PatentsView), kept for evaluation.
    source_person_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("inventor mention")
        verbose_name_plural = _("inventor mentions")
        ordering = ["patent", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["patent", "sequence"], name="inventor_patent_seq_uniq")
        ]
        indexes = [
            # Equality and prefix (``region__code__startswith``: a province's
            # mentions) on the rows that have a region; NULLs cost no insertion.
            models.Index(
                fields=["region"],
                name="mention_region_idx",
                opclasses=["varchar_pattern_ops"],
                condition=models.Q(region__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.raw_name


class PatentClassification(models.Model):
    """One IPC or CPC code of a patent, for indexed filtering at any level."""

    class Scheme(models.TextChoices):
        IPC = "ipc", "IPC"
        CPC = "cpc", "CPC"
        # Designs are classified by the Locarno classification (``02-02``), not IPC.
        LOCARNO = "loc", _("Locarno")

    patent = models.ForeignKey(
        Patent,
        on_delete=models.CASCADE,
        related_name="classifications",
        # Not indexed alone: the (patent, …) unique constraint's index serves patent lookups.
        db_index=False,
    )
    scheme = models.CharField(max_length=3, choices=Scheme.choices)
    code = models.CharField(max_length=20)
    # "G06F" for "G06F16/00": the level most analytics group by.
    subclass = models.CharField(max_length=4)
    is_main = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("classification")
        verbose_name_plural = _("classifications")
        constraints = [
            models.UniqueConstraint(fields=["patent", "scheme", "code"], name="classification_uniq")
        ]
        indexes = [
            # Prefix filters (a subclass includes all its groups) use LIKE 'G06F%'.
            # PostgreSQL needs the pattern opclass for LIKE to use the index; other
            # backends ignore opclasses.
            models.Index(
                fields=["scheme", "code"],
                name="classification_code_idx",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            ),
            models.Index(fields=["scheme", "subclass"], name="classification_subclass_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme}:{self.code}"


class PatentLegalEvent(models.Model):
    """A change of rights recorded for a patent: transfer, licence, pledge, preservation.

    Imported from the legal-status columns of CNIPA, crawler and PatSnap exports;
    ``date`` is the event's date where the source gives one (PatSnap's INPADOC
    column, the crawler's 法律状态最后修改日期), else empty.
    """

    class Kind(models.TextChoices):
        TRANSFER = "transfer", _("transfer of rights")
        LICENCE = "licence", _("licence recorded")
        PLEDGE = "pledge", _("pledge registered")
        PLEDGE_RELEASED = "pledge_released", _("pledge cancelled")
        PRESERVATION = "preservation", _("preservation")
        PRESERVATION_RELEASED = "preservation_released", _("preservation discharged")

    patent = models.ForeignKey(
        Patent, on_delete=models.CASCADE, related_name="legal_events", verbose_name=_("patent")
    )
    kind = models.CharField(_("change of rights"), max_length=24, choices=Kind.choices)
    date = models.DateField(_("date"), null=True, blank=True)
    raw = models.CharField(_("as recorded"), max_length=160)
    source_dataset = models.CharField(_("source dataset"), max_length=32)

    class Meta:
        verbose_name = _("legal event")
        verbose_name_plural = _("legal events")
        ordering = ["patent", "date", "id"]
        indexes = [models.Index(fields=["kind", "date"], name="legal_event_kind_date_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date or ''}".strip()


class SearchDocument(models.Model):
    """The search index row of one patent (database backend).

    Holds the filter and facet values in the shape the search queries read them,
    so a search never joins the patent tables. The full-text part lives beside
    it: on PostgreSQL a ``tsv`` tsvector column with a RUM index (added by the
    migration with raw SQL, as Django has no RUM index class), on SQLite the FTS5
    table ``patents_search_fts`` keyed by ``patent_id``.
    """

    patent = models.OneToOneField(
        Patent, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    publication_number = models.CharField(max_length=32)
    publication_date = models.DateField(null=True, blank=True)
    country = models.CharField(max_length=2, blank=True)
    patent_type = models.CharField(max_length=16, blank=True)
    legal_status = models.CharField(max_length=16, blank=True)
    # Facet values: IPC / CPC subclasses, applicant kinds, region codes of every level.
    ipc_subclasses = models.JSONField(default=list)
    cpc_subclasses = models.JSONField(default=list)
    applicant_kinds = models.JSONField(default=list)
    regions = models.JSONField(default=list)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        indexes = [
            models.Index(fields=["publication_date", "patent"], name="searchdoc_pubdate_idx"),
        ]

    def __str__(self) -> str:
        return self.publication_number


class SavedSearch(models.Model):
    """A staff member's search, re-run nightly to report patents new since the last run."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("name"), max_length=120)
    text = models.CharField(_("query"), max_length=500)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    # Patents seen by the last run; a hit not in it is new.
    seen_patent_ids = models.JSONField(default=list, blank=True)
    last_new_count = models.PositiveIntegerField(_("new hits at last run"), default=0)
    last_new_patent_ids = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["owner", "name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="savedsearch_owner_name_uniq")
        ]

    def __str__(self) -> str:
        return self.name


class SearchIndexState(models.Model):
    """Where the periodic index sweep stopped: it re-indexes patents updated after."""

    name = models.CharField(max_length=32, primary_key=True)
    swept_until = models.DateTimeField()

    class Meta:
        verbose_name = _("search index state")
        verbose_name_plural = _("search index states")

    def __str__(self) -> str:
        return f"{self.name}: {self.swept_until:%Y-%m-%d %H:%M}"
