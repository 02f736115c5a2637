"""The office builds questionnaires in admin and reads their results.

A questionnaire's page: its texts in both languages, anonymity, open and close moments, and its
questions (choices typed one per line). Once it has responses, only its moments can change; a new
version (button on the page) takes the questions further. From a series' template, "Copy to
sessions…" makes each chosen session's questionnaire. The results page (charts with tables), the
free-text answers, the exports and the comparison across the series are views of this admin.
Office users hold the permissions in registrations/office_group.py.
"""
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from config.admin_read_only import ReadOnlyAdminMixin
from registrations.admin_exports import EXPORT_FORMATS, download_response
from seminars.models import Series, Session

from . import charts
from .admin_forms import CopyToSessionsForm, QuestionForm, QuestionFormSet
from .enums import QuestionKind, QuestionnaireState
from .exports import responses_csv, responses_xlsx
from .models import Question, Questionnaire
from .selectors import (
    RESPONDENTS_SHOWN,
    questionnaire_is_locked,
    questionnaire_results,
    series_comparison,
    text_answers_page,
)
from .services import QuestionnaireRefused, question_choices_set, questionnaire_copy, questionnaire_new_version

# Fields the office may still change once a questionnaire has responses.
CHANGEABLE_WHEN_ANSWERED = ("opens_at", "closes_at")


class QuestionInline(TranslationStackedInline):
    model = Question
    form = QuestionForm
    formset = QuestionFormSet
    extra = 0
    fields = ["order", "kind", "required", "text", "help_text", "choices_ja", "choices_en",
              "scale_min_label", "scale_max_label", "key"]


class AnsweredQuestionInline(ReadOnlyAdminMixin, TranslationStackedInline):
    """The questions of a questionnaire that has responses: shown, never changed."""

    model = Question
    extra = 0
    fields = ["order", "kind", "required", "text", "help_text", "choices_shown", "scale_min_label",
              "scale_max_label", "key"]
    readonly_fields = fields

    @admin.display(description=_("choices"))
    def choices_shown(self, question):
        return " / ".join(choice.text for choice in question.choices.all()) or "—"


class AnswerStateFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [("session", _("Sessions' questionnaires")), ("template", _("Series templates"))]

    def queryset(self, request, queryset):
        if self.value() == "session":
            return queryset.filter(session__isnull=False)
        if self.value() == "template":
            return queryset.filter(session__isnull=True)
        return queryset


