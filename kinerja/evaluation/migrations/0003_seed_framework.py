"""The framework of PermenPAN-RB 88/2021, as `evaluation/data/lke-permenpanrb-88-2021.json` held it
when this migration was written: the migration carries its own copy (what it writes never changes
with today's code or data files); `tests/test_evaluation.py` checks the two agree. A later
framework is a new data file loaded with `kinerja lke --framework` (and a new migration for
existing databases, if it must be there from the start)."""

from decimal import Decimal

from django.db import migrations

DATA = {
    "code": "permenpanrb-88-2021",
    "name": "LKE Evaluasi AKIP (PermenPAN-RB Nomor 88 Tahun 2021)",
    "regulation": "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 88 "
    "Tahun 2021 tentang Evaluasi Akuntabilitas Kinerja Instansi Pemerintah, Lampiran "
    "(Lembar Kerja Evaluasi)",
    "year_from": 2021,
    "year_to": None,
    "scales": {
        "AE": [
            {"code": "A", "value": "1", "label": "Memenuhi seluruhnya"},
            {"code": "B", "value": "0.75", "label": "Memenuhi sebagian besar"},
            {"code": "C", "value": "0.5", "label": "Memenuhi sebagian"},
            {"code": "D", "value": "0.25", "label": "Memenuhi sebagian kecil"},
            {"code": "E", "value": "0", "label": "Tidak memenuhi"},
        ],
        "YT": [
            {"code": "Y", "value": "1", "label": "Ya"},
            {"code": "T", "value": "0", "label": "Tidak"},
        ],
    },
    "grades": [
        {"code": "AA", "above": "90", "label": "Sangat Memuaskan"},
        {"code": "A", "above": "80", "label": "Memuaskan"},
        {"code": "BB", "above": "70", "label": "Sangat Baik"},
        {"code": "B", "above": "60", "label": "Baik"},
        {"code": "CC", "above": "50", "label": "Cukup (Memadai)"},
        {"code": "C", "above": "30", "label": "Kurang"},
        {"code": "D", "above": None, "label": "Sangat Kurang"},
    ],
    "components": [
        {
            "number": 1,
            "name": "Perencanaan Kinerja",
            "weight": "30",
            "subcomponents": [
                {
                    "number": 1,
                    "aspect": "keberadaan",
                    "name": "Dokumen perencanaan kinerja telah tersedia",
                    "weight": "6",
                    "criteria": [
                        {
                            "number": 1,
                            "text": "Terdapat pedoman teknis perencanaan kinerja.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": None,
                        },
                        {
                            "number": 2,
                            "text": "Terdapat dokumen perencanaan kinerja jangka panjang.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": None,
                        },
                        {
                            "number": 3,
                            "text": "Terdapat dokumen perencanaan kinerja jangka menengah.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": "renstra",
                            "depends_on": None,
                        },
                        {
                            "number": 4,
                            "text": "Terdapat dokumen perencanaan kinerja jangka pendek.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": "pk_exists",
                            "depends_on": None,
                        },
                        {
                            "number": 5,
                            "text": "Terdapat dokumen perencanaan aktivitas "
                            "yang mendukung kinerja.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": "rencana_aksi",
                            "depends_on": None,
                        },
                        {
                            "number": 6,
                            "text": "Terdapat dokumen perencanaan anggaran yang mendukung kinerja.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": "budget_plan",
                            "depends_on": None,
                        },
                        {
                            "number": 7,
                            "text": "Setiap unit/satuan kerja merumuskan dan "
                            "menetapkan perencanaan kinerja.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": None,
                        },
                    ],
                },
                {
                    "number": 2,
                    "aspect": "kualitas",
                    "name": "Dokumen perencanaan kinerja telah memenuhi standar "
                    "yang baik, yaitu untuk mencapai hasil dengan ukuran "
                    "kinerja yang SMART, menggunakan penyelarasan "
                    "(cascading) di setiap level secara logis, serta "
                    "memperhatikan kinerja bidang lain (crosscutting)",
                    "weight": "9",
                    "criteria": [
                        {
                            "number": 1,
                            "text": "Dokumen perencanaan kinerja telah diformalkan.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": "pk_formal",
                            "depends_on": "1.1.4",
                        },
                        {
                            "number": 2,
                            "text": "Dokumen perencanaan kinerja telah dipublikasikan tepat waktu.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": "pk_on_time",
                            "depends_on": "1.1.4",
                        },
                        {
                            "number": 3,
                            "text": "Dokumen perencanaan kinerja telah "
                            "menggambarkan kebutuhan atas kinerja "
                            "sebenarnya yang perlu dicapai.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": "1.1.4",
                        },
                        {
                            "number": 4,
                            "text": "Kualitas rumusan hasil (tujuan/sasaran) "
                            "telah jelas menggambarkan kondisi "
                            "kinerja yang akan dicapai.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": "1.1.4",
                        },
                        {
                            "number": 5,
                            "text": "Ukuran keberhasilan (indikator kinerja) "
                            "telah memenuhi kriteria SMART.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": "smart_indicators",
                            "depends_on": "1.1.4",
                        },
                        {
                            "number": 6,
                            "text": "Indikator Kinerja Utama (IKU) telah "
                            "menggambarkan kondisi kinerja utama "
                            "yang harus dicapai, tertuang secara "
                            "berkelanjutan (tidak sering diganti "
                            "dalam satu periode perencanaan "
                            "strategis).",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": "1.1.3",
                        },
                        {
                            "number": 7,
                            "text": "Target yang ditetapkan dalam "
                            "perencanaan kinerja dapat dicapai "
                            "(achievable), menantang, dan realistis.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": "1.1.4",
                        },
                        {
                            "number": 8,
                            "text": "Setiap dokumen perencanaan kinerja "
                            "menggambarkan hubungan yang "
                            "berkesinambungan serta selaras antara "
                            "kondisi/hasil yang akan dicapai di "
                            "setiap level jabatan (cascading).",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": "1.1.4",
                        },
                        {
                            "number": 9,
                            "text": "Perencanaan kinerja dapat memberikan "
                            "informasi tentang hubungan kinerja, "
                            "strategi, kebijakan, bahkan aktivitas "
                            "antarbidang/dengan tugas dan fungsi "
                            "lain yang berkaitan (crosscutting).",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": "1.1.4",
                        },
                        {
                            "number": 10,
                            "text": "Setiap pegawai merumuskan dan menetapkan perencanaan kinerja.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": None,
                        },
                    ],
                },
                {
                    "number": 3,
                    "aspect": "pemanfaatan",
                    "name": "Perencanaan kinerja telah dimanfaatkan untuk "
                    "mewujudkan hasil yang berkesinambungan",
                    "weight": "15",
                    "criteria": [
                        {
                            "number": 1,
                            "text": "Anggaran yang ditetapkan telah mengacu "
                            "pada kinerja yang ingin dicapai.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": "budget_linked",
                            "depends_on": "1.1.6",
                        },
                        {
                            "number": 2,
                            "text": "Aktivitas yang dilaksanakan telah "
                            "mendukung kinerja yang ingin dicapai.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": "1.1.5",
                        },
                        {
                            "number": 3,
                            "text": "Target yang ditetapkan dalam "
                            "perencanaan kinerja telah dicapai "
                            "dengan baik, atau setidaknya masih on "
                            "the right track.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": "targets_achieved",
                            "depends_on": "1.1.4",
                        },
                        {
                            "number": 4,
                            "text": "Rencana aksi kinerja dapat berjalan "
                            "dinamis karena capaian kinerja selalu "
                            "dipantau secara berkala.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": "quarters_monitored",
                            "depends_on": "1.1.5",
                        },
                        {
                            "number": 5,
                            "text": "Terdapat perbaikan/penyempurnaan "
                            "dokumen perencanaan kinerja yang "
                            "ditetapkan dari hasil analisis "
                            "perbaikan kinerja sebelumnya.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": None,
                        },
                        {
                            "number": 6,
                            "text": "Terdapat perbaikan/penyempurnaan "
                            "dokumen perencanaan kinerja dalam "
                            "mewujudkan kondisi/hasil yang lebih "
                            "baik.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": None,
                        },
                        {
                            "number": 7,
                            "text": "Setiap unit/satuan kerja memahami dan "
                            "peduli, serta berkomitmen dalam "
                            "mencapai kinerja yang telah "
                            "direncanakan.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": None,
                        },
                        {
                            "number": 8,
                            "text": "Setiap pegawai memahami dan peduli, "
                            "serta berkomitmen dalam mencapai "
                            "kinerja yang telah direncanakan.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": None,
                        },
                    ],
                },
            ],
        },
        {
            "number": 2,
            "name": "Pengukuran Kinerja",
            "weight": "30",
            "subcomponents": [
                {
                    "number": 1,
                    "aspect": "keberadaan",
                    "name": "Pengukuran kinerja telah dilakukan",
                    "weight": "6",
                    "criteria": [
                        {
                            "number": 1,
                            "text": "Terdapat pedoman teknis pengukuran "
                            "kinerja dan pengumpulan data kinerja.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": None,
                        },
                        {
                            "number": 2,
                            "text": "Terdapat definisi operasional yang "
                            "jelas atas kinerja dan cara mengukur "
                            "indikator kinerja.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": "operational_definitions",
                            "depends_on": None,
                        },
                        {
                            "number": 3,
                            "text": "Terdapat mekanisme yang jelas terhadap "
                            "pengumpulan data kinerja yang dapat "
                            "diandalkan.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": "evidence_kept",
                            "depends_on": None,
                        },
                    ],
                },
                {
                    "number": 2,
                    "aspect": "kualitas",
                    "name": "Pengukuran kinerja telah menjadi kebutuhan dalam "
                    "mewujudkan kinerja secara efektif dan efisien dan "
                    "telah dilakukan secara berjenjang dan berkelanjutan",
                    "weight": "9",
                    "criteria": [
                        {
                            "number": 1,
                            "text": "Pimpinan selalu terlibat sebagai "
                            "pengambil keputusan (decision maker) "
                            "dalam mengukur capaian kinerja.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": "head_approved",
                            "depends_on": None,
                        },
                        {
                            "number": 2,
                            "text": "Data kinerja yang dikumpulkan telah "
                            "relevan untuk mengukur capaian kinerja "
                            "yang diharapkan.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": "2.1.2",
                        },
                        {
                            "number": 3,
                            "text": "Data kinerja yang dikumpulkan telah "
                            "mendukung capaian kinerja yang "
                            "diharapkan.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": "2.1.3",
                        },
                        {
                            "number": 4,
                            "text": "Pengukuran kinerja telah dilakukan secara berkala.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": "measured_regularly",
                            "depends_on": None,
                        },
                        {
                            "number": 5,
                            "text": "Setiap level organisasi melakukan "
                            "pemantauan atas pengukuran capaian "
                            "kinerja unit di bawahnya secara "
                            "berjenjang.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": "region_verified",
                            "depends_on": None,
                        },
                        {
                            "number": 6,
                            "text": "Pengumpulan data kinerja telah "
                            "memanfaatkan teknologi informasi "
                            "(aplikasi).",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": "data_in_system",
                            "depends_on": None,
                        },
                        {
                            "number": 7,
                            "text": "Pengukuran capaian kinerja telah "
                            "memanfaatkan teknologi informasi "
                            "(aplikasi).",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": "data_in_system",
                            "depends_on": None,
                        },
                    ],
                },
                {
                    "number": 3,
                    "aspect": "pemanfaatan",
                    "name": "Pengukuran kinerja telah dijadikan dasar dalam "
                    "pemberian reward dan punishment, serta penyesuaian "
                    "strategi dalam mencapai kinerja yang efektif dan "
                    "efisien",
                    "weight": "15",
                    "criteria": [
                        {
                            "number": 1,
                            "text": "Pengukuran kinerja telah menjadi dasar "
                            "dalam penyesuaian "
                            "(pemberian/pengurangan) tunjangan "
                            "kinerja/penghasilan.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": None,
                        },
                        {
                            "number": 2,
                            "text": "Pengukuran kinerja telah menjadi dasar "
                            "dalam penempatan/penghapusan jabatan "
                            "baik struktural maupun fungsional.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": None,
                        },
                        {
                            "number": 3,
                            "text": "Pengukuran kinerja telah mempengaruhi "
                            "penyesuaian (refocusing) organisasi.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": None,
                        },
                        {
                            "number": 4,
                            "text": "Pengukuran kinerja telah mempengaruhi "
                            "penyesuaian strategi dalam mencapai "
                            "kinerja.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": None,
                        },
                        {
                            "number": 5,
                            "text": "Pengukuran kinerja telah mempengaruhi "
                            "penyesuaian kebijakan dalam mencapai "
                            "kinerja.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": None,
                        },
                        {
                            "number": 6,
                            "text": "Pengukuran kinerja telah mempengaruhi "
                            "penyesuaian aktivitas dalam mencapai "
                            "kinerja.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": None,
                        },
                        {
                            "number": 7,
                            "text": "Pengukuran kinerja telah mempengaruhi "
                            "penyesuaian anggaran dalam mencapai "
                            "kinerja.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": None,
                        },
                        {
                            "number": 8,
                            "text": "Terdapat efisiensi atas penggunaan "
                            "anggaran dalam mencapai kinerja.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": None,
                        },
                        {
                            "number": 9,
                            "text": "Setiap unit/satuan kerja memahami dan "
                            "peduli atas hasil pengukuran kinerja.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": None,
                        },
                        {
                            "number": 10,
                            "text": "Setiap pegawai memahami dan peduli atas "
                            "hasil pengukuran kinerja.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": None,
                        },
                    ],
                },
            ],
        },
        {
            "number": 3,
            "name": "Pelaporan Kinerja",
            "weight": "15",
            "subcomponents": [
                {
                    "number": 1,
                    "aspect": "keberadaan",
                    "name": "Terdapat dokumen laporan yang menggambarkan kinerja",
                    "weight": "3",
                    "criteria": [
                        {
                            "number": 1,
                            "text": "Dokumen laporan kinerja telah disusun.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": "lkjip_made",
                            "depends_on": None,
                        },
                        {
                            "number": 2,
                            "text": "Dokumen laporan kinerja telah disusun secara berkala.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": "quarterly_reports",
                            "depends_on": None,
                        },
                        {
                            "number": 3,
                            "text": "Dokumen laporan kinerja telah diformalkan.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": "lkjip_final",
                            "depends_on": "3.1.1",
                        },
                        {
                            "number": 4,
                            "text": "Dokumen laporan kinerja telah direviu.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": "lkjip_reviewed",
                            "depends_on": "3.1.1",
                        },
                        {
                            "number": 5,
                            "text": "Dokumen laporan kinerja telah dipublikasikan.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": "3.1.1",
                        },
                        {
                            "number": 6,
                            "text": "Dokumen laporan kinerja telah disampaikan tepat waktu.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": "lkjip_on_time",
                            "depends_on": "3.1.1",
                        },
                    ],
                },
                {
                    "number": 2,
                    "aspect": "kualitas",
                    "name": "Dokumen laporan kinerja telah memenuhi standar yang "
                    "menggambarkan kualitas atas pencapaian kinerja, "
                    "informasi keberhasilan/kegagalan kinerja serta upaya "
                    "perbaikan/penyempurnaannya",
                    "weight": "4.5",
                    "criteria": [
                        {
                            "number": 1,
                            "text": "Dokumen laporan kinerja disusun secara "
                            "berkualitas sesuai dengan standar.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": "3.1.1",
                        },
                        {
                            "number": 2,
                            "text": "Dokumen laporan kinerja telah "
                            "mengungkap seluruh informasi tentang "
                            "pencapaian kinerja.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": "lkjip_all_ikk",
                            "depends_on": "3.1.1",
                        },
                        {
                            "number": 3,
                            "text": "Dokumen laporan kinerja telah "
                            "menginfokan perbandingan realisasi "
                            "kinerja dengan target tahunan.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": "lkjip_annual_target",
                            "depends_on": "3.1.1",
                        },
                        {
                            "number": 4,
                            "text": "Dokumen laporan kinerja telah "
                            "menginfokan perbandingan realisasi "
                            "kinerja dengan target jangka menengah.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": "lkjip_renstra_target",
                            "depends_on": "3.1.1",
                        },
                        {
                            "number": 5,
                            "text": "Dokumen laporan kinerja telah "
                            "menginfokan perbandingan realisasi "
                            "kinerja dengan realisasi kinerja "
                            "tahun-tahun sebelumnya.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": "lkjip_previous_year",
                            "depends_on": "3.1.1",
                        },
                        {
                            "number": 6,
                            "text": "Dokumen laporan kinerja telah "
                            "menginfokan perbandingan realisasi "
                            "kinerja di level nasional/internasional "
                            "(benchmark kinerja).",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": "lkjip_benchmark",
                            "depends_on": "3.1.1",
                        },
                        {
                            "number": 7,
                            "text": "Dokumen laporan kinerja telah "
                            "menginfokan kualitas atas capaian "
                            "kinerja beserta upaya nyata dan/atau "
                            "hambatannya.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": "3.1.1",
                        },
                        {
                            "number": 8,
                            "text": "Dokumen laporan kinerja telah "
                            "menginfokan efisiensi atas penggunaan "
                            "sumber daya dalam mencapai kinerja.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": "3.1.1",
                        },
                        {
                            "number": 9,
                            "text": "Dokumen laporan kinerja telah "
                            "menginfokan upaya perbaikan dan "
                            "penyempurnaan kinerja ke depan "
                            "(rekomendasi perbaikan kinerja).",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": "3.1.1",
                        },
                    ],
                },
                {
                    "number": 3,
                    "aspect": "pemanfaatan",
                    "name": "Pelaporan kinerja telah memberikan dampak yang besar "
                    "dalam penyesuaian strategi/kebijakan dalam mencapai "
                    "kinerja berikutnya",
                    "weight": "7.5",
                    "criteria": [
                        {
                            "number": 1,
                            "text": "Informasi dalam laporan kinerja selalu "
                            "menjadi perhatian utama pimpinan "
                            "(bertanggung jawab).",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": None,
                        },
                        {
                            "number": 2,
                            "text": "Penyajian informasi dalam laporan "
                            "kinerja menjadi kepedulian seluruh "
                            "pegawai.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": None,
                        },
                        {
                            "number": 3,
                            "text": "Informasi dalam laporan kinerja berkala "
                            "telah digunakan dalam penyesuaian "
                            "aktivitas untuk mencapai kinerja.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": "3.1.2",
                        },
                        {
                            "number": 4,
                            "text": "Informasi dalam laporan kinerja berkala "
                            "telah digunakan dalam penyesuaian "
                            "penggunaan anggaran untuk mencapai "
                            "kinerja.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": "3.1.2",
                        },
                        {
                            "number": 5,
                            "text": "Informasi dalam laporan kinerja telah "
                            "digunakan dalam evaluasi pencapaian "
                            "keberhasilan kinerja.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": "3.1.1",
                        },
                        {
                            "number": 6,
                            "text": "Informasi dalam laporan kinerja telah "
                            "digunakan dalam penyesuaian perencanaan "
                            "kinerja yang akan dihadapi berikutnya.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": "3.1.1",
                        },
                        {
                            "number": 7,
                            "text": "Informasi dalam laporan kinerja selalu "
                            "mempengaruhi perubahan budaya kinerja "
                            "organisasi.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": None,
                        },
                    ],
                },
            ],
        },
        {
            "number": 4,
            "name": "Evaluasi Akuntabilitas Kinerja Internal",
            "weight": "25",
            "subcomponents": [
                {
                    "number": 1,
                    "aspect": "keberadaan",
                    "name": "Evaluasi akuntabilitas kinerja internal telah dilaksanakan",
                    "weight": "5",
                    "criteria": [
                        {
                            "number": 1,
                            "text": "Terdapat pedoman teknis evaluasi AKIP internal.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": None,
                        },
                        {
                            "number": 2,
                            "text": "Evaluasi AKIP internal telah "
                            "dilaksanakan pada seluruh unit kerja.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": None,
                        },
                        {
                            "number": 3,
                            "text": "Evaluasi AKIP internal telah dilaksanakan secara berjenjang.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": None,
                        },
                    ],
                },
                {
                    "number": 2,
                    "aspect": "kualitas",
                    "name": "Evaluasi akuntabilitas kinerja internal telah "
                    "dilaksanakan secara berkualitas dengan sumber daya "
                    "yang memadai",
                    "weight": "7.5",
                    "criteria": [
                        {
                            "number": 1,
                            "text": "Evaluasi AKIP internal telah dilaksanakan sesuai standar.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": "4.1.2",
                        },
                        {
                            "number": 2,
                            "text": "Evaluasi AKIP internal telah "
                            "dilaksanakan oleh SDM yang memadai.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": "4.1.2",
                        },
                        {
                            "number": 3,
                            "text": "Evaluasi AKIP internal telah "
                            "dilaksanakan dengan pendalaman yang "
                            "memadai.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": "4.1.2",
                        },
                        {
                            "number": 4,
                            "text": "Evaluasi AKIP internal telah "
                            "dilaksanakan pada seluruh unit kerja.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": "4.1.2",
                        },
                        {
                            "number": 5,
                            "text": "Evaluasi AKIP internal telah "
                            "dilaksanakan menggunakan teknologi "
                            "informasi (aplikasi).",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": "4.1.2",
                        },
                    ],
                },
                {
                    "number": 3,
                    "aspect": "pemanfaatan",
                    "name": "Implementasi SAKIP telah meningkat karena evaluasi "
                    "akuntabilitas kinerja internal sehingga memberikan "
                    "kesan yang nyata (dampak) dalam efektivitas dan "
                    "efisiensi kinerja",
                    "weight": "12.5",
                    "criteria": [
                        {
                            "number": 1,
                            "text": "Seluruh rekomendasi atas hasil evaluasi "
                            "AKIP internal telah ditindaklanjuti.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": "recommendations_followed",
                            "depends_on": None,
                        },
                        {
                            "number": 2,
                            "text": "Telah terjadi peningkatan implementasi "
                            "SAKIP dengan melaksanakan tindak lanjut "
                            "atas rekomendasi hasil evaluasi AKIP "
                            "internal.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": "score_improved",
                            "depends_on": "4.3.1",
                        },
                        {
                            "number": 3,
                            "text": "Hasil evaluasi AKIP internal telah "
                            "dimanfaatkan untuk perbaikan dan "
                            "peningkatan akuntabilitas kinerja.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": None,
                        },
                        {
                            "number": 4,
                            "text": "Hasil dari evaluasi AKIP internal telah "
                            "dimanfaatkan dalam mendukung "
                            "efektivitas dan efisiensi kinerja.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": None,
                        },
                        {
                            "number": 5,
                            "text": "Telah terjadi perbaikan dan peningkatan "
                            "kinerja dengan memanfaatkan hasil "
                            "evaluasi AKIP internal.",
                            "scale": "AE",
                            "weight": "1",
                            "prefill": None,
                            "depends_on": None,
                        },
                    ],
                },
            ],
        },
    ],
}


