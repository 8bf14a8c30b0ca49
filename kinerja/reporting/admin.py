from django.contrib import admin

from kinerja.core.history_admin import HistoryAdmin
from kinerja.reporting.models import AnnualReport, PrintedSignature, TeamMember


class TeamInline(admin.TabularInline):
    model = TeamMember
    extra = 1
    autocomplete_fields = ["person"]


@admin.register(AnnualReport)
class AnnualReportAdmin(HistoryAdmin):
    list_display = ["unit", "year", "report_date", "letter_number", "decree_number"]
    list_filter = ["year"]
    inlines = [TeamInline]  # documents' admin adds the narrative sections


@admin.register(PrintedSignature)
class PrintedSignatureAdmin(HistoryAdmin):
    list_display = ["unit", "year", "document", "location", "signed_on", "name", "nip"]
    list_filter = ["year", "document"]
    search_fields = ["name", "nip", "location"]
