#!/usr/bin/env python3
"""Writes province.xlsx, the Excel twin of the CSV tables in csv/, with openpyxl: one sheet per table,
each cell typed as an inspector's spreadsheet types it (numbers as numbers, true/false as boolean
cells, dates as date cells, shares as percentages, codes and names as text).
Run from the repository root: python3 Examples/thanh-hoa-2026/make-xlsx.py  (pip install openpyxl)"""
import csv, datetime, decimal, os, re
from openpyxl import Workbook

HERE = os.path.dirname(os.path.abspath(__file__))
TEXT = {"id", "name", "province_id", "district_id", "commune_id", "kind", "description", "change", "from", "into",
        "movement_rating"}
ORDER = ["dataset", "province", "districts", "communes", "units", "successions"]


def cell(column, text):
    """The value and number format of one CSV cell."""
    if text == "":
        return None, None
    if column in TEXT:
        return text, None
    if text in ("true", "false"):
        return text == "true", None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return datetime.date.fromisoformat(text), "dd/mm/yyyy"
    if re.fullmatch(r"-?\d+(\.\d+)?%", text):
        return decimal.Decimal(text[:-1]) / 100, "0%"
    if re.fullmatch(r"-?\d+", text):
        return int(text), None
    if re.fullmatch(r"-?\d+\.\d+", text):
        return decimal.Decimal(text), None
    return text, None


wb = Workbook()
wb.remove(wb.active)
for name in ORDER:
    with open(os.path.join(HERE, "csv", name + ".csv"), encoding="utf-8") as f:
        rows = list(csv.reader(f))
    ws = wb.create_sheet(name)
    ws.append(rows[0])
    for r, row in enumerate(rows[1:], start=2):
        for c, (column, text) in enumerate(zip(rows[0], row), start=1):
            value, fmt = cell(column, text)
            if value is None:
                continue
            target = ws.cell(row=r, column=c, value=value)
            if fmt:
                target.number_format = fmt
    ws.freeze_panes = "A2"
wb.save(os.path.join(HERE, "province.xlsx"))
