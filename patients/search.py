"""Name search that ignores letter case and accents, in every alphabet, on every database.

Each patient keeps `search_name`: their name folded by `fold` (case folded, compatibility
decomposition, combining marks dropped, letters such as ø and ł plain), so "Zoë Ångström" is
stored as "zoe angstrom" and a search folds its words the same way. SQLite and PostgreSQL then
compare plain text.
"""

import unicodedata

from django.db import models

# Latin letters whose mark is part of the letter (no decomposition drops it): folded by hand.
UNDECOMPOSED = str.maketrans(
    {"ø": "o", "đ": "d", "ł": "l", "ħ": "h", "ŧ": "t", "ı": "i", "æ": "ae", "œ": "oe"}
)


def fold(text: str) -> str:
    """`ZOË`, `zoe` and `Zoë` all fold to `zoe`; `Straße` to `strasse`; `Σοφία` to `σοφια`."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFKC", stripped).casefold().translate(UNDECOMPOSED)


class NameSearchField(models.CharField):
    """The folded first and last name, recomputed on every insert and save (bulk ones too)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 220)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = fold(f"{model_instance.first_name} {model_instance.last_name}")
        setattr(model_instance, self.attname, value)
        return value
