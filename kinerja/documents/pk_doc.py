"""The Perjanjian Kinerja as signed: the statement of both parties, the IKU, IKP and IKK tables with
targets, the budget table, place, date, names, NIPs and signature blocks (layout of the Atambua
appendix)."""

from __future__ import annotations

from collections import Counter

from kinerja.core.formatting import format_rupiah
from kinerja.core.render import doc
from kinerja.documents.common import authority_chain, place_date, signer_lines, target_text
from kinerja.indicators.models import Level
from kinerja.planning.models import BudgetKind, PerjanjianKinerja

TABLES = [
    (Level.IKU, "Sasaran Strategis", "Indikator Kinerja Utama"),
    (Level.IKP, "Sasaran Program", "Indikator Kinerja Program"),
    (Level.IKK, "Sasaran Kegiatan", "Indikator Kinerja Kegiatan"),
]


# A title line longer than this wraps in the PK's heading type: the word "DENGAN" then goes on a
# line of its own rather than ending the first party's line.
TITLE_LINE = 54
# Words a position title is split before in a signature block, as the signed PK prints it:
# "Kepala Lembaga Pemasyarakatan / Kelas IIB Atambua", "Kepala Kantor Wilayah / Kementerian …".
SPLIT_BEFORE = ("Kementerian", "Kelas", "Direktorat")


def _first_title(agreement: PerjanjianKinerja) -> str:
    """The first party's position, else "Kepala" and the facility's name in the PK's year."""
    if agreement.first_party_title:
        return agreement.first_party_title
    return f"Kepala {authority_chain(agreement.unit, agreement.year)[-1]}"


def _title(agreement: PerjanjianKinerja) -> str:
    """The title lines of the signed PK: the year, the first party, "DENGAN", the second party."""
    first = _first_title(agreement).upper()
    second = (agreement.second_party_title or "atasan langsung").upper()
    middle = f"{first} DENGAN" if len(first) + 7 <= TITLE_LINE else f"{first}\nDENGAN"
    return f"PERJANJIAN KINERJA TAHUN {agreement.year}\n{middle}\n{second}"


def title_lines(title: str) -> list[str]:
    """A position title over two lines, split before the name of the ministry or the class."""
    words = title.split()
    for i, word in enumerate(words[2:], start=2):
        if word in SPLIT_BEFORE:
            return [" ".join(words[:i]), " ".join(words[i:])]
    return [title]


def _signatures(agreement: PerjanjianKinerja) -> doc.Signature:
    date_line = place_date(agreement.place, agreement.signed_on)
    second_title = title_lines(agreement.second_party_title or "Kepala Kantor Wilayah")
    first_title = title_lines(_first_title(agreement))
    # Both blocks as tall, so the two names and NIPs stand on one line.
    while len(second_title) < len(first_title):
        second_title.append("")
    while len(first_title) < len(second_title):
        first_title.append("")
    second = signer_lines(["", "Pihak Kedua,", *second_title], agreement.second_party)
    first = signer_lines([date_line, "Pihak Pertama,", *first_title], agreement.first_party)
    return doc.Signature([second, first], gap_after=[len(second) - 2, len(first) - 2])


