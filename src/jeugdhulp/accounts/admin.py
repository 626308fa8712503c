from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from jeugdhulp.accounts.grants import grant
from jeugdhulp.accounts.models import Membership, Organisation, User

# Who asked for a role and who decided: shown, never edited (grant() and the approvals page
# set them).
DECISION_FIELDS = ["status", "aangevraagd_door", "aangevraagd_op", "beslist_door", "beslist_op"]


class MembershipInline(admin.TabularInline):
    """Roles of a user. A new or changed role goes through ``accounts.grants.grant``, like an
    invitation: a beheerder's own role stays ``aangevraagd`` until a second beheerder (or the
    organisation's organisatiebeheerder) approves it on the approvals page. The status and who
    asked and decided are never edited here."""

    model = Membership
    fk_name = "user"
    extra = 1
    autocomplete_fields = ["organisatie"]
    fields = ["organisatie", "rol", *DECISION_FIELDS]
    readonly_fields = DECISION_FIELDS


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["naam", "code", "soort", "actief"]
    list_filter = ["soort", "actief"]
    search_fields = ["naam", "code"]
    filter_horizontal = ["netwerken"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "last_login"]
    list_filter = ["is_active", "memberships__rol", "memberships__status"]
    # Access comes from roles (memberships), not from Django's staff/superuser flags or groups.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Persoon"), {"fields": ("first_name", "last_name", "email")}),
        (_("Toegang"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    readonly_fields = ["last_login", "date_joined"]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for gone in formset.deleted_objects:
            gone.delete()
        changed = {
            obj.pk
            for obj, fields in formset.changed_objects
            if {"organisatie", "rol"} & set(fields)
        }
        pending = 0
        for membership in instances:
            if membership.pk is None or membership.pk in changed:
                membership = grant(
                    request.user,
                    membership.user,
                    membership.organisatie,
                    membership.rol,
                    membership=membership,
                )
                pending += membership.is_pending
            else:
                membership.save()
        formset.save_m2m()
        if pending:
            messages.warning(
                request,
                ngettext(
                    "%(n)d rol wacht op goedkeuring: een beheerder geeft zichzelf geen "
                    "rol zonder een tweede beheerder (of de organisatiebeheerder van de "
                    "organisatie). Zie Rollen en goedkeuringen.",
                    "%(n)d rollen wachten op goedkeuring: een beheerder geeft zichzelf geen "
                    "rol zonder een tweede beheerder (of de organisatiebeheerder van de "
                    "organisatie). Zie Rollen en goedkeuringen.",
                    pending,
                )
                % {"n": pending},
            )
        return None


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Every role of every person, to look up and filter (who holds which role where). A new
    role, or a change of its organisation or role, goes through ``accounts.grants.grant`` like
    the inline on the person's page: the status and who asked and decided are never edited
    here; a pending role is approved on the approvals page (Rollen en goedkeuringen)."""

    list_display = ["user", "organisatie", "rol", "status", "beslist_door", "beslist_op"]
    list_filter = ["rol", "status", "organisatie__soort"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organisatie__naam"]
    list_select_related = ["user", "organisatie", "beslist_door"]
    autocomplete_fields = ["user", "organisatie"]
    fields = ["user", "organisatie", "rol", *DECISION_FIELDS]
    readonly_fields = DECISION_FIELDS

    def save_model(self, request, obj, form, change):
        if change and not {"user", "organisatie", "rol"} & set(form.changed_data):
            return super().save_model(request, obj, form, change)
        membership = grant(request.user, obj.user, obj.organisatie, obj.rol, membership=obj)
        if membership.is_pending:
            messages.warning(
                request,
                gettext(
                    "Deze rol wacht op goedkeuring door een tweede beheerder (of de "
                    "organisatiebeheerder van de organisatie). Zie Rollen en goedkeuringen."
                ),
            )
        return None
