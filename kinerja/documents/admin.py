from django.contrib import admin

from kinerja.core.history_admin import HistoryAdmin
from kinerja.documents.models import (
    AnnualReport,
    DocumentJob,
    PrintedSignature,
    ReportSection,
    TeamMember,
)
from kinerja.measurement.models import PrintedResult


class TeamInline(admin.TabularInline):
    model = TeamMember
    extra = 1
    autocomplete_fields = ["person"]


class SectionInline(admin.StackedInline):
    model = ReportSection
    extra = 0
    fields = ["key", "text"]


@admin.register(AnnualReport)
class AnnualReportAdmin(HistoryAdmin):
    list_display = ["unit", "year", "report_date", "decree_number"]
    list_filter = ["year"]
    inlines = [TeamInline, SectionInline]


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


@admin.register(PrintedSignature)
class PrintedSignatureAdmin(HistoryAdmin):
    list_display = ["unit", "year", "document", "location", "signed_on", "name", "nip"]
    list_filter = ["year", "document"]
    search_fields = ["name", "nip", "location"]