def statement_blocks(agreement: PerjanjianKinerja) -> list:
    first, second = agreement.first_party, agreement.second_party
    return [
        doc.Heading(_title(agreement), level=1, toc=False),
        doc.Para(
            "Dalam rangka mewujudkan manajemen pemerintahan yang efektif, transparan dan akuntabel "
            "serta berorientasi pada hasil, kami yang bertanda tangan di bawah ini:"
        ),
        doc.Para(
            f"Nama\t: {first.name if first else '-'}\nJabatan\t: {_first_title(agreement)}",
            align="left",
            indent_cm=0.8,
        ),
        doc.Para("Selanjutnya disebut Pihak Pertama"),
        doc.Para(
            f"Nama\t: {second.name if second else '-'}\n"
            f"Jabatan\t: {agreement.second_party_title or '-'}",
            align="left",
            indent_cm=0.8,
        ),
        doc.Para("Selaku atasan Pihak Pertama, selanjutnya disebut Pihak Kedua"),
        doc.Para(
            "Pihak Pertama berjanji akan mewujudkan target kinerja yang seharusnya sesuai lampiran "
            "perjanjian ini, dalam rangka mencapai target kinerja jangka menengah seperti yang telah "
            "ditetapkan dalam dokumen perencanaan. Keberhasilan dan kegagalan pencapaian target "
            "kinerja tersebut menjadi tanggung jawab kami."
        ),
        doc.Para(
            "Pihak Kedua akan melakukan supervisi yang diperlukan serta akan melakukan evaluasi "
            "terhadap capaian kinerja dari perjanjian ini dan mengambil tindakan yang diperlukan "
            "dalam rangka pemberian penghargaan dan sanksi."
        ),
        _signatures(agreement),
    ]


def indicator_tables(agreement: PerjanjianKinerja, caption_prefix: str = "") -> list[doc.Table]:
    rows = list(
        agreement.indicators.select_related("indicator", "goal").order_by("goal__number", "number")
    )
    tables = []
    for level, goal_title, indicator_title in TABLES:
        mine = [r for r in rows if r.goal.level == level]
        if not mine:
            continue
        body, last_goal = [], None
        per_goal = Counter(r.goal_id for r in mine)
        for row in mine:
            first_of_goal = row.goal_id != last_goal
            last_goal = row.goal_id
            body.append(
                [
                    f"{row.goal.number}." if first_of_goal else "",
                    row.goal.name if first_of_goal else "",
                    # Numbered within its goal only when the goal has several (the signed PK's way).
                    f"{row.number}. {row.name}" if per_goal[row.goal_id] > 1 else row.name,
                    target_text(row),
                ]
            )
        tables.append(
            doc.Table(
                columns=[
                    doc.Col("No.", 1.0, "center"),
                    doc.Col(goal_title, 5.2),
                    doc.Col(indicator_title, 7.5),
                    doc.Col("Target", 2.3, "center"),
                ],
                header=[
                    ["No.", goal_title, indicator_title, "Target"],
                    ["(1)", "(2)", "(3)", "(4)"],
                ],
                rows=body,
                caption=f"{caption_prefix}{indicator_title}" if caption_prefix else "",
            )
        )
    return tables


def budget_table(agreement: PerjanjianKinerja, caption: str = "") -> doc.Table:
    body = []
    for item in agreement.budget_items.all():
        is_program = item.kind == BudgetKind.PROGRAM
        body.append(
            [
                doc.Cell(item.name, bold=is_program),
                doc.Cell(format_rupiah(item.amount), bold=is_program),
            ]
        )
    if not body:
        body.append([doc.Cell("Anggaran belum diisi pada PK", colspan=2)])
    return doc.Table(
        columns=[doc.Col("Program/Kegiatan", 11.0), doc.Col("Anggaran", 5.0, "right")],
        rows=body,
        caption=caption,
    )


def agreement_blocks(agreement: PerjanjianKinerja) -> list:
    """The PK as it is signed: statement page, then the tables page with signatures."""
    blocks = statement_blocks(agreement)
    blocks.append(doc.PageBreak())
    blocks.append(doc.Heading(_title(agreement), level=1, toc=False))
    blocks.extend(indicator_tables(agreement))
    blocks.append(budget_table(agreement))
    blocks.append(_signatures(agreement))
    return blocks


def build(agreement: PerjanjianKinerja) -> doc.Document:
    status = "" if agreement.is_frozen else " (draf, belum ditandatangani)"
    return doc.Document(
        title=f"Perjanjian Kinerja {agreement.year} {agreement.unit.name}{status}",
        sections=[doc.Section(agreement_blocks(agreement))],
        footer=f"Perjanjian Kinerja {agreement.year} — {agreement.unit.name}",
        draft=not agreement.is_frozen,
    )
