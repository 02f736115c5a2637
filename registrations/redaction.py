"""Finding what a person wrote about themselves in free text, to redact it when their data is erased.

People write their own name, phone number, address and company into comments anyway ("山田です、
03-1234-5678まで"). Where the comments are kept after erasure (an anonymous questionnaire), those
values go: each is matched as people write it, not only as it is stored:

- in any width and case (the text and the values are compared after NFKC), hiragana for katakana
  and back;
- a name or an organisation with or without spaces or middle dots between its characters, and each
  part of a name (family name, given name) of two characters or more on its own;
- an organisation also without its legal form (株式会社, (株), Co., Ltd. ...);
- a phone number with any separators (03-1234-5678, 03 1234 5678, (03)1234-5678, +81 3-1234-5678);
- an email address whole, and its part before @ on its own.

Latin letters and digits match only as whole words, so a short name never takes a piece of
another word. A matched value becomes REDACTED.
"""
import re
import unicodedata

REDACTED = "[erased]"
# Which values of an application are looked for in its free text.
REDACTED_FIELDS = ("name", "name_reading", "email", "phone", "organisation")
# Between the characters of a name or an organisation: spaces and middle dots people put or leave out.
_NAME_GAP = r"[\s・]*"
# Between the digits of a phone number: the separators people type.
_PHONE_GAP = r"[\s\-‐‑‒–—―−ー.()]*"
_LEGAL_FORMS_RE = re.compile(
    r"株式会社|有限会社|合同会社|合資会社|合名会社|(?:一般|公益)(?:社団|財団)法人|社会福祉法人|医療法人|学校法人|"
    r"特定非営利活動法人|NPO法人|\((?:株|有|同)\)|\b(?:co\.?,?\s*ltd\.?|inc\.?|corporation|corp\.?|k\.?k\.?|llc)",
    re.IGNORECASE,
)
_MIN_LENGTH = 2
_MIN_LOCAL_PART = 3


def _character(character: str) -> str:
    """A pattern for one character in either case, or either kana."""
    code = ord(character)
    if character.isascii() and character.isalpha():
        return f"[{character.lower()}{character.upper()}]"
    if 0x3041 <= code <= 0x3096:
        return f"[{character}{chr(code + 0x60)}]"
    if 0x30A1 <= code <= 0x30F6:
        return f"[{character}{chr(code - 0x60)}]"
    return re.escape(character)


def _spelled(value: str, gap: str, minimum: int = _MIN_LENGTH) -> str | None:
    """A pattern for `value` with `gap` allowed between its characters; None when too short to be telling."""
    characters = [character for character in value if not character.isspace() and character != "・"]
    if len(characters) < minimum:
        return None
    pattern = gap.join(_character(character) for character in characters)
    # Latin letters and digits only as a whole word.
    if characters[0].isascii() and characters[0].isalnum():
        pattern = r"(?<![A-Za-z0-9])" + pattern
    if characters[-1].isascii() and characters[-1].isalnum():
        pattern += r"(?![A-Za-z0-9])"
    return pattern


def _phone(value: str) -> str | None:
    digits = re.sub(r"\D", "", value)
    if len(digits) < 9:
        return None
    national = digits[1:] if digits.startswith("0") else digits
    rest = _PHONE_GAP.join(national)
    return rf"(?<!\d)(?:0|\+?81{_PHONE_GAP}(?:\(0\))?){_PHONE_GAP}{rest}(?!\d)"


def _patterns(field: str, value: str) -> list[str]:
    value = unicodedata.normalize("NFKC", value or "").strip()
    if not value:
        return []
    if field == "phone":
        return [_phone(value)]
    if field == "email":
        local = value.rpartition("@")[0]
        return [_spelled(value, ""), _spelled(local, "", _MIN_LOCAL_PART)]
    patterns = [_spelled(value, _NAME_GAP)]
    if field == "organisation":
        patterns.append(_spelled(_LEGAL_FORMS_RE.sub(" ", value), _NAME_GAP))
    else:
        patterns += [_spelled(part, "") for part in value.split()]
    return patterns


def personal_values_pattern(values: dict[str, list[str]]) -> re.Pattern | None:
    """Return one pattern matching every value given ({field: [values]}, fields of REDACTED_FIELDS), or None."""
    patterns = {pattern for field, texts in values.items() for text in texts for pattern in _patterns(field, text)}
    patterns.discard(None)
    if not patterns:
        return None
    # Longest first: the whole name before one of its parts.
    return re.compile("|".join(sorted(patterns, key=len, reverse=True)))


def personal_values_redact(text: str, pattern: re.Pattern | None) -> str:
    """Return `text` with every match of `pattern` (personal_values_pattern) replaced by REDACTED.

    Text with nothing to redact comes back unchanged; text with something comes back in NFKC,
    the form it was compared in.
    """
    if pattern is None or not text:
        return text
    normalised = unicodedata.normalize("NFKC", text)
    redacted = pattern.sub(REDACTED, normalised)
    return text if redacted == normalised else redacted
