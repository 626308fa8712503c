from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from jeugdhulp.audit.labels import object_type_label
from jeugdhulp.audit.models import AuditEvent


class ObjectTypeFilter(admin.SimpleListFilter):
    """The object types present in the log, by name ("Versie van een regelset"), not by their
    stored ``app_label.model_name``."""

    title = _("soort object")
    parameter_name = "object_type"

    def lookups(self, request, model_admin):
        kinds = (
            AuditEvent.objects.exclude(object_type="")
            .order_by()
            .values_list("object_type", flat=True)
            .distinct()
        )
        return sorted(((kind, object_type_label(kind)) for kind in kinds), key=lambda x: x[1])

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(object_type=self.value())
        return queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = [
        "aangemaakt_op",
        "username",
        "action",
        "object_type_name",
        "object_repr",
        "ip_address",
    ]
    list_filter = ["action", ObjectTypeFilter, "aangemaakt_op"]
    search_fields = ["username", "object_repr", "object_id", "path"]
    date_hierarchy = "aangemaakt_op"
    fields = [
        "aangemaakt_op",
        "user",
        "username",
        "action",
        "object_type_name",
        "object_id",
        "object_repr",
        "fields",
        "ip_address",
        "path",
    ]
    readonly_fields = fields

    @admin.display(description=_("soort object"), ordering="object_type")
    def object_type_name(self, obj):
        return object_type_label(obj.object_type)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
