#!/usr/bin/env python3
"""A plan's text form -> the HTML of a Word-like document, for LibreOffice to save as DOCX.

Written once to make the committed test documents (tests/import/*.docx) with a tool that is
not ours, so that the DOCX reader is tested on what another program writes:

    python3 tests/import/text-to-html.py data/plan-action-2013-2014.txt > /tmp/plan.html
    soffice --headless --convert-to docx:"MS Word 2007 XML" --outdir /tmp /tmp/plan.html

Paragraphs outside the table stay paragraphs; each ORIENTATION becomes a table row spanning
the four columns, as in the board's document; the cells keep their HTML (lists, <p>, <i>).
"""
import html
import sys


def main(path):
    lines = open(path, encoding="utf-8").read().splitlines()
    out = ['<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>']
    in_table = False
    for line in lines:
        cells = line.split("\t")
        if len(cells) > 1:
            if not in_table:
                out.append('<table border="1">')
                in_table = True
            header = cells[0].strip().upper() == "OBJECTIFS"
            tag = "th" if header else "td"
            row = "".join(f"<{tag}>{cell.strip()}</{tag}>" for cell in cells)
            out.append(f"<tr>{row}</tr>")
            continue
        if line.strip().upper().startswith("ORIENTATION"):
            if not in_table:
                out.append('<table border="1">')
                in_table = True
            out.append(f'<tr><td colspan="4"><b>{html.escape(line.strip())}</b></td></tr>')
            continue
        if not line.strip():
            continue
        if in_table:
            out.append("</table>")
            in_table = False
        out.append(f"<p>{html.escape(line.strip())}</p>")
    if in_table:
        out.append("</table>")
    out.append("</body></html>")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
