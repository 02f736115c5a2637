"""Signals of the seminars app, for the apps above it that keep something per series or session."""
from django.dispatch import Signal

# Sent by services.series_copy_to_next_year inside its transaction, with `source` and `copy` (the two
# series), `sessions` ({source session: its copy}) and `now`: the questionnaires app copies the series'
# template and each session's questionnaire without this app importing it.
series_copied = Signal()
