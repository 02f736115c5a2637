"""Reference codes of applications: what the applicant reads out to the office."""
import secrets

# Letters and digits that cannot be misread or mistyped for each other: no 0/O, 1/I.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 8


def reference_generate() -> str:
    """Return a new random reference code (8 characters, unguessable); uniqueness is the caller's."""
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def reference_display(reference: str) -> str:
    """Return a reference as people read it aloud: XXXX-XXXX."""
    return f"{reference[:4]}-{reference[4:]}" if len(reference) == REFERENCE_LENGTH else reference


def reference_normalise(text: str) -> str:
    """Return a typed reference in stored form: upper case, without the hyphen or spaces."""
    return "".join(ch for ch in text.upper() if ch.isalnum())
