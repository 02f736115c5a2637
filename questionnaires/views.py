"""The questionnaire behind an applicant's personal link (the manage link's token), and its thank-you page.

Statuses: 200 for the form and the thank-you page; 400 for a form sent back with errors;
404 for a link that is not genuine or a session without a questionnaire; 410 for a link that
has expired (personal data erased) or a questionnaire that has closed; 403 before it opens and
for an application that may not answer (cancelled, recorded absent). Never a 500.
"""
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from registrations.private_pages import application_or_refusal, private_page

from .enums import QuestionnaireState
from .forms import ResponseForm
from .selectors import application_may_answer, questionnaire_for_answering, response_for
from .services import ResponseRefused, response_submit

UNAVAILABLE_STATUS = {"none": 404, "not_open": 403, "closed": 410, "not_eligible": 403}


def _open_questionnaire(request, token, now):
    """Return (application, questionnaire, None), or (…, refusal page) for a link or moment that takes no answer."""
    application, refused = application_or_refusal(request, token, now)
    if refused is not None:
        return None, None, refused
    questionnaire = questionnaire_for_answering(application.session)
    if questionnaire is None:
        return application, None, _unavailable(request, application, None, "none", token)
    state = questionnaire.state(now=now)
    if state == QuestionnaireState.NOT_YET_OPEN:
        return application, questionnaire, _unavailable(request, application, questionnaire, "not_open", token)
    if state != QuestionnaireState.OPEN:
        return application, questionnaire, _unavailable(request, application, questionnaire, "closed", token)
    if not application_may_answer(application, questionnaire):
        return application, questionnaire, _unavailable(request, application, questionnaire, "not_eligible", token)
    return application, questionnaire, None


def _unavailable(request, application, questionnaire, reason, token):
    context = {"application": application, "session": application.session, "questionnaire": questionnaire,
               "reason": reason, "token": token}
    return render(request, "questionnaires/unavailable.html", context, status=UNAVAILABLE_STATUS[reason])


@private_page
@require_http_methods(["GET", "POST"])
def answer(request, token):
    """The questionnaire's form, filled with the earlier answers if any; sending it stores or edits the response."""
    now = timezone.now()
    application, questionnaire, refused = _open_questionnaire(request, token, now)
    if refused:
        return refused
    response = response_for(questionnaire, application)
    status = 200
    if request.method == "POST":
        form = ResponseForm(request.POST, questionnaire=questionnaire, response=response)
        if form.is_valid():
            try:
                response_submit(questionnaire=questionnaire, application=application, values=form.values(), now=now)
            except ResponseRefused as refusal:
                if refusal.code in UNAVAILABLE_STATUS:
                    return _unavailable(request, application, questionnaire, refusal.code, token)
                # A question changed between showing the form and sending it (a new version): show it afresh.
                return redirect("questionnaires:answer", token=token)
            return redirect("questionnaires:thanks", token=token)
        status = 400
    else:
        form = ResponseForm(questionnaire=questionnaire, response=response)
    context = {"application": application, "session": application.session, "questionnaire": questionnaire,
               "form": form, "response": response, "token": token}
    return render(request, "questionnaires/answer.html", context, status=status)


@private_page
@require_http_methods(["GET"])
def thanks(request, token):
    """The thank-you page after sending: until when the answers can still be changed."""
    now = timezone.now()
    application, questionnaire, refused = _open_questionnaire(request, token, now)
    if refused:
        return refused
    response = response_for(questionnaire, application)
    if response is None:
        return redirect("questionnaires:answer", token=token)
    context = {"application": application, "session": application.session, "questionnaire": questionnaire,
               "response": response, "token": token}
    return render(request, "questionnaires/thanks.html", context)
