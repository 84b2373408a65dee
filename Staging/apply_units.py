#!/usr/bin/env python3
"""Moves the staged TT 124 Art. 5(4) unit pieces into a rules folder (default: Rules).

Run from the repository root once the engine supports the `unit` level:

    python3 Staging/apply_units.py [RULES_DIR]

It does exactly what Staging/README.md lists, and stops with a message if a file no longer has the
text it expects to replace. Afterwards: criteria test Rules --update-snapshots (read the new snapshot
texts), criteria lint --strict Rules, criteria test Rules --coverage --min-coverage 100,
criteria docs.
"""
import os, re, shutil, sys

HERE = os.path.dirname(os.path.abspath(__file__))
RULES = sys.argv[1] if len(sys.argv) > 1 else "Rules"


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def block(key):
    """The lines under a top-level key of clauses-5-4.yaml, as written (indentation kept)."""
    lines = read(os.path.join(HERE, "clauses-5-4.yaml")).split("\n")
    start = lines.index(key + ":") + 1
    end = start
    while end < len(lines) and (lines[end].startswith(" ") or lines[end] == ""):
        end += 1
    return "\n".join(lines[start:end]).rstrip("\n") + "\n"


def replace_tail(path, marker, new):
    text = read(path)
    i = text.find(marker)
    if i < 0:
        sys.exit(f"{path}: '{marker.strip()}' not found; apply by hand (Staging/README.md)")
    write(path, text[:i] + new)


def replace(path, old, new):
    text = read(path)
    if old not in text:
        sys.exit(f"{path}: expected text not found: {old[:70]!r}; apply by hand (Staging/README.md)")
    write(path, text.replace(old, new, 1))


def remove_list_item(path, name):
    """Removes `  - name: NAME` and the lines below it up to the next item, comment or blank line."""
    lines = read(path).split("\n")
    try:
        i = lines.index(f"  - name: {name}")
    except ValueError:
        sys.exit(f"{path}: no item '{name}'")
    j = i + 1
    while j < len(lines) and lines[j].startswith("    "):
        j += 1
    if j < len(lines) and lines[j] == "" and (i == 0 or lines[i - 1] == ""):
        j += 1
    write(path, "\n".join(lines[:i] + lines[j:]))


# 1–2: the unit inputs and the khu dân cư criterion
shutil.copy(os.path.join(HERE, "inputs-unit.yaml"), os.path.join(RULES, "inputs-unit.yaml"))
shutil.copy(os.path.join(HERE, "tt124-khu-dan-cu.yaml"), os.path.join(RULES, "tt124", "khu-dan-cu.yaml"))

# 3 (A): tt124.xa, Art. 5(4) over the units
xa = os.path.join(RULES, "tt124", "xa-an-toan-antt.yaml")
replace_tail(xa, "  # ── Điều 5 khoản 4", "  # ── Điều 5 khoản 4 ───────────────────────────────────────────────────────────────────────\n" + block("tt124_xa_dieu_5_khoan_4"))
replace(xa, "Tỷ lệ tại khoản 4 được tính trên tổng số đơn vị do xã khai báo cho đến khi hệ thống có danh sách\n    từng đơn vị.",
        "Tỷ lệ tại khoản 4 được tính trên danh sách khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục của xã.")
replace(xa, "Clause 4's share is computed from the unit counts the commune declares until the engine lists the\n    units one by one.",
        "Clause 4's share is computed over the commune's list of units.")

# 4 (B): xa-ntm.19.2, the hamlet-only share replaced
replace_tail(os.path.join(RULES, "xa-ntm", "19.2.yaml"), "  - id: thon-an-toan\n", block("xa_ntm_19_2_thon_an_toan_replacement"))

# 5 (C): xa-ntm-kieu-mau.antt, every khu dân cư recognised (units instead of hamlets)
km = os.path.join(RULES, "xa-ntm-kieu-mau", "antt.yaml")
replace(km, "      vi: 100% thôn được công nhận “An toàn về ANTT”\n      en: Every hamlet recognised safe\n",
        "      vi: 100% khu dân cư được công nhận “An toàn về ANTT”\n      en: Every residential area recognised safe\n")
replace(km, "    check: hamlets.all(h, h.safe_antt)\n", "    check: units.all(u, u.kind != \"khu_dan_cu\" || u.antt_recognised)\n")

# 6 (D): parameters
remove_list_item(os.path.join(RULES, "parameters.yaml"), "safe_hamlet_share")

# 7 (E): the commune unit counts
for name in ["antt_units_total", "antt_units_registered", "antt_units_recognised"]:
    remove_list_item(os.path.join(RULES, "inputs.yaml"), name)

# 8: tests
tests = {
    "tests-khu-dan-cu.yaml": "tt124/tests/khu-dan-cu.yaml",
    "tests-xa-don-vi.yaml": "tt124/tests/xa-don-vi.yaml",
    "tests-tt124-xa-an-toan-antt.yaml": "tt124/tests/xa-an-toan-antt.yaml",
    "tests-xa-ntm-2026-10.yaml": "xa-ntm-2026/tests/10.yaml",
    "tests-xa-ntm-19.2.yaml": "xa-ntm/tests/19.2.yaml",
    "tests-xa-ntm-nang-cao-19.2.yaml": "xa-ntm-nang-cao/tests/19.2.yaml",
    "tests-xa-ntm-kieu-mau-antt.yaml": "xa-ntm-kieu-mau/tests/antt.yaml",
    "tests-huyen-ntm-9.4.yaml": "huyen-ntm/tests/9.4.yaml",
    "tests-huyen-ntm-nang-cao-9.1.yaml": "huyen-ntm-nang-cao/tests/9.1.yaml",
}
for source, target in tests.items():
    shutil.copy(os.path.join(HERE, source), os.path.join(RULES, target))
# snapshots of cases that were renamed or moved
for stale in ["xa-ntm/tests/snapshots/19.2/60-thon-an-toan--x1--xa-ntm.19.2.txt",
              "tt124/tests/snapshots/xa-an-toan-antt/mot-don-vi-chua-dang-ky-phan-dau--t1--tt124.xa.txt"]:
    path = os.path.join(RULES, stale)
    if os.path.exists(path):
        os.remove(path)
print("applied; now run: criteria test", RULES, "--update-snapshots, then lint --strict, test --coverage --min-coverage 100, docs")
