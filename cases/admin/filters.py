"""The case changelist's filters: the same queryset methods the browser list and the API filter with."""

from django.contrib import admin

from cases import criteria, quality
from cases.models import Agent, Condition, Region


class ConceptFilter(admin.SimpleListFilter):
    """A vocabulary filter that matches the chosen concept and everything below it."""

    vocabulary = None

    def lookups(self, request, model_admin):
        # Tree order, indented by depth, so "Hand" sits above its fingers.
        concepts = self.vocabulary.objects.order_by("path").only("code", "label", "path", "active")
        return [
            (c.code, "\u2003" * (c.path.count("/") - 1) + c.label + ("" if c.active else " (inactive)"))
            for c in concepts
        ]

    def queryset(self, request, queryset):
        return self.cases_with(queryset, self.value()) if self.value() else queryset


class PrimaryConditionFilter(ConceptFilter):
    title = "primary condition"
    parameter_name = "primary_condition"
    vocabulary = Condition

    def cases_with(self, queryset, code):
        return queryset.with_condition(code, primary_only=True)


class RegionFilter(ConceptFilter):
    title = "calcinosis region"
    parameter_name = "region"
    vocabulary = Region

    def cases_with(self, queryset, code):
        return queryset.with_region(code)


class AgentFilter(ConceptFilter):
    title = "treatment agent"
    parameter_name = "agent"
    vocabulary = Agent

    def cases_with(self, queryset, code):
        return queryset.with_agent(code)


class CriteriaFilter(admin.SimpleListFilter):
    """The computed classification criteria: a set and its status (the stored results)."""

    title = "classification criteria (computed)"
    parameter_name = "criteria_status"

    def lookups(self, request, model_admin):
        return [
            (f"{code}:{status}", f"{definition.label}: {status.replace('_', ' ')}")
            for code, definition in criteria.SETS.items()
            for status in criteria.STATUSES
        ]

    def queryset(self, request, queryset):
        code, _, status = (self.value() or "").partition(":")
        if code in criteria.SETS and status in criteria.STATUSES:
            return queryset.with_criteria(code, status)
        return queryset


class QualityFilter(admin.SimpleListFilter):
    title = "data quality"
    parameter_name = "quality"
    ANY, NONE = "problems", "clean"

    def lookups(self, request, model_admin):
        return [
            (self.ANY, "Has data-quality problems"),
            (self.NONE, "No problems found"),
            *[(check.code, check.message) for check in quality.CHECKS],
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.ANY:
            return queryset.filter(quality.has_problems(queryset.model))
        if value == self.NONE:
            return queryset.exclude(quality.has_problems(queryset.model))
        if value in quality.CHECKS_BY_CODE:
            return queryset.filter(quality.CHECKS_BY_CODE[value].expression(queryset.model))
        return queryset
