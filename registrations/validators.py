"""Characters an applicant's text may not hold, checked by the form and by the model (so the admin as well).

Refused everywhere: control characters (C0, DEL and C1; they make the XLSX export
fail or hide text in the admin), the bidirectional overrides and isolates (they
make a name or an address read differently from what is stored), and U+FFFE and
U+FFFF (not characters in XML: Excel and openpyxl cannot open a sheet holding
them). Tab and line breaks (CR, LF) are allowed in multi-line text only.
"""
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_BIDI = "\u202a-\u202e\u2066-\u2069"
_NOT_XML = "\ufffe\uffff"
MULTI_LINE_REFUSED_RE = re.compile(f"[{_CONTROLS}{_BIDI}{_NOT_XML}]")
SINGLE_LINE_REFUSED_RE = re.compile(f"[\t\n\r{_CONTROLS}{_BIDI}{_NOT_XML}]")

MESSAGE = _(
    "This field contains an invisible control character (%(characters)s), which often comes along with copied "
    "text. Please delete it or type the text again."
)


def _refuse(pattern: re.Pattern, value) -> None:
    if not isinstance(value, str):
        return
    found = sorted(set(pattern.findall(value)))
    if found:
        # The code points only: the value itself may be what breaks a log or a terminal.
        characters = ", ".join(f"U+{ord(character):04X}" for character in found[:3])
        raise ValidationError(MESSAGE, code="control_character", params={"characters": characters})


def validate_single_line(value) -> None:
    """Refuse control characters (tab and line breaks included), bidirectional overrides, U+FFFE and U+FFFF."""
    _refuse(SINGLE_LINE_REFUSED_RE, value)


def validate_multi_line(value) -> None:
    """Refuse what validate_single_line refuses, except tab and line breaks (CR, LF)."""
    _refuse(MULTI_LINE_REFUSED_RE, value)
