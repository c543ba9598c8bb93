#!/usr/bin/env python3
"""Writes tests/import/corpus/after-the-table.docx: a Word document as Word writes one
(a table with merged cells, then paragraphs after it), for the cases the text form cannot
show: a paragraph after the last table is not a row, the acronyms after it (with no
heading) are acronyms, cells merged down the table belong to each row.

    python3 tests/import/word-after-the-table.py
"""
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def run(text, bold=False, italic=False):
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    parts = text.split("\t")
    runs = "<w:r><w:tab/></w:r>".join(
        f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{escape(p)}</w:t></w:r>' for p in parts
    )
    return runs


def p(*runs, numbered=False):
    ppr = '<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr></w:pPr>' if numbered else ""
    return f"<w:p>{ppr}{''.join(runs)}</w:p>"


def tc(*paragraphs, span=1, merge=None):
    props = (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "") + (
        '<w:vMerge w:val="restart"/>' if merge == "restart" else "<w:vMerge/>" if merge == "continue" else ""
    )
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{''.join(paragraphs) or '<w:p/>'}</w:tc>"


def tr(*cells):
    return f"<w:tr>{''.join(cells)}</w:tr>"


body = "".join(
    [
        p(run("PLAN D’ACTION 2016-2017", bold=True)),
        p(run("Mise à jour : 3 février 2017")),
        "<w:tbl>",
        tr(*(tc(p(run(h, bold=True))) for h in ["OBJECTIFS", "ACTIONS", "ÉCHÉANCIER", "ÉTAT D’AVANCEMENT"])),
        tr(tc(p(run("ORIENTATION 1 : FAIRE RAYONNER LE DÉVELOPPEMENT SOCIAL", bold=True)), span=4)),
        tr(
            tc(p(run("Maximiser la visibilité des démarches")), merge="restart"),
            tc(p(run("Rédaction de communiqués", bold=True), numbered=True), p(run("Mise à jour du "), run("Tour du Québec", italic=True), numbered=True)),
            tc(p(run("Automne 2016")), merge="restart"),
            tc(p(run("En cours")), p(run("Complété"))),
        ),
        tr(
            tc(merge="continue"),
            tc(p(run("Capsules vidéo"), numbered=True)),
            tc(merge="continue"),
            tc(p(run("6 régions visitées"))),
        ),
        tr(tc(p(run("Soutenir les membres"))), tc(p(run("- Ateliers de partage"))), tc(p(run("Mai 2017"))), tc()),
        "</w:tbl>",
        p(run("Ce plan a été préparé par la coordination et présenté au CA.", italic=True)),
        p(),
        p(run("CRÉ : Conférence régionale des élus")),
        p(run("MESS\tMinistère de l’Emploi et de la Solidarité sociale")),
        p(run("RQDS – Réseau québécois de développement social")),
    ]
)
document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}</w:body></w:document>'
content_types = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
out = Path(__file__).parent / "corpus" / "after-the-table.docx"
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", content_types)
    z.writestr("word/document.xml", document)
print(out)
