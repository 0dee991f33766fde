import pytest

from tests.factories import UserFactory

from .factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_funder_reads_kpis_of_their_project(selectors_absent, client, funder, project, talent_year):
    ProjectFactory(code="hidden")
    client.force_login(funder)
    listing = client.get("/api/v1/reporting/projects/").json()
    assert [p["code"] for p in listing["results"]] == ["sd-talent"]
    data = client.get(f"/api/v1/reporting/projects/{project.pk}/kpis/", {"period": "2026"}).json()
    kpis = {k["code"]: k for k in data["kpis"]}
    assert kpis["l3-patent-records"]["value"] == "4"  # decimals as strings, never floats
    assert kpis["l3-patent-records"]["target"] == "100000000.00"
    assert kpis["l3-patent-records"]["evidence_count"] == 4
    assert kpis["l3-trained"]["measurable"] is False and kpis["l3-trained"]["value"] is None


def test_bad_period_is_a_400_with_a_reason(client, funder, project):
    client.force_login(funder)
    response = client.get(f"/api/v1/reporting/projects/{project.pk}/kpis/", {"period": "2026Q9"})
    assert response.status_code == 400
    assert "2026Q9" in response.json()["errors"]["period"][0]
    assert client.get(f"/api/v1/reporting/projects/{project.pk}/kpis/").status_code == 400


def test_other_users_are_refused(client, project):
    client.force_login(UserFactory(username="ent2", roles=["enterprise"]))
    assert client.get("/api/v1/reporting/projects/").status_code == 403
    other = UserFactory(username="funder3", roles=["funder"])
    client.force_login(other)
    assert (
        client.get(f"/api/v1/reporting/projects/{project.pk}/kpis/", {"period": "2026"}).status_code
        == 404
    )
