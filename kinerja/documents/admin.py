from django.contrib import admin

from kinerja.core.history_admin import HistoryAdmin
from kinerja.documents.models import DocumentJob, ReportSection
from kinerja.measurement.models import PrintedResult
from kinerja.reporting.admin import AnnualReportAdmin
from kinerja.reporting.models import AnnualReport


class SectionInline(admin.StackedInline):
    model = ReportSection
    extra = 0
    fields = ["key", "text"]


# The LKjIP's page in the admin shows its team (reporting) and its narrative sections (documents).
class AnnualReportWithSectionsAdmin(AnnualReportAdmin):
    inlines = [*AnnualReportAdmin.inlines, SectionInline]


admin.site.unregister(AnnualReport)
admin.site.register(AnnualReport, AnnualReportWithSectionsAdmin)


@admin.register(DocumentJob)
class DocumentJobAdmin(admin.ModelAdmin):
    list_display = ["unit", "kind", "year", "quarter", "format", "status", "progress", "created_at"]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in DocumentJob._meta.fields]


@admin.register(PrintedResult)
class PrintedResultAdmin(HistoryAdmin):
    list_display = [
        "unit",
        "year",
        "indicator",
        "target",
        "realisation",
        "achievement",
        "printed_text",
    ]
    list_filter = ["year", "unit"]
