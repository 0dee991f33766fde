from __future__ import annotations

import pytest

from operations_center.models import ChainNode, IndustryChain, PatentNodeTag
from operations_center.services.concordance import code_pattern, concordance_codes
from operations_center.services.tagging import chain_tag
from tests.operations_center.conftest import make_patent

pytestmark = pytest.mark.django_db


def test_concordance_codes_split_restricted_rows():
    codes = concordance_codes(industry_codes=["5.1"])
    assert "B60K6/32" in codes.unrestricted  # rule 216, no keyword condition
    assert "B60L53/31" not in codes.unrestricted + codes.restricted  # that one is 5.3
    assert "B60L53/31" in concordance_codes(industry_codes=["5.3"]).restricted


def test_code_patterns():
    assert code_pattern("H01M") == ("prefix", "H01M")
    assert code_pattern("H01M 10/00") == ("prefix", "H01M10/")
    assert code_pattern("H01M10/0525") == ("exact", "H01M10/0525")


def test_concordance_node_needs_keyword_for_restricted_codes():
    chain = IndustryChain.objects.create(slug="sei5", name="新能源汽车")
    ChainNode.objects.create(
        chain=chain,
        key="n",
        name="整车与设施",
        stage="midstream",
        sei_industry_codes=["5.1", "5.3"],
        keywords_zh="电动汽车",
    )
    hybrid = make_patent(title="一种混合动力驱动装置", ipc=["B60K6/32"])
    pile = make_patent(title="一种电动汽车充电桩", ipc=["B60L53/31"])
    bike = make_patent(title="一种电动自行车充电装置", ipc=["B60L53/31"])
    chain_tag(chain=chain, full=True)
    tags = {t.patent_id: t for t in PatentNodeTag.objects.filter(chain=chain)}
    assert tags[hybrid.pk].reason == "SEI 5.1/5.3 IPC B60K6/32"
    assert tags[pile.pk].source == "concordance"
    assert "(+keyword)" in tags[pile.pk].reason
    assert bike.pk not in tags  # restricted code without the node's keyword
