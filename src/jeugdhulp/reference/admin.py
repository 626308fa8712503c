from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from jeugdhulp.analysis.report import covariate_label, significant
from jeugdhulp.reference.models import (
    Area,
    AreaSet,
    CovariateValue,
    HulpVorm,
    PopulationCount,
    Site,
    SiteOffer,
)


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "naam",
        "niveau",
        "vintage",
        "parent",
        "area_km2",
        "centroid_method",
        "fictief",
    ]
    list_filter = ["niveau", "vintage", "fictief", "centroid_method"]
    search_fields = ["code", "naam"]
    raw_id_fields = ["parent"]
    readonly_fields = ["geometry", "geometry_simplified"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent")


@admin.register(AreaSet)
class AreaSetAdmin(admin.ModelAdmin):
    list_display = ["code", "naam", "soort", "organisatie", "area_count"]
    list_filter = ["soort"]
    search_fields = ["code", "naam"]
    autocomplete_fields = ["organisatie"]
    raw_id_fields = ["areas"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_area_count=Count("areas"))

    @admin.display(description=_("aantal gebieden"), ordering="_area_count")
    def area_count(self, obj):
        return obj._area_count


@admin.register(PopulationCount)
class PopulationCountAdmin(admin.ModelAdmin):
    list_display = ["area", "year", "sex", "age_from", "age_to", "population"]
    list_filter = ["year", "sex", "area__vintage", "area__niveau"]
    search_fields = ["area__code", "area__naam"]
    list_select_related = ["area"]
    raw_id_fields = ["area"]


@admin.register(CovariateValue)
class CovariateValueAdmin(admin.ModelAdmin):
    list_display = ["area", "year", "kenmerk", "waarde", "approximate"]
    list_filter = ["year", "name", "approximate", "area__vintage"]
    search_fields = ["area__code", "area__naam", "name"]
    list_select_related = ["area"]
    raw_id_fields = ["area"]

    @admin.display(description=_("kenmerk"), ordering="name")
    def kenmerk(self, obj: CovariateValue) -> str:
        return covariate_label(obj.name)

    @admin.display(description=_("waarde"), ordering="value")
    def waarde(self, obj: CovariateValue) -> str:
        return significant(obj.value, 4)


@admin.register(HulpVorm)
class HulpVormAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "usual_access", "actief"]
    list_filter = ["usual_access", "actief"]
    list_editable = ["actief"]
    search_fields = ["code", "label"]


class SiteOfferInline(admin.TabularInline):
    model = SiteOffer
    extra = 1


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "naam",
        "organisatie",
        "organisatie_naam",
        "lat",
        "lon",
        "approximate",
        "fictief",
    ]
    list_filter = ["approximate", "fictief", "offers__hulpvorm"]
    search_fields = ["code", "naam", "organisatie_naam", "organisatie__naam"]
    autocomplete_fields = ["organisatie"]
    inlines = [SiteOfferInline]
