"""`kinerja synth`: a synthetic national dataset for tests and benchmarks (see kinerja/synth.py)."""

from django.core.management.base import BaseCommand, CommandError

from kinerja.demo import DEMO_PASSWORD
from kinerja.organizations.models import Unit, UnitKind
from kinerja.synth import SynthExists, parse_years, synth


class Command(BaseCommand):
    help = (
        "Buat data sintetis nasional (Kanwil, UPT, pengguna, PK ditandatangani, Rencana Aksi, "
        "realisasi triwulan, alur kerja, DIPA dan belanja) untuk uji dan pengukuran kinerja."
    )

    def add_arguments(self, parser):
        parser.add_argument("--regions", type=int, required=True, help="jumlah Kanwil")
        parser.add_argument(
            "--facilities-per-region", type=int, required=True, help="jumlah UPT per Kanwil"
        )
        parser.add_argument("--years", required=True, help="tahun, mis. 2021-2025")
        parser.add_argument(
            "--seed", type=int, default=1, help="benih acak (data sama untuk benih sama)"
        )
        parser.add_argument("--directorate", help="kode unit direktorat (bawaan: yang ada)")
        parser.add_argument(
            "--prefix",
            default="sintetis",
            help="bagian kode wilayah: kanwil-<prefix>-01, ... (bawaan: sintetis)",
        )

    def handle(self, *args, **options):
        if options["regions"] < 1 or options["facilities_per_region"] < 1:
            raise CommandError("--regions dan --facilities-per-region minimal 1.")
        try:
            years = parse_years(options["years"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        directorate = None
        if options["directorate"]:
            directorate = Unit.objects.filter(
                slug=options["directorate"], kind=UnitKind.DIRECTORATE
            ).first()
            if directorate is None:
                raise CommandError(f"Direktorat '{options['directorate']}' tidak ditemukan.")
        try:
            result = synth(
                regions=options["regions"],
                facilities_per_region=options["facilities_per_region"],
                years=years,
                seed=options["seed"],
                directorate=directorate,
                prefix=options["prefix"],
                password=DEMO_PASSWORD,
            )
        except SynthExists as exc:
            raise CommandError(str(exc)) from exc
        first, last = result.regions[0].slug, result.regions[-1].slug
        self.stdout.write(
            f"Data sintetis: {len(result.regions)} Kanwil ({first} s.d. {last}), "
            f"{result.facilities} UPT, tahun {years[0]}-{years[-1]}, benih {options['seed']}."
        )
        self.stdout.write("Baris per tabel:")
        for label, count in sorted(result.rows.items()):
            self.stdout.write(f"  {label:<32} {count:>10,}".replace(",", "."))
        self.stdout.write(
            f"  {'jumlah':<32} {result.total:>10,}".replace(",", ".")
            + f"\nWaktu: {result.seconds:.1f} detik. Pengguna: op.<kode UPT>, kepala.<kode UPT>, "
            f"evaluator.<kode Kanwil>; kata sandi {DEMO_PASSWORD}."
        )
