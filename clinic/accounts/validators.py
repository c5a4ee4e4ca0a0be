"""Password rules beyond Django's: no repeated patterns, no dressed-up common passwords."""

import re
import string

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

PASSWORD_REPEATS = "This password repeats itself; choose one that does not."
PASSWORD_FEW_CHARACTERS = "This password uses too few different characters."
PASSWORD_DICTIONARY_LIKE = (
    "This password is a common password with digits or symbols added; choose a passphrase of "
    "unrelated words."
)
MIN_DISTINCT_CHARACTERS = 5
LETTERS_ONLY = re.compile(r"[^a-z]")
# Letters written as digits or symbols (`p4ssw0rd`).
LEET = str.maketrans("4@3105$7", "aaeiosst")


def repeated_unit(password: str) -> str | None:
    """The shortest piece the password repeats exactly (`abcabc` -> `abc`), if any."""
    match = re.fullmatch(r"(.+?)\1+", password)
    return match.group(1) if match else None


class PatternPasswordValidator:
    """Refuses `aaaaaaaaaaaa`, `passwordpassword`, `abcabcabcabc` and `Password2024!`:
    long enough for the length rule, yet among the first guesses of any attacker."""

    def __init__(self, min_distinct: int = MIN_DISTINCT_CHARACTERS):
        self.min_distinct = min_distinct
        self.common = CommonPasswordValidator().passwords

    def validate(self, password: str, user=None) -> None:
        lowered = password.lower()
        if repeated_unit(lowered):
            raise ValidationError(PASSWORD_REPEATS, code="password_repeats")
        if len(set(lowered)) < self.min_distinct:
            raise ValidationError(PASSWORD_FEW_CHARACTERS, code="password_few_characters")
        # Digits and symbols around a word are the usual dressing (`Password2024!`).
        core = lowered.strip(string.digits + string.punctuation + " ")
        for spelling in (lowered, core.translate(LEET)):
            letters = LETTERS_ONLY.sub("", spelling)
            if (repeated_unit(letters) or letters) in self.common:
                raise ValidationError(PASSWORD_DICTIONARY_LIKE, code="password_dictionary_like")

    def get_help_text(self) -> str:
        return (
            "Your password cannot repeat a pattern, use fewer than "
            f"{self.min_distinct} different characters, or be a common password with digits or "
            "symbols added."
        )
