#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets into Fuzz/seeds/<target>/ (run from anywhere).

ruleFile:   every rule file of Rules/ (not the rule tests), every YAML fixture of
            Tests/CriteriaEngineTests/Fixtures/yaml and every broken-rule fixture of .../Fixtures/rules
            (keycap markers and '# expect' lines removed), and the hostile rows of
            /work/shared/reference/hostile-inputs.md that are not fixtures already.
expression: every 'check:' expression of those files, and expressions at and beyond the limits.
evaluator:  each expression of Rules/ on a first line, followed by bytes that shape the data.
dataset:    a format byte (0 YAML, 1 JSON, 2 CSV) and a dataset: the examples of Docs/data-format.md,
            the dataset fixtures of Tests/CriteriaEngineTests/Fixtures/data (markers and headers removed).
Findings of fuzz runs are added by hand as regression seeds (named finding-*).
"""
import hashlib, os, re, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = os.path.join(root, "Fuzz", "seeds")
marker = re.compile(rb"[1-9](\xef\xb8\x8f)?\xe2\x83\xa3")

def clean(data: bytes) -> bytes:
    lines = [l for l in data.split(b"\n") if not re.match(rb"\s*# (expect|message|hint|note|limits|known-issue)\b", l)]
    return marker.sub(b"", b"\n".join(lines))

def write(target, name, data: bytes):
    folder = os.path.join(out, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)

def files(folder, skip_tests=False):
    for dirpath, dirs, names in os.walk(folder):
        dirs.sort()
        if skip_tests and os.path.basename(dirpath) in ("tests", "plans"):
            continue
        for n in sorted(names):
            if n.endswith(".yaml"):
                yield os.path.join(dirpath, n)

expressions = []
def collect(data: bytes):
    for m in re.finditer(rb"^\s*-?\s*check:\s*(.+)$", data, re.M):
        text = m.group(1).strip()
        if len(text) > 2 and text[:1] in (b"'", b'"') and text[-1:] == text[:1]:
            text = text[1:-1]
        if text not in expressions and len(text) < 4096:
            expressions.append(text)

rule_expressions = []
for path in files(os.path.join(root, "Rules"), skip_tests=True):
    data = open(path, "rb").read()
    write("ruleFile", "rules-" + os.path.relpath(path, os.path.join(root, "Rules")).replace("/", "-"), data)
    collect(data)
rule_expressions = list(expressions)
for kind in ("yaml", "rules"):
    base = os.path.join(root, "Tests", "CriteriaEngineTests", "Fixtures", kind)
    for path in files(base):
        data = clean(open(path, "rb").read())
        if len(data) > 64 * 1024:
            continue
        write("ruleFile", f"fixture-{kind}-" + os.path.relpath(path, base).replace("/", "-"), data)
        collect(data)

# Hostile rows not covered by a fixture: an alias as key after nested anchors, deep nesting, long keys.
hostile = {
    "hostile-nesting-flow-1000.yaml": b"a: " + b"[" * 1000 + b"]" * 1000 + b"\n",
    "hostile-nesting-block-200.yaml": b"".join(b"  " * i + b"- \n" for i in range(200)) + b"  " * 200 + b"x\n",
    "hostile-long-key.yaml": b"k" * 2000 + b": 1\n",
    "hostile-multi-doc.yaml": b"a: 1\n---\nb: 2\n",
    "hostile-crlf.yaml": b"criteria: 1\r\nid: x\r\ntitle: { vi: X }\r\nlevel: commune\r\nin_force: { from: 2022-01-01 }\r\nsource: { act: A, status: confirmed }\r\nall:\r\n  - id: c\r\n    title: { vi: C }\r\n    check: antt_plan\r\n",
    "hostile-invalid-utf8.yaml": b"criteria: 1\nid: \xff\xfe\n",
    "hostile-bom-mid.yaml": b"criteria: 1\n\xef\xbb\xbfid: x\n",
    "hostile-nul.yaml": b"criteria: 1\nid: a\x00b\n",
}
for name, data in hostile.items():
    write("ruleFile", name, data)

limits_expressions = [
    b"(" * 63 + b"a" + b")" * 63, b"(" * 64 + b"a" + b")" * 64, b"(" * 200 + b"a" + b")" * 200,
    b"!" * 70 + b"a", b"-" * 70 + b"1", b" + ".join([b"1"] * 4999) + b" == 0", b"a" * 4097,
    b"[" * 70 + b"]" * 70, b"f(" * 70 + b")" * 70, b"a ? " * 40 + b"b" + b" : c" * 40,
    b"99999999999999999999999999999999999999 * 99999999999999999999999999999999999999 > 0",
    b"0." + b"0" * 100 + b"1 * 0." + b"0" * 100 + b"1 == 0", b"1 / 0 == 1", b"0.5% < 1,5", b"x \xe2\x89\xa4 1",
    b"share(hamlets.filter(h, h.safe_antt == false), x, x.safe_antt) >= 50%",
    b"in_year(0, social_order_crimes) >= 0", b"last_year(last_year(last_year(serious_crimes))) == 0",
]
for index, data in enumerate(expressions + limits_expressions):
    write("expression", f"expr-{index:03d}", data)

for index, data in enumerate(rule_expressions + limits_expressions[10:]):
    shape = hashlib.sha256(data).digest() * 8
    write("evaluator", f"eval-{index:03d}", data + b"\n" + shape)
write("evaluator", "eval-empty-expression", b"\n" + bytes(range(256)))
# Datasets: the examples of Docs/data-format.md and the dataset fixtures.
doc = open(os.path.join(root, "Docs", "data-format.md"), "rb").read()
blocks = re.findall(rb"```(yaml|json|csv)\n(.*?)```", doc, re.S)
for index, (kind, body) in enumerate(blocks):
    selector = {b"yaml": 0, b"json": 1, b"csv": 2}[kind]
    write("dataset", f"doc-{index:02d}-{kind.decode()}", bytes([selector]) + body)
base = os.path.join(root, "Tests", "CriteriaEngineTests", "Fixtures", "data")
for kind, selector in (("yaml", 0), ("json", 1), ("csv", 2)):
    folder = os.path.join(base, kind)
    for name in sorted(os.listdir(folder)):
        data = open(os.path.join(folder, name), "rb").read()
        lines = data.split(b"\n")
        if kind != "yaml":
            lines = [l for l in lines if not l.lstrip().startswith(b"#")]
        data = marker.sub(b"", b"\n".join(lines))
        write("dataset", f"fixture-{kind}-{name}", bytes([selector]) + data[:8192])
print("seeds written to", out)