@admin.register(Questionnaire)
class QuestionnaireAdmin(TranslationAdmin):
    list_display = ["__str__", "series", "version", "state_label", "anonymous", "responses_count", "results_link"]
    # The current year first: the office works on this year's questionnaires, earlier years are for reference.
    ordering = ["-series__fiscal_year", "session__number", "-version"]
    list_filter = [AnswerStateFilter, "series", "session", "anonymous"]
    list_select_related = ["series", "session"]
    search_fields = ["title_ja", "title_en", "session__title_ja", "session__title_en"]
    fields = ["series", "session", "title", "intro", "anonymous", "absent_may_answer", "opens_at", "closes_at",
              "state_label",
              "version", "copied_from", "superseded_at"]

    class Media:
        css = {"all": ["css/questionnaire-admin.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(responses_total=Count("responses"))

    def get_readonly_fields(self, request, obj=None):
        readonly = ["state_label", "version", "copied_from", "superseded_at"]
        if obj is not None and questionnaire_is_locked(obj):
            translated = [f"{name}_{code}" for name in ("title", "intro") for code in ("ja", "en")]
            readonly += ["series", "session", "anonymous", *translated]
        return readonly

    def get_inlines(self, request, obj):
        if obj is not None and questionnaire_is_locked(obj):
            return [AnsweredQuestionInline]
        return [QuestionInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "session" in form.base_fields:
            form.base_fields["session"].queryset = Session.objects.select_related("series")
        return form

    def save_model(self, request, obj, form, change):
        # A session's questionnaire belongs to the session's series.
        if obj.session_id:
            obj.series = obj.session.series
        super().save_model(request, obj, form, change)
        # The page was opened before the first response arrived: its question rows were shown as editable,
        # and the read-only rows of an answered questionnaire ignore what they sent.
        if change and questionnaire_is_locked(obj) and any(
            key.startswith("questions-") and key.endswith("-kind") for key in request.POST
        ):
            messages.warning(request, gettext(
                "The questions were not changed: the questionnaire received responses in the meantime, which fix "
                "its questions. Make a new version to change them."
            ))

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Question and isinstance(formset, QuestionFormSet):
            for question_form in formset.forms:
                if question_form.instance.pk and question_form not in formset.deleted_forms:
                    question_choices_set(question_form.instance, question_form.choice_texts())

    @admin.display(description=_("state"))
    def state_label(self, questionnaire):
        if questionnaire.pk is None:
            return "—"
        return questionnaire.state(now=timezone.now()).label

    @admin.display(description=_("responses"), ordering="responses_total")
    def responses_count(self, questionnaire):
        return questionnaire.responses_total

    @admin.display(description=_("results"))
    def results_link(self, questionnaire):
        if questionnaire.is_template:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:questionnaires_questionnaire_results",
                                                          args=[questionnaire.pk]), gettext("Results"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        questionnaire = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if questionnaire is not None:
            extra_context.update({
                "locked": questionnaire_is_locked(questionnaire),
                "can_make_version": (questionnaire.session_id and questionnaire.superseded_at is None
                                     and self.has_change_permission(request, questionnaire)),
            })
        return super().change_view(request, object_id, form_url, extra_context)

    # --- the office's pages beyond the form ---

    def get_urls(self):
        def view(function, name):
            return path(name[0], self.admin_site.admin_view(function), name=f"questionnaires_questionnaire_{name[1]}")

        return [
            view(self.results_view, ("<int:object_id>/results/", "results")),
            view(self.texts_view, ("<int:object_id>/results/question-<int:question_id>/", "texts")),
            view(self.export_view, ("<int:object_id>/export/<str:file_format>/", "export")),
            view(self.copy_view, ("<int:object_id>/copy/", "copy")),
            view(self.new_version_view, ("<int:object_id>/new-version/", "new_version")),
            view(self.comparison_view, ("series-<int:series_id>/comparison/", "comparison")),
            *super().get_urls(),
        ]

    def _page(self, request, template, title, **context):
        request.current_app = self.admin_site.name
        return TemplateResponse(request, f"admin/questionnaires/questionnaire/{template}", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "title": title, **context,
        })

    def _viewable(self, request, object_id) -> Questionnaire:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(Questionnaire.objects.select_related("series", "session"), pk=object_id)

    def results_view(self, request, object_id):
        """Per question: counts and shares with a bar chart, the mean for scales, the first free-text answers."""
        questionnaire = self._viewable(request, object_id)
        if questionnaire.is_template:
            raise Http404
        shown = request.GET.get("shown", "attendees")
        if shown not in RESPONDENTS_SHOWN:
            shown = "attendees"
        results = questionnaire_results(questionnaire, shown=shown)
        for result in results.questions:
            if result.rows and result.answered:
                result.chart = charts.share_chart([row.label for row in result.rows],
                                                  [row.percent for row in result.rows])
        return self._page(request, "results.html", gettext("Results: %(questionnaire)s") % {
            "questionnaire": questionnaire}, questionnaire=questionnaire, original=questionnaire, results=results,
            export_formats=EXPORT_FORMATS)

    def texts_view(self, request, object_id, question_id):
        """Every free-text answer to one question, a page at a time."""
        questionnaire = self._viewable(request, object_id)
        question = get_object_or_404(Question, pk=question_id, questionnaire=questionnaire, kind=QuestionKind.TEXT)
        question.questionnaire = questionnaire
        page, texts = text_answers_page(question, page=request.GET.get("page", 1))
        return self._page(request, "texts.html", gettext("Answers: %(question)s") % {"question": question.text},
                          questionnaire=questionnaire, original=questionnaire, question=question, page=page,
                          texts=texts)

    def export_view(self, request, object_id, file_format):
        """Download every response of the questionnaire (XLSX, CSV in UTF-8 with a BOM, or CSV in Shift_JIS)."""
        questionnaire = self._viewable(request, object_id)
        if file_format not in EXPORT_FORMATS or questionnaire.is_template:
            raise Http404
        return download_response(
            request, file_format, name=f"questionnaire-session-{questionnaire.session.number}-v{questionnaire.version}",
            xlsx=lambda: responses_xlsx(questionnaire),
            csv=lambda encoding: responses_csv(questionnaire, encoding=encoding),
        )

    def copy_view(self, request, object_id):
        """Copy a questionnaire (the series' template) to the sessions of its series that have none yet."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        source = self._viewable(request, object_id)
        with_one = Questionnaire.objects.filter(session__isnull=False, superseded_at__isnull=True).values("session_id")
        sessions = Session.objects.filter(series=source.series).exclude(pk__in=with_one).order_by("number")
        form = CopyToSessionsForm(request.POST or None, sessions=sessions)
        if request.method == "POST" and form.is_valid():
            made = []
            for session in form.cleaned_data["sessions"]:
                try:
                    made.append(questionnaire_copy(source=source, session=session))
                except QuestionnaireRefused as refusal:
                    messages.error(request, refusal.message)
            if made:
                messages.success(request, ngettext(
                    "Copied to %(count)d session. Check each copy's moments and questions.",
                    "Copied to %(count)d sessions. Check each copy's moments and questions.", len(made),
                ) % {"count": len(made)})
            return HttpResponseRedirect(
                reverse("admin:questionnaires_questionnaire_changelist") + "?kind=session"
            )
        return self._page(request, "copy.html", gettext("Copy to sessions"), original=source, source=source,
                          form=form)

    def new_version_view(self, request, object_id):
        """Confirm, then make the next version of an answered questionnaire (its questions can then change)."""
        questionnaire = self._viewable(request, object_id)
        if not self.has_change_permission(request, questionnaire) or not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            try:
                copy = questionnaire_new_version(questionnaire)
            except QuestionnaireRefused as refusal:
                messages.error(request, refusal.message)
                return HttpResponseRedirect(reverse("admin:questionnaires_questionnaire_change",
                                                    args=[questionnaire.pk]))
            messages.success(request, gettext(
                "Version %(version)s made: change its questions now. New answers go to it; the responses to "
                "version %(previous)s stay with that version."
            ) % {"version": copy.version, "previous": questionnaire.version})
            return HttpResponseRedirect(reverse("admin:questionnaires_questionnaire_change", args=[copy.pk]))
        return self._page(request, "new_version.html", gettext("Make a new version"), original=questionnaire,
                          questionnaire=questionnaire, is_open=questionnaire.state() == QuestionnaireState.OPEN)

    def comparison_view(self, request, series_id):
        """The questions that share a comparison key, session by session across the series."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        series = get_object_or_404(Series, pk=series_id)
        comparison = series_comparison(series)
        for question in comparison.questions:
            if not any(row.answered for row in question.rows):
                continue
            names = [str(row.session) for row in question.rows]
            if question.kind == QuestionKind.SCALE:
                question.chart = charts.means_chart(names, [row.mean for row in question.rows])
            elif question.kind != QuestionKind.TEXT and question.columns:
                question.chart = charts.compared_shares_chart(
                    question.columns, [(name, [cell.percent for cell in row.cells])
                                       for name, row in zip(names, question.rows, strict=True)]
                )
        return self._page(request, "comparison.html", gettext("Compared across the series: %(series)s") % {
            "series": series}, series=series, comparison=comparison)

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        extra_context["series_list"] = list(
            Series.objects.filter(questionnaires__session__isnull=False).distinct().order_by("-fiscal_year")
        )
        return super().changelist_view(request, extra_context)
