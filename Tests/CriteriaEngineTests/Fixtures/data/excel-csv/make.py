#!/usr/bin/env python3
"""Writes the two-tier sample's CSV tables as Excel's plain "CSV" on a Vietnamese Windows saves them:
`;`-separated, CRLF line ends, Windows-1258 with tone marks as combining characters (how the code page
holds Vietnamese). Run from the repository root: python3 Tests/CriteriaEngineTests/Fixtures/data/excel-csv/make.py"""
import csv, io, os, unicodedata

SOURCE = "Examples/thanh-hoa-2026/csv"
TARGET = os.path.dirname(os.path.abspath(__file__))
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258(text):
    out = bytearray()
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out += base.encode("cp1258") + "".join(c for c in parts if c in TONES).encode("cp1258")
    return bytes(out)


for name in sorted(os.listdir(SOURCE)):
    with open(os.path.join(SOURCE, name), encoding="utf-8") as f:
        rows = list(csv.reader(f))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    with open(os.path.join(TARGET, name), "wb") as f:
        f.write(cp1258(buffer.getvalue()))
