"""AnnualReport, TeamMember, PrintedSignature and their history move from `documents` to
`reporting` (issue 14: the review reads them and sits below the documents). State only: the tables
keep their names (`documents_annualreport`, …, set as db_table), so every row and every history
row stays where it is. `documents 0005` then drops the models from the documents app's state and
moves their content types (and so their permissions and admin log entries) to this app."""


import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('organizations', '0007_history_within_bounds'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        # The tables exist: documents created them.
        ('documents', '0004_history_for_every_editable_record'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='AnnualReport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='tahun')),
                        ('place', models.CharField(blank=True, max_length=100, verbose_name='tempat')),
                        ('report_date', models.DateField(blank=True, null=True, verbose_name='tanggal laporan')),
                        ('decree_number', models.CharField(blank=True, max_length=120, verbose_name='nomor SK tim')),
                        ('decree_date', models.DateField(blank=True, null=True, verbose_name='tanggal SK tim')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='annual_reports', to='organizations.unit')),
                    ],
                    options={
                        'verbose_name': 'LKjIP',
                        'verbose_name_plural': 'LKjIP',
                        'db_table': 'documents_annualreport',
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalAnnualReport',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='tahun')),
                        ('place', models.CharField(blank=True, max_length=100, verbose_name='tempat')),
                        ('report_date', models.DateField(blank=True, null=True, verbose_name='tanggal laporan')),
                        ('decree_number', models.CharField(blank=True, max_length=120, verbose_name='nomor SK tim')),
                        ('decree_date', models.DateField(blank=True, null=True, verbose_name='tanggal SK tim')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='organizations.unit')),
                    ],
                    options={
                        'verbose_name': 'historical LKjIP',
                        'verbose_name_plural': 'historical LKjIP',
                        'db_table': 'documents_historicalannualreport',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalPrintedSignature',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='tahun dokumen')),
                        ('document', models.CharField(choices=[('lkjip', 'LKjIP'), ('pk', 'Perjanjian Kinerja'), ('capaian', 'Laporan Capaian PK')], max_length=10, verbose_name='dokumen')),
                        ('location', models.CharField(max_length=200, verbose_name='bagian')),
                        ('place', models.CharField(blank=True, max_length=100, verbose_name='tempat')),
                        ('signed_on', models.DateField(blank=True, null=True, verbose_name='tanggal tertulis')),
                        ('name', models.CharField(max_length=200, verbose_name='nama tertulis')),
                        ('nip', models.CharField(blank=True, max_length=40, verbose_name='NIP tertulis')),
                        ('title', models.CharField(blank=True, max_length=200, verbose_name='jabatan tertulis')),
                        ('source', models.CharField(blank=True, max_length=200, verbose_name='sumber')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='organizations.unit')),
                    ],
                    options={
                        'verbose_name': 'historical tanda tangan tercetak',
                        'verbose_name_plural': 'historical tanda tangan tercetak',
                        'db_table': 'documents_historicalprintedsignature',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalTeamMember',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('position', models.CharField(max_length=200, verbose_name='jabatan kedinasan')),
                        ('role', models.CharField(max_length=100, verbose_name='jabatan dalam tim')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='urutan')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('person', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='organizations.person')),
                        ('report', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reporting.annualreport')),
                    ],
                    options={
                        'verbose_name': 'historical anggota tim',
                        'verbose_name_plural': 'historical tim penyusun',
                        'db_table': 'documents_historicalteammember',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='PrintedSignature',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='tahun dokumen')),
                        ('document', models.CharField(choices=[('lkjip', 'LKjIP'), ('pk', 'Perjanjian Kinerja'), ('capaian', 'Laporan Capaian PK')], max_length=10, verbose_name='dokumen')),
                        ('location', models.CharField(max_length=200, verbose_name='bagian')),
                        ('place', models.CharField(blank=True, max_length=100, verbose_name='tempat')),
                        ('signed_on', models.DateField(blank=True, null=True, verbose_name='tanggal tertulis')),
                        ('name', models.CharField(max_length=200, verbose_name='nama tertulis')),
                        ('nip', models.CharField(blank=True, max_length=40, verbose_name='NIP tertulis')),
                        ('title', models.CharField(blank=True, max_length=200, verbose_name='jabatan tertulis')),
                        ('source', models.CharField(blank=True, max_length=200, verbose_name='sumber')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='printed_signatures', to='organizations.unit')),
                    ],
                    options={
                        'verbose_name': 'tanda tangan tercetak',
                        'verbose_name_plural': 'tanda tangan tercetak',
                        'db_table': 'documents_printedsignature',
                        'ordering': ['unit', 'year', 'document', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='TeamMember',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.CharField(max_length=200, verbose_name='jabatan kedinasan')),
                        ('role', models.CharField(max_length=100, verbose_name='jabatan dalam tim')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='urutan')),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.person')),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='team', to='reporting.annualreport')),
                    ],
                    options={
                        'verbose_name': 'anggota tim',
                        'verbose_name_plural': 'tim penyusun',
                        'db_table': 'documents_teammember',
                        'ordering': ['report', 'order', 'id'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='annualreport',
                    constraint=models.UniqueConstraint(fields=('unit', 'year'), name='annual_report_unit_year'),
                ),
                migrations.AddConstraint(
                    model_name='teammember',
                    constraint=models.UniqueConstraint(fields=('report', 'person'), name='team_member_once'),
                ),
            ],
        ),
    ]
