"""Characters an applicant's text may not hold, and email addresses as mail will be sent to them.

Refused everywhere: control characters (C0, DEL and C1; they make the XLSX export
fail or hide text in the admin), the bidirectional overrides and isolates (they
make a name or an address read differently from what is stored), and U+FFFE and
U+FFFF (not characters in XML: Excel and openpyxl cannot open a sheet holding
them). Tab and line breaks (CR, LF) are allowed in multi-line text only.

Refused in one-line text (names, organisations, titles) as well: invisible marks,
i.e. format characters (direction marks, zero-width spaces, the byte order mark),
the line and paragraph separators and the other default-ignorable code points
(soft hyphen, Hangul fillers, Mongolian vowel separator...). They make two names
look alike while they differ, or hide text. Two kinds stay, where they belong: a
variation selector right after the character it varies (a kanji's registered
variant in a family name, an emoji's colour form), and a zero-width joiner inside
an emoji sequence.

Email addresses: the part after @ is normalised as IDNA 2008 with UTS #46 does (the
`idna` library), which is what mail delivery reaches: full-width letters, capitals
and default-ignorable marks give the same domain, so the one-application-per-address
rule compares the address as it will be sent. An address whose domain cannot be
written in an envelope is refused with the reason; so is an invisible mark before @.
"""
import re

import idna
import regex
from django.core.exceptions import ValidationError
from django.utils.encoding import punycode
from django.utils.translation import gettext_lazy as _

_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_BIDI = "\u202a-\u202e\u2066-\u2069"
_NOT_XML = "\ufffe\uffff"
MULTI_LINE_REFUSED_RE = re.compile(f"[{_CONTROLS}{_BIDI}{_NOT_XML}]")
SINGLE_LINE_REFUSED_RE = re.compile(f"[\t\n\r{_CONTROLS}{_BIDI}{_NOT_XML}]")
# Invisible marks (the `regex` library knows the Unicode properties): format characters, line and paragraph
# separators and default-ignorable code points, except a variation selector after what it varies and a
# zero-width joiner between two emoji. The bidirectional controls are reported with the control characters.
INVISIBLE_MARKS_RE = regex.compile(
    r"""
    (?! (?<=[\p{L}\p{N}\p{S}\p{P}]) \p{Variation_Selector} )
    (?! (?<=\p{Extended_Pictographic}[\p{Variation_Selector}\p{Emoji_Modifier}]?) \u200d (?=\p{Extended_Pictographic}) )
    [[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Zl}\p{Zp}]--[\u202a-\u202e\u2066-\u2069]]
    """,
    regex.VERBOSE | regex.V1,
)
# Before @ nothing invisible at all: an address is typed in ASCII.
ADDRESS_INVISIBLE_RE = regex.compile(r"[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Cc}\p{Zl}\p{Zp}]")
_CODE_POINT_RE = re.compile(r"U\+[0-9A-F]{4,6}")

MESSAGE = _(
    "This field contains an invisible control character (%(characters)s), which often comes along with copied "
    "text. Please delete it or type the text again."
)
MARKS_MESSAGE = _(
    "This field contains an invisible character (%(characters)s), such as a direction mark or a zero-width "
    "space, which often comes along with copied text. Please delete it or type the text again."
)
ADDRESS_INVISIBLE_MESSAGE = _(
    "The email address contains an invisible character (%(characters)s) before @, which often comes along with "
    "copied text. Please delete it or type the address again."
)
DOMAIN_MESSAGE = _("Mail cannot be sent to the part after @: %(reason)s. Please check the address.")
DOMAIN_REASONS = {
    "empty": _("a part between its dots is empty (an invisible character alone does not count)"),
    "character": _("it contains a character that a domain name cannot hold (%(characters)s)"),
    "hyphen": _("a part between its dots begins or ends with a hyphen"),
    "label": _("a part between its dots is longer than 63 characters"),
    "long": _("it is longer than 253 characters"),
    "spelled": _("mail systems would read this domain name in two different ways"),
    "other": _("it is not a valid domain name"),
}


def _code_points(found) -> str:
    # The code points only: the value itself may be what breaks a log or a terminal.
    return ", ".join(f"U+{ord(character):04X}" for character in sorted(set(found))[:3])


def _refuse(pattern: re.Pattern, value) -> None:
    if not isinstance(value, str):
        return
    found = pattern.findall(value)
    if found:
        raise ValidationError(MESSAGE, code="control_character", params={"characters": _code_points(found)})


def validate_single_line(value) -> None:
    """Refuse control characters (tab and line breaks included), bidirectional overrides, U+FFFE and U+FFFF,
    and invisible marks (direction marks, zero-width spaces, line separators, default-ignorable code points)."""
    _refuse(SINGLE_LINE_REFUSED_RE, value)
    if isinstance(value, str) and (found := INVISIBLE_MARKS_RE.findall(value)):
        raise ValidationError(MARKS_MESSAGE, code="invisible_mark", params={"characters": _code_points(found)})


def validate_multi_line(value) -> None:
    """Refuse what validate_single_line refuses as control characters, except tab and line breaks (CR, LF)."""
    _refuse(MULTI_LINE_REFUSED_RE, value)


def _domain_refused(reason: str, characters: str = "") -> ValidationError:
    text = DOMAIN_REASONS[reason] % {"characters": characters} if characters else DOMAIN_REASONS[reason]
    return ValidationError(DOMAIN_MESSAGE, code=f"domain_{reason}", params={"reason": text})


def _domain_error(error: idna.IDNAError) -> ValidationError:
    """Return the refusal for the `idna` library's error, in words a person can act on."""
    text = str(error).lower()
    if isinstance(error, idna.InvalidCodepoint | idna.InvalidCodepointContext):
        return _domain_refused("character", ", ".join(dict.fromkeys(_CODE_POINT_RE.findall(str(error)))))
    for words, reason in (("empty", "empty"), ("hyphen", "hyphen"), ("label too long", "label"),
                          ("domain too long", "long")):
        if words in text:
            return _domain_refused(reason)
    return _domain_refused("other")


def email_address_normalise(value: str) -> str:
    """Return the address as mail will be sent to it: the domain normalised by IDNA 2008 with UTS #46.

    The domain stays readable (例え.jp, not its xn-- form) but in the one form every
    spelling of it takes: lower case, without the marks mail delivery ignores. Raise
    ValidationError with the reason for an invisible character before @, a domain
    IDNA refuses, or one that Django's mail (which still encodes by the older IDNA
    2003) would send elsewhere, e.g. faß.de. Something that is no address at all
    (no @) is returned as it is, for the email validator to refuse.
    """
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain or domain.startswith("["):
        return value
    _refuse(SINGLE_LINE_REFUSED_RE, value)
    if found := ADDRESS_INVISIBLE_RE.findall(local):
        raise ValidationError(
            ADDRESS_INVISIBLE_MESSAGE, code="invisible_mark", params={"characters": _code_points(found)}
        )
    try:
        envelope = idna.encode(domain, uts46=True).decode("ascii")
        readable = idna.decode(envelope)
    except idna.IDNAError as error:
        raise _domain_error(error) from error
    try:
        sent_to = punycode(readable)
    except UnicodeError:
        sent_to = None
    if sent_to != envelope:
        raise _domain_refused("spelled")
    return f"{local}@{readable}"
