#!/usr/bin/env python3
"""Writes the corpus's plans in other organizations' shapes (issue 31), each as the program
people use writes it: a Word table of six columns (python-docx), an Excel sheet with merged
cells and real dates (openpyxl), a LibreOffice text with lists, bold and spanned cells
(odfpy). Run once; the files are committed with what a person checked (NAME.expected).

    python3 -m venv /tmp/corpus && /tmp/corpus/bin/pip install python-docx openpyxl odfpy
    /tmp/corpus/bin/python tests/import/make-other-shapes.py
"""

import datetime
import pathlib

HERE = pathlib.Path(__file__).parent / "corpus"


def word_six_columns():
    """A regional table's plan: six columns, numbered objectives, objective cells merged down."""
    from docx import Document
    from docx.enum.section import WD_ORIENT

    doc = Document()
    doc.sections[0].orientation = WD_ORIENT.LANDSCAPE
    doc.add_paragraph().add_run("PLAN D'ACTION 2024-2025 (juillet à juin)").bold = True
    doc.add_paragraph("Mise à jour : 12 novembre 2024")
    headers = ["OBJECTIFS", "ACTIONS", "RESPONSABLE", "ÉCHÉANCIER", "INDICATEURS", "ÉTAT D'AVANCEMENT"]
    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers):
        cell.paragraphs[0].add_run(header).bold = True

    def spanning(text):
        row = table.add_row()
        merged = row.cells[0].merge(row.cells[5])
        merged.paragraphs[0].add_run(text).bold = True

    def rows(objective, actions):
        first = None
        for i, (action, who, when, indicator, state, bold) in enumerate(actions):
            row = table.add_row()
            cells = row.cells
            if i == 0:
                cells[0].text = objective
                first = cells[0]
            run = cells[1].paragraphs[0].add_run(action)
            run.bold = bold
            cells[2].text = who
            for k, label in enumerate(when):
                paragraph = cells[3].paragraphs[0] if k == 0 else cells[3].add_paragraph()
                paragraph.add_run(label)
            cells[4].text = indicator
            cells[5].text = state
        if len(actions) > 1:
            first.merge(table.rows[-1].cells[0]).text = objective

    spanning("ORIENTATION 1 : MOBILISER LES ACTEURS RÉGIONAUX")
    rows(
        "1.1 Rencontrer les partenaires de chaque MRC",
        [
            ("1.1.1 Tournée des six MRC", "Coordination", ["Automne 2024"], "6 MRC rencontrées", "En cours : 2 MRC rencontrées", True),
            ("1.1.2 Bilan de la tournée au CA", "Coordination", ["Décembre 2024"], "Bilan déposé", "", False),
        ],
    )
    rows(
        "1.2 Animer la table régionale",
        [("1.2.1 Quatre rencontres de la table", "Présidence", ["Sept. 2024", "Juin 2025"], "4 rencontres", "Complété", True)],
    )
    spanning("ORIENTATION 2 : OUTILLER LES COMMUNAUTÉS")
    rows(
        "2.1 Diffuser le portrait régional",
        [
            ("2.1.1 Mise en page du portrait", "Agente de communication", ["Début 2025"], "", "Reporté : budget à confirmer", False),
            ("2.1.2 Lancement public", "Comité de diffusion", ["Printemps 2025 – à confirmer"], "1 lancement, 80 personnes", "", False),
        ],
    )
    doc.save(HERE / "six-columns.docx")


