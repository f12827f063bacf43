"""Read-only admin for organisations and the people in them. Changes go through the pages and services,
which check who may make them and write the audit event."""

from django.contrib import admin

from tilskudd.accounts.admin import ReadOnlyAdmin
from tilskudd.orgs.models import Delegation, Invitation, Membership, MembershipRequest, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "organisation"
    extra = 0
    fields = ("user", "role", "administers", "title", "confirmed_at", "added_by", "removed_at")
    readonly_fields = fields
    can_delete = False


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ("name", "org_number", "applicant_type", "county", "registry_verified", "created_at")
    list_filter = ("applicant_type", "registry_verified", "county")
    search_fields = ("name", "org_number")
    readonly_fields = ("registry_verified", "registry_checked_at", "registry_data", "created_at", "updated_at")
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "organisation", "role", "administers", "title", "confirmed_at", "removed_at")
    list_filter = ("role", "administers")
    search_fields = ("user__email", "user__full_name", "organisation__name", "organisation__org_number")
    raw_id_fields = ("user", "organisation", "confirmed_by", "added_by", "removed_by")


@admin.register(Delegation)
class DelegationAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "granted_by", "delegate", "call", "valid_until", "revoked_at")
    search_fields = ("organisation__name", "delegate__email", "granted_by__email")
    raw_id_fields = ("organisation", "granted_by", "delegate", "call", "revoked_by")


@admin.register(MembershipRequest)
class MembershipRequestAdmin(ReadOnlyAdmin):
    list_display = ("user", "organisation", "status", "created_at", "decided_at")
    list_filter = ("status",)
    raw_id_fields = ("user", "organisation", "decided_by")


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("email", "organisation", "role", "created_at", "expires_at", "claimed_at", "revoked_at")
    search_fields = ("email", "organisation__name")
    exclude = ("token",)
    raw_id_fields = ("organisation", "invited_by", "claimed_by")
