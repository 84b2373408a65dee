#!/usr/bin/env python3
"""Writes province.xlsx, the 2021–2025 sample's CSV tables (csv/) as a workbook saved by a real
spreadsheet program: LibreOffice Calc, headless.

The tables are first written as one flat OpenDocument spreadsheet (.fods, XML text) with a sheet per
table, each cell typed as an inspector's spreadsheet types it: numbers as number cells (ids and codes
made of digits too, as typing 15100 in Excel makes a number; an id with a leading zero or a dash stays
text), true/false as boolean cells, codes and names as text, an empty CSV cell as an empty cell. A
last sheet, "Ghi chú", is what an inspector adds: a title, a date cell (dd/mm/yyyy) and a note; the
reader ignores it. Then LibreOffice converts the .fods to .xlsx:

    soffice --headless --convert-to xlsx --outdir DIR province.fods

so every byte of province.xlsx (cell types, styles, shared strings, the date's number format) is
LibreOffice's. Run from the repository root (Debian: apt-get install libreoffice-calc):

    python3 Examples/thanh-hoa/make-xlsx.py
"""
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
from xml.sax.saxutils import escape, quoteattr

HERE = os.path.dirname(os.path.abspath(__file__))
ORDER = ["dataset", "province", "districts", "communes", "units"]
TEXT = {"name", "kind", "description", "movement_rating"}
NOTES_SHEET = "Ghi chú"
NOTES_DATE = "2024-12-31"  # the as-of date the sample's plan report uses

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
 <office:styles>
  <number:date-style style:name="N_ngay"><number:day number:style="long"/><number:text>/</number:text><number:month number:style="long"/><number:text>/</number:text><number:year number:style="long"/></number:date-style>
  <number:boolean-style style:name="N_bool"><number:boolean/></number:boolean-style>
 </office:styles>
 <office:automatic-styles>
  <style:style style:name="ce_ngay" style:family="table-cell" style:parent-style-name="Default" style:data-style-name="N_ngay"/>
  <style:style style:name="ce_bool" style:family="table-cell" style:parent-style-name="Default" style:data-style-name="N_bool"/>
  <style:style style:name="ce_dau" style:family="table-cell" style:parent-style-name="Default"><style:text-properties fo:font-weight="bold"/></style:style>
 </office:automatic-styles>
 <office:body>
  <office:spreadsheet>
"""
TAIL = """  </office:spreadsheet>
 </office:body>
</office:document>
"""


def cell(column, text, header=False):
    """One <table:table-cell>: typed as a spreadsheet types what an inspector enters."""
    if text == "":
        return "<table:table-cell/>"
    shown = "<text:p>" + escape(text) + "</text:p>"
    if header:
        return '<table:table-cell table:style-name="ce_dau" office:value-type="string">' + shown + "</table:table-cell>"
    if column not in TEXT:
        if text in ("true", "false"):
            return ('<table:table-cell table:style-name="ce_bool" office:value-type="boolean" office:boolean-value="'
                    + text + '"><text:p>' + text.upper() + "</text:p></table:table-cell>")
        if re.fullmatch(r"-?(0|[1-9]\d*)(\.\d+)?", text):
            return '<table:table-cell office:value-type="float" office:value="' + text + '">' + shown + "</table:table-cell>"
    return '<table:table-cell office:value-type="string">' + shown + "</table:table-cell>"


def table(name, rows):
    out = ["   <table:table table:name=" + quoteattr(name) + ">\n"]
    for number, row in enumerate(rows):
        header = rows[0]
        cells = [cell(header[i] if i < len(header) else "", text, header=number == 0) for i, text in enumerate(row)]
        out.append("    <table:table-row>" + "".join(cells) + "</table:table-row>\n")
    out.append("   </table:table>\n")
    return "".join(out)


def notes():
    day, month, year = NOTES_DATE[8:], NOTES_DATE[5:7], NOTES_DATE[:4]
    return (
        "   <table:table table:name=" + quoteattr(NOTES_SHEET) + ">\n"
        '    <table:table-row><table:table-cell table:style-name="ce_dau" office:value-type="string">'
        "<text:p>Báo cáo tiêu chí an ninh, trật tự — tỉnh mẫu (dữ liệu giả định)</text:p></table:table-cell></table:table-row>\n"
        '    <table:table-row><table:table-cell office:value-type="string"><text:p>Ngày lập</text:p></table:table-cell>'
        '<table:table-cell table:style-name="ce_ngay" office:value-type="date" office:date-value="' + NOTES_DATE + '">'
        "<text:p>" + day + "/" + month + "/" + year + "</text:p></table:table-cell></table:table-row>\n"
        '    <table:table-row><table:table-cell office:value-type="string"><text:p>Ghi chú</text:p></table:table-cell>'
        '<table:table-cell office:value-type="string"><text:p>Ô trống là chưa có số liệu, không phải số 0.</text:p>'
        "</table:table-cell></table:table-row>\n"
        "   </table:table>\n")


def main():
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit("make-xlsx.py: LibreOffice is not installed (Debian: apt-get install libreoffice-calc)")
    parts = [HEAD]
    for name in ORDER:
        with open(os.path.join(HERE, "csv", name + ".csv"), encoding="utf-8", newline="") as f:
            parts.append(table(name, list(csv.reader(f))))
    parts.append(notes())
    parts.append(TAIL)
    with tempfile.TemporaryDirectory(prefix="make-xlsx-") as work:
        source = os.path.join(work, "province.fods")
        with open(source, "w", encoding="utf-8") as f:
            f.write("".join(parts))
        # A profile of its own, so a LibreOffice already open does not take the conversion.
        profile = "-env:UserInstallation=file://" + os.path.join(work, "profile")
        subprocess.run([soffice, profile, "--headless", "--convert-to", "xlsx", "--outdir", work, source],
                       check=True, stdout=subprocess.DEVNULL, timeout=600)
        shutil.copyfile(os.path.join(work, "province.xlsx"), os.path.join(HERE, "province.xlsx"))
    print("wrote " + os.path.relpath(os.path.join(HERE, "province.xlsx")))


if __name__ == "__main__":
    main()