def excel_sheet(name, out_of_sequence=False):
    """A network's plan kept in Excel: one row per action, orientation and objective cells
    merged down, real dates in the échéance column, lettered objectives."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Plan 2025-2026"
    ws["A1"] = "PLAN D'ACTION 2025-2026"
    ws["A1"].font = Font(bold=True, size=14)
    header = ["Orientation", "Objectif", "Actions", "Porteur", "Date cible", "Cible", "Partenaires", "Budget", "Statut"]
    for col, text in enumerate(header, start=1):
        ws.cell(row=3, column=col, value=text).font = Font(bold=True)
    rows = [
        ("1. Soutenir les tables locales", "A. Accompagner les nouvelles tables", "Visites d'accompagnement",
         "Direction", datetime.date(2025, 10, 15), "8 tables accompagnées", "Centraide", "4 500 $", "En cours : 3 tables visitées"),
        (None, None, "Guide d'accueil des nouvelles tables", "Comité outils", "Hiver 2026", None, None, "1 200 $", "À venir"),
        (None, "B. Former les coordinations", "Deux formations sur l'évaluation", "Direction", "Fin mars 2026",
         "2 formations", "Université du Québec", None, "Réalisé"),
        ("2. Faire connaître le développement social", "A. Publier une infolettre", "Infolettre mensuelle",
         "Communications", "En continu", "10 numéros", None, None, "En cours"),
    ]
    if out_of_sequence:
        rows[2] = (None, "C. Former les coordinations") + rows[2][2:]
    for r, values in enumerate(rows, start=4):
        for c, value in enumerate(values, start=1):
            if value is not None:
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, datetime.date):
                    cell.number_format = "yyyy-mm-dd"
    ws.merge_cells("A4:A6")
    ws.merge_cells("B4:B5")
    ws.merge_cells("A1:I1")
    wb.save(HERE / name)


def libreoffice_text():
    """A community network's plan written in LibreOffice: ORIENTATION headings as paragraphs,
    one table each, list items for actions, bold for what is under way, an échéance cell
    spanning two rows, a Moyens column nobody else has."""
    from odf.opendocument import OpenDocumentText
    from odf.style import Style, TextProperties
    from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableRow
    from odf.text import List, ListItem, P, Span

    doc = OpenDocumentText()
    bold = Style(name="Gras", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    doc.automaticstyles.addElement(bold)

    def paragraph(text, strong=False):
        p = P()
        if strong:
            p.addElement(Span(stylename=bold, text=text))
        else:
            p.addText(text)
        return p

    doc.text.addElement(paragraph("PLAN D'ACTION 2024-2025 (juillet à juin)", True))
    doc.text.addElement(paragraph("Note : les actions en cours sont en gras."))
    header = ["Objectifs", "Actions", "Échéance", "Moyens", "Suivi"]

    def table(name, rows):
        t = Table(name=name)
        t.addElement(TableColumn(numbercolumnsrepeated=len(header)))
        tr = TableRow()
        for text in header:
            cell = TableCell()
            cell.addElement(paragraph(text, True))
            tr.addElement(cell)
        t.addElement(tr)
        for row in rows:
            tr = TableRow()
            for value in row:
                if value == "covered":
                    tr.addElement(CoveredTableCell())
                    continue
                span = 1
                if isinstance(value, tuple) and value[0] == "span":
                    span, value = value[1], value[2]
                cell = TableCell(numberrowsspanned=span) if span > 1 else TableCell()
                if isinstance(value, list):
                    items = List()
                    for text, strong in value:
                        item = ListItem()
                        item.addElement(paragraph(text, strong))
                        items.addElement(item)
                    cell.addElement(items)
                elif value:
                    cell.addElement(paragraph(value))
                else:
                    cell.addElement(P())
                tr.addElement(cell)
            t.addElement(tr)
        doc.text.addElement(t)

    doc.text.addElement(paragraph("ORIENTATION 1 : RÉSEAUTER LES ORGANISMES", True))
    table("Orientation1", [
        ["Tenir des rencontres de réseautage", [("Trois déjeuners-causeries", True), ("Une journée régionale", False)],
         ("span", 2, "Automne 2024 - Printemps 2025"), "Salle prêtée par la MRC", "En cours"],
        ["", [("Bottin des organismes", False)], "covered", "Stagiaire", "Non débuté"],
    ])
    doc.text.addElement(paragraph("ORIENTATION 2 : SOUTENIR L'ÉVALUATION", True))
    table("Orientation2", [
        ["Former les membres", [("Atelier sur les indicateurs", False)], "Deuxième semaine de mars 2025",
         "Formatrice externe", "Complété"],
        ["Produire un bilan", [("Bilan annuel", False)], "Fin juin 2025 (selon le financement)", "", ""],
    ])
    doc.save(str(HERE / "libreoffice.odt"))


if __name__ == "__main__":
    word_six_columns()
    excel_sheet("excel-sheet.xlsx")
    excel_sheet("excel-out-of-sequence.xlsx", out_of_sequence=True)
    libreoffice_text()
