"""BAB IV Penutup: conclusion and suggestions, signed by the head."""

from __future__ import annotations

from kinerja.core.render import doc
from kinerja.documents.lkjip.layout import Layout


def build(layout: Layout) -> list[doc.Block]:
    blocks: list[doc.Block] = [doc.Heading("BAB IV PENUTUP", 1), doc.Heading("A. Kesimpulan", 2)]
    blocks += layout.narrative("kesimpulan")
    blocks.append(doc.Heading("B. Saran", 2))
    blocks += layout.narrative("saran")
    blocks.append(layout.signature())
    return blocks
