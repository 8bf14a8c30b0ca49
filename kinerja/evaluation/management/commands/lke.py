import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kinerja import calc
from kinerja.core.bounds import year_argument
from kinerja.evaluation import exporters, selectors, services
from kinerja.planning.commandline import unit_or_error


def _places(value: Decimal) -> str:
    return str(value.quantize(calc.LKE_PLACES, ROUND_HALF_UP))


class Command(BaseCommand):
    help = (
        "Lembar Kerja Evaluasi AKIP satu UPT dan tahun: komponen, subkomponen, kriteria dengan "
        "jawaban mandiri dan jawaban evaluator, usulan dari data Kinerja, data dukung, nilai dan "
        "predikat. --framework FILE memuat kerangka LKE dari berkas data (versi peraturan baru)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", help="kode UPT, mis. lapas-atambua")
        parser.add_argument("--year", type=year_argument)
        parser.add_argument("--json", action="store_true", help="keluaran JSON")
        parser.add_argument(
            "-o", "--output", help="tulis juga berkas .xlsx (LKE), .docx atau .pdf (LHE)"
        )
        parser.add_argument("--framework", help="muat kerangka LKE dari berkas JSON")

    def handle(self, *args, unit, year, output, framework, **options):
        if framework:
            try:
                data = json.loads(Path(framework).read_text(encoding="utf-8"))
                written = services.framework_sync(data=data)
            except (OSError, ValueError) as exc:
                raise CommandError(f"{framework}: {exc}") from exc
            except ValidationError as exc:
                raise CommandError(f"{framework}: " + " ".join(exc.messages)) from exc
            self.stdout.write(f"Kerangka {written.name} dimuat ({written.code}).")
            if not unit:
                return
        if not unit or year is None:
            raise CommandError("Sebutkan --unit dan --year.")
        facility = unit_or_error(unit)
        sheet = selectors.sheet(facility, year)
        if sheet is None:
            raise CommandError(f"Belum ada kerangka LKE yang berlaku untuk tahun {year}.")
        if options["json"]:
            self.stdout.write(json.dumps(self._json(sheet), ensure_ascii=False, indent=2))
        else:
            self._text(sheet)
        if output:
            path = Path(output)
            fmt = path.suffix.lower().lstrip(".")
            if fmt not in exporters.FORMATS:
                raise CommandError("Berkas keluaran harus .xlsx, .docx atau .pdf.")
            path.write_bytes(exporters.export(sheet, fmt).content)

    def _score(self, score) -> dict:
        return {
            "nilai": str(score.shown),
            "predikat": score.grade.code if score.grade else None,
            "dijawab": score.answered,
            "kriteria": score.criteria,
        }

    def _json(self, sheet) -> dict:
        evaluation = sheet.evaluation
        return {
            "unit": sheet.unit.slug,
            "tahun": sheet.year,
            "kerangka": sheet.framework.code,
            "peraturan": sheet.framework.regulation,
            "status": sheet.status,
            "nilai_akhir": str(evaluation.score)
            if evaluation and evaluation.score is not None
            else None,
            "predikat_akhir": evaluation.grade if evaluation and evaluation.grade else None,
            "mandiri": self._score(sheet.self_score),
            "evaluator": self._score(sheet.final_score),
            "komponen": [
                {
                    "nomor": block.component.number,
                    "nama": block.component.name,
                    "bobot": _places(block.component.weight),
                    "nilai_mandiri": str(
                        sheet.self_score.components[block.component.key].quantize(
                            sheet.self_score.shown
                        )
                    ),
                    "nilai_evaluator": str(
                        sheet.final_score.components[block.component.key].quantize(
                            sheet.final_score.shown
                        )
                    ),
                    "subkomponen": [
                        {
                            "nomor": sb.key,
                            "aspek": sb.sub.aspect,
                            "nama": sb.sub.name,
                            "bobot": _places(sb.sub.weight),
                            "kriteria": [
                                {
                                    "nomor": row.key,
                                    "kriteria": row.criterion.text,
                                    "jawaban_mandiri": row.self_value or None,
                                    "penjelasan": row.answer.self_note if row.answer else "",
                                    "jawaban_evaluator": row.final_value or None,
                                    "catatan_evaluator": row.answer.final_note
                                    if row.answer
                                    else "",
                                    "usulan": row.proposal.as_dict() if row.proposal else None,
                                    "data_dukung": (
                                        list(row.answer.self_links)
                                        + [f.original_name for f in row.answer.files.all()]
                                        if row.answer
                                        else []
                                    ),
                                }
                                for row in sb.rows
                            ],
                        }
                        for sb in block.subs
                    ],
                }
                for block in sheet.components
            ],
            "rekomendasi": [
                {
                    "rekomendasi": r.text,
                    "batas_waktu": r.deadline.isoformat(),
                    "selesai": r.done,
                    "tindak_lanjut": [f.text for f in r.follow_ups.all()],
                }
                for r in sheet.recommendations
            ],
        }

    def _text(self, sheet) -> None:
        w = self.stdout.write
        w(
            f"Evaluasi AKIP {sheet.unit.name} {sheet.year} ({sheet.framework.name}): {sheet.status_label}."
        )
        for block in sheet.components:
            c = block.component
            w(
                f"{c.number}. {c.name} (bobot {exporters._shown(c.weight)}): mandiri "
                f"{exporters._shown(sheet.self_score.components[c.key])}, evaluator "
                f"{exporters._shown(sheet.final_score.components[c.key])}"
            )
            for sb in block.subs:
                w(
                    f"  {sb.key} {sb.sub.get_aspect_display()} (bobot {exporters._shown(sb.sub.weight)})"
                )
                for row in sb.rows:
                    proposal = (
                        f"usulan {row.proposal.code}: {' '.join(row.proposal.reasons)}"
                        if row.proposal and row.proposal.automatic
                        else "tidak dapat diisi otomatis"
                    )
                    links = ""
                    if row.proposal and row.proposal.links:
                        links = " [" + ", ".join(link.url for link in row.proposal.links) + "]"
                    w(
                        f"    {row.key} mandiri {row.self_value or '-'} · evaluator "
                        f"{row.final_value or '-'} · {proposal}{links}"
                    )
        for label, score in (("mandiri", sheet.self_score), ("evaluator", sheet.final_score)):
            grade = score.grade.code if score.grade else "-"
            w(
                f"Nilai {label}: {exporters._shown(score.total)} ({grade}); "
                f"{score.answered} dari {score.criteria} kriteria dijawab."
            )
        if sheet.evaluation and sheet.evaluation.score is not None:
            w(
                f"Nilai akhir: {exporters.score_text(sheet.evaluation.score)}, predikat {sheet.evaluation.grade}."
            )
