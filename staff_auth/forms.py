"""The code a staff member types: from an authenticator app, or one of their recovery codes."""
from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "size": 12}),
    )

    def clean_code(self):
        # Authenticator apps show "123 456"; recovery codes are read back from paper.
        return self.cleaned_data["code"].replace(" ", "").replace("-", "").lower()
