#!/usr/bin/env python3
"""Writes the .xlsx fixtures of the workbook reader with openpyxl (a real spreadsheet library, which
writes what Excel reads), then a few broken or hostile copies with Python's zipfile.
Run from the repository root: python3 Tests/CriteriaEngineTests/Fixtures/data/xlsx/make.py
(pip install openpyxl)."""
import datetime, decimal, os, zipfile
from openpyxl import Workbook
from openpyxl.comments import Comment

HERE = os.path.dirname(os.path.abspath(__file__))


def path(name):
    return os.path.join(HERE, name)


def typed():
    """A two-tier province: Vietnamese text, a decimal number, a percent, a date, bools, an empty cell."""
    wb = Workbook()
    ws = wb.active
    ws.title = "dataset"
    ws.append(["dataset", "synthetic", "description"])
    ws.append([1, True, "Dữ liệu giả định — bảng tính"])
    ws = wb.create_sheet("province")
    ws.append(["id", "name", "year"])
    ws.append(["38", "Tỉnh Thanh Hóa", None])
    ws = wb.create_sheet("communes")
    ws.append(["id", "name", "province_id", "year", "group", "antt_party_resolution", "antt_plan",
               "social_order_crimes", "serious_crimes", "movement_rating"])
    ws.append(["16001", "Xã Đông Tiến", "38", 2025, 2, True, False, 12, None, "kha"])
    ws.append(["16001", "Xã Đông Tiến", "38", 2026, 2, True, True, 10, 0, "xuat_sac"])
    ws.append(["01234", "Phường Hạc Thành", "38", 2026, 1, False, True, 7, 1, "trung_binh"])
    ws.append(["15320", "Xã Đông Cũ", "38", 2025, None, True, True, 20, None, "kha"])   # split on 2025-07-01
    ws = wb.create_sheet("units")
    ws.append(["id", "name", "commune_id", "kind", "year", "antt_registered", "antt_recognised"])
    ws.append(["16001-01", "Thôn Đông, xóm 2", "16001", "khu_dan_cu", 2026, True, None])
    ws = wb.create_sheet("successions")
    ws.append(["date", "change", "from", "into", "share"])
    ws.append([datetime.date(2025, 7, 1), "split", "15320", "16001", decimal.Decimal("0.6")])
    ws.append([datetime.date(2025, 7, 1), "split", "15320", "01234", decimal.Decimal("0.4")])
    ws["A2"].number_format = "dd/mm/yyyy"
    ws["A3"].number_format = "yyyy-mm-dd"
    ws["E2"].number_format = "0%"
    ws["E3"].number_format = "0.00%"
    ws = wb.create_sheet("Ghi chú")
    ws["A1"] = "Trang này không phải một bảng: Criteria bỏ qua nó."
    wb.save(path("typed.xlsx"))


