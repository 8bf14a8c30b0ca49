from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from kinerja.core.history_admin import HistoryAdmin
from kinerja.organizations.models import (
    HeadAppointment,
    Membership,
    OrganisationName,
    Person,
    StaffRankCount,
    StaffReport,
    Unit,
)


@admin.register(Unit)
class UnitAdmin(HistoryAdmin):
    list_display = ["name", "slug", "kind", "facility_type", "facility_class", "parent"]
    list_filter = ["kind", "facility_type", "facility_class"]
    search_fields = ["name", "slug"]
    readonly_fields = ["path"]


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    list_display = ["name", "nip", "position", "unit"]
    search_fields = ["name", "nip"]
    list_filter = ["unit"]


@admin.register(Membership)
class MembershipAdmin(HistoryAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]


@admin.register(HeadAppointment)
class HeadAppointmentAdmin(HistoryAdmin):
    list_display = ["unit", "person", "title", "start", "end"]


class StaffRankInline(admin.TabularInline):
    model = StaffRankCount
    extra = 0


@admin.register(StaffReport)
class StaffReportAdmin(HistoryAdmin):
    list_display = ["unit", "year", "stated_total", "men", "women"]
    inlines = [StaffRankInline]


# The accounts page with its history (who made whom staff, who deactivated an account).
class UserHistoryAdmin(UserAdmin, HistoryAdmin):
    pass


admin.site.unregister(User)
admin.site.register(User, UserHistoryAdmin)


@admin.register(OrganisationName)
class OrganisationNameAdmin(HistoryAdmin):
    list_display = ["name", "unit", "valid_from"]
    list_filter = ["valid_from"]
    search_fields = ["name"]
