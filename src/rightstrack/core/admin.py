"""Django admin for site administrators: organisations, memberships and the vocabularies."""

from django.contrib import admin

from .models import IccprArticle, Membership, Organisation, Place, Sdg, Theme


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(IccprArticle)
class IccprArticleAdmin(admin.ModelAdmin):
    list_display = ["number", "title_en", "title_ru", "title_kk"]


@admin.register(Sdg)
class SdgAdmin(admin.ModelAdmin):
    list_display = ["number", "title_en", "title_ru", "title_kk"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_ru", "name_kk", "code"]
    search_fields = ["name_en", "name_ru", "name_kk"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_ru", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name_en", "name_ru", "name_kk"]
