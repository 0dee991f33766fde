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
