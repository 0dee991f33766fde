"""Build a jieba user dictionary of patent-domain terms from IPC Chinese titles."""

import collections
import csv
import re

src = "/work/shared/data/ipc_scheme_zh/ipc_2026_01_zh.csv"
counts = collections.Counter()
cjk_only = re.compile(r"^[\u4e00-\u9fff]{2,7}$")
with open(src, encoding="utf-8") as f:
    for row in csv.DictReader(f):
        title = re.sub(r"[（(][^）)]*[）)]", "", row["title_zh"]).replace(" ", "")
        for frag in re.split(
            r"[，。；、：,;:\s\[\]【】“”\"]|或|和|与|及|的|用于|其他|一般|专门|适用于|适于|特别|例如|包括|用|在|以",
            title,
        ):
            if cjk_only.match(frag):
                counts[frag] += 1
bad_start = re.compile(
    r"^(有|对|仅|通过|具有|多个|每个|由|按|被|将|把|从|为|使|不|所|该|此|只|无|非|可|带|含|其|这|那|各|如|即|若|当|于|至|向|除|能|应|已|未|并|而|且|同|它|本)"
)
bad_end = re.compile(r"(上|中|下|内|外|时|后|前|者|等|之|中的|所|其|类)$")
terms = sorted(
    t for t, c in counts.items() if c >= 2 and not bad_start.search(t) and not bad_end.search(t)
)
with open("data/search/ipc_userdict_zh.txt", "w", encoding="utf-8") as out:
    for t in terms:
        out.write(f"{t} {1000 + 50 * counts[t]} n\n")
print(len(terms))
