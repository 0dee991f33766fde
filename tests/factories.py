"""factory_boy factories for the shared schema. Values come from real records
(the first rows of the shipped datasets), not invented ones."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from patents.models import InventorMention, Organization, Patent, PatentApplicant, Region
from portal.roles import Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct-horse-battery-9")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            for role in extracted:
                self.groups.add(Group.objects.get_or_create(name=Role(role).value)[0])


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "370100"
    name = "济南市"
    short_name = "济南"
    level = Region.Level.CITY


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("normalized_name",)

    name = factory.Sequence(lambda n: f"山东大学{n}号实验室")
    normalized_name = factory.LazyAttribute(lambda o: o.name.upper())
    kind = Organization.Kind.UNIVERSITY
    country = "CN"


class PatentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patent
        django_get_or_create = ("publication_number",)

    # Serials from the real CN114081026A upward; titles from the CN dataset.
    publication_number = factory.Sequence(lambda n: f"CN{114081026 + n}A")
    country = "CN"
    kind_code = "A"
    title = "一种水电站高压输电线路驱鸟保护装置"
    title_language = "zh"
    main_ipc = "A01M29/00"
    ipc_codes = factory.LazyAttribute(lambda p: [p.main_ipc])
    publication_date = dt.date(2022, 2, 22)
    source_dataset = "factory"


class PatentApplicantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatentApplicant

    patent = factory.SubFactory(PatentFactory)
    organization = factory.SubFactory(OrganizationFactory)
    sequence = 0
    raw_name = factory.LazyAttribute(lambda a: a.organization.name)


class InventorMentionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InventorMention

    patent = factory.SubFactory(PatentFactory)
    sequence = 0
    raw_name = "王伟"
    normalized_name = "王伟"


def written_document(name: str = "书面同意.pdf"):
    """A small PDF upload: a signed written consent, notice or payment slip scan."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + name.encode()
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def consent_documents(*organizations) -> dict:
    """Each co-owner's own signed written consent, as ``declaration_create`` takes it."""
    return {org.pk: written_document(f"consent-{org.pk}.pdf") for org in organizations}


def withdrawal_documents(declaration) -> dict:
    """Every co-owner's own signed consent to withdraw ``declaration``."""
    return consent_documents(*[c.organization for c in declaration.consents.all()])


def open_licence_paid(*, licence, amount, paid_on, reference="", actor=None):
    """The licensee reports its payment with proof and centre staff accept the proof."""
    from openlicense.services import open_licence_confirm_payment, open_licence_record_payment

    licence = open_licence_record_payment(
        licence=licence,
        amount=amount,
        paid_on=paid_on,
        reference=reference,
        proof=written_document("payment-slip.pdf"),
    )
    if actor is None:
        actor = UserFactory(username=f"payment-staff-{licence.pk}", roles=["centre_staff"])
    return open_licence_confirm_payment(licence=licence, actor=actor, as_staff=True)
