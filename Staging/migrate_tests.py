#!/usr/bin/env python3
"""Mechanical part of moving rule tests from hamlets to units (TT 124 Art. 5(4)).

Every hamlet `{ id: H, name: N, facts: { Y: { safe_antt: B } } }` becomes the unit
`{ id: H, name: N, kind: khu_dan_cu, facts: { Y: { antt_registered: true, antt_recognised: B } } }`
under `units:`; `set`/`unset` of `safe_antt` become `antt_recognised`; the reason `thon-an-toan`
becomes `don-vi-cong-nhan` (xa-ntm.19.2's replacement clause, Staging/clauses-5-4.yaml B).

Usage: migrate_tests.py IN.yaml OUT.yaml
"""
import re, sys

HAMLET = re.compile(r"\{ id: ([^,]+), name: ([^,]+), facts: \{ (\d{4}): \{ safe_antt: (true|false) \} \} \}")

def migrate(text: str) -> str:
    text = HAMLET.sub(r"{ id: \1, name: \2, kind: khu_dan_cu, facts: { \3: { antt_registered: true, antt_recognised: \4 } } }", text)
    text = re.sub(r"\bhamlets:", "units:", text)
    text = re.sub(r"\{ safe_antt: (true|false) \}", r"{ antt_recognised: \1 }", text)
    text = text.replace("[safe_antt]", "[antt_recognised]")
    text = re.sub(r"(?<![-\w])thon-an-toan(?![-\w])", "don-vi-cong-nhan", text)
    if "safe_antt" in text:
        raise SystemExit("a form of safe_antt this script does not know is left: migrate it by hand")
    return text

if __name__ == "__main__":
    source, target = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as f:
        text = f.read()
    with open(target, "w", encoding="utf-8") as f:
        f.write(migrate(text))