def cells():
    """One sheet of every kind of cell, read by the workbook reader alone (not a dataset)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "cells"
    ws["A1"] = "Xã Đông Hòa"          # a shared string
    ws["B1"] = decimal.Decimal("1250.75")
    ws["C1"] = decimal.Decimal("0.5714")
    ws["C1"].number_format = "0.00%"
    ws["D1"] = datetime.date(2025, 7, 1)
    ws["D1"].number_format = "dd/mm/yyyy"
    ws["E1"] = True
    ws["F1"] = False
    # G1 stays empty
    ws["H1"] = 12
    ws["I1"] = decimal.Decimal("0.000015")  # openpyxl writes 0.000015 or 1.5E-5
    ws["J1"] = "=1+1"
    ws["K1"] = "  lề  "
    ws["A3"] = "dòng 3"
    wb.save(path("cells.xlsx"))


def shared():
    """cells.xlsx with A1 as a shared string of two runs (Excel's rich text), a phonetic run that is no
    part of the text, and an escaped carriage return (_x000D_) in A3."""
    strings = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
               '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2">'
               '<si><r><t xml:space="preserve">Xã </t></r><r><rPr><b/></rPr><t>Đông Hòa</t></r><rPh sb="0" eb="1"><t>IGNORED</t></rPh></si>'
               '<si><t>dòng_x000D_3</t></si></sst>')

    def change(name, data):
        if name is None:
            return {"xl/sharedStrings.xml": strings}
        if name == "xl/worksheets/sheet1.xml":
            text = data.decode()
            text = text.replace('<c r="A1" t="inlineStr"><is><t>Xã Đông Hòa</t></is></c>', '<c r="A1" t="s"><v>0</v></c>')
            text = text.replace('<c r="A3" t="inlineStr"><is><t>dòng 3</t></is></c>', '<c r="A3" t="s"><v>1</v></c>')
            return text.encode()
        return data
    rewrite("cells.xlsx", "shared.xlsx", change)


def rewrite(source, target, change):
    """Copies a workbook, changing its parts with `change(name, bytes) -> bytes or None (left out)`,
    and adding the parts `change` returns for the name None."""
    with zipfile.ZipFile(path(source)) as zin, zipfile.ZipFile(path(target), "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = change(item.filename, zin.read(item.filename))
            if data is not None:
                zout.writestr(item.filename, data)
        for name, data in (change(None, None) or {}).items():
            zout.writestr(name, data)


def hostile():
    # A cell with an Excel error (#DIV/0!) in communes!H3.
    def error_cell(name, data):
        if name == "xl/worksheets/sheet3.xml":
            text = data.decode()
            start = text.index('<c r="H3"')
            end = text.index("</c>", start) + 4
            return (text[:start] + '<c r="H3" t="e"><v>#DIV/0!</v></c>' + text[end:]).encode()
        return data
    rewrite("typed.xlsx", "error-cell.xlsx", error_cell)

    # A DOCTYPE with entities (a "billion laughs") in the workbook part.
    def doctype(name, data):
        if name == "xl/workbook.xml":
            text = data.decode()
            decl = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
            return (text.replace("?>", "?>" + decl, 1) if text.startswith("<?xml") else decl + text).encode()
        return data
    rewrite("typed.xlsx", "doctype.xlsx", doctype)

    # A "zip bomb": the communes sheet padded with 24 MB of spaces (a few KB compressed).
    def bomb(name, data):
        if name == "xl/worksheets/sheet3.xml":
            return data.replace(b"<sheetData>", b"<sheetData>" + b" " * (24 << 20), 1)
        return data
    rewrite("typed.xlsx", "bomb.xlsx", bomb)

    # A workbook without its workbook part.
    rewrite("typed.xlsx", "no-workbook.xlsx", lambda name, data: None if name == "xl/workbook.xml" else data)

    # Not a ZIP at all.
    with open(path("not-a-zip.xlsx"), "wb") as f:
        f.write("id,name\n38,Tỉnh Thanh Hóa\n".encode())

    # Malformed XML in a sheet.
    rewrite("typed.xlsx", "bad-xml.xlsx",
            lambda name, data: data[: len(data) // 2] if name == "xl/worksheets/sheet2.xml" else data)


def mistakes():
    """A dataset whose mistakes each have a cell: a wrong type, an unknown column, a cell outside the
    header, a misspelt sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "province"
    ws.append(["id", "name", "year"])
    ws.append(["38", "Tỉnh Thanh Hóa", None])
    ws = wb.create_sheet("communes")
    ws.append(["id", "name", "province_id", "year", "social_order_crimes", "antt_plan"])
    ws.append(["16001", "Xã Đông Tiến", "38", 2026, "mười", True])       # E2: not a count
    ws.append(["16002", "Xã Đông Hòa", "38", 2026, 3, "có"])             # F3: not a bool
    ws["H3"] = "lạc"                                                     # outside the header
    ws = wb.create_sheet("hamlet")                                       # misspelt: hamlets
    ws.append(["id"])
    wb.save(path("mistakes.xlsx"))


typed()
cells()
shared()
hostile()
mistakes()
