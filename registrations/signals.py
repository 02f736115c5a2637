"""Signals other apps listen to without registrations importing them."""
from django.dispatch import Signal

# Sent by retention._erase_batch inside the erasure's transaction, with `application_ids` (a list of the
# applications whose personal data was just erased), `now` and `personal_values` ({application id: {field:
# [values]}}: the name, reading, email, phone and organisation each held or held before, read before they were
# erased, for redacting from text that is kept; see registrations.redaction). A receiver detaches or erases what
# it keeps about those people; if it raises, the batch is rolled back and erased again on the next run.
personal_data_erased = Signal()

# Sent after the transaction of a cancellation or a move has committed, with `application` (as saved after the
# change) and `session` (the session it lost its place in: cancelled there, or moved away from). The zoom app
# answers by cancelling the application's webinar registrant in that session's webinar.
application_place_lost = Signal()

# Sent by the office's follow-up page (admin_follow_up) with `session`, before it shows the mail's preview or
# sends it. Each receiver returns a dict that goes into every follow-up mail's `data` (notifications._context
# reads it), e.g. the questionnaires app's {"questionnaire": True} while the session has one open or opening.
follow_up_data_requested = Signal()

# Sent by registrations.joining_links.personal_joining_urls with `session` and `application_ids` (confirmed
# applications of that session). Each receiver returns a dict {application id: personal joining link} of the
# links it issued that still work, e.g. the zoom app's registered webinar registrants; the mail, the .ics and
# the manage page show such a link instead of the session's shared one.
personal_joining_urls_requested = Signal()

# Sent by registrations.joining_links.personal_links_awaited_until with `session`. A receiver that issues personal
# links for the session returns the time until which the session's confirmations wait for them (after it they go
# with the shared link); a receiver that issues none for the session returns None.
personal_links_awaited = Signal()