def write(data, models):
    """Create or replace the framework `data["code"]` with the given model classes (the app's own,
    or a migration's historical ones). The caller checks it is not in use and runs it atomically."""
    Framework = models["Framework"]
    Component, SubComponent, Criterion = (
        models["Component"],
        models["SubComponent"],
        models["Criterion"],
    )
    framework, _ = Framework.objects.update_or_create(
        code=data["code"],
        defaults={
            "name": data["name"],
            "regulation": data["regulation"],
            "year_from": data["year_from"],
            "year_to": data.get("year_to"),
            "scales": data["scales"],
            "grades": data["grades"],
        },
    )
    by_key = {}
    pending = []
    kept_components = []
    for c in data["components"]:
        component, _ = Component.objects.update_or_create(
            framework=framework,
            number=c["number"],
            defaults={"name": c["name"], "weight": Decimal(c["weight"])},
        )
        kept_components.append(component.pk)
        kept_subs = []
        for s in c["subcomponents"]:
            sub, _ = SubComponent.objects.update_or_create(
                component=component,
                number=s["number"],
                defaults={"aspect": s["aspect"], "name": s["name"], "weight": Decimal(s["weight"])},
            )
            kept_subs.append(sub.pk)
            kept = []
            for k in s["criteria"]:
                criterion, _ = Criterion.objects.update_or_create(
                    sub=sub,
                    number=k["number"],
                    defaults={
                        "text": k["text"],
                        "scale": k.get("scale", "AE"),
                        "weight": Decimal(k.get("weight", "1")),
                        "prefill": k.get("prefill") or "",
                        "depends_on": None,
                    },
                )
                kept.append(criterion.pk)
                by_key[f"{c['number']}.{s['number']}.{k['number']}"] = criterion
                if k.get("depends_on"):
                    pending.append((criterion, k["depends_on"]))
            Criterion.objects.filter(sub=sub).exclude(pk__in=kept).delete()
        SubComponent.objects.filter(component=component).exclude(pk__in=kept_subs).delete()
    Component.objects.filter(framework=framework).exclude(pk__in=kept_components).delete()
    for criterion, key in pending:
        criterion.depends_on = by_key[key]
        criterion.save(update_fields=["depends_on"])
    return framework


def seed(apps, schema_editor):
    models = {
        name: apps.get_model("evaluation", name)
        for name in ("Framework", "Component", "SubComponent", "Criterion")
    }
    write(DATA, models)


def unseed(apps, schema_editor):
    apps.get_model("evaluation", "Framework").objects.filter(code=DATA["code"]).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0002_lock_triggers")]

    operations = [migrations.RunPython(seed, unseed)]
