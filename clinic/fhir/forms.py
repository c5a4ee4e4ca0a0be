from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms

from clinic.accounts.models import User

from .models import ApiToken


class ApiTokenForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="For staff member",
        help_text="The token reads this clinic's patients on their behalf; reads are audited "
        "under their name.",
    )
    name = forms.CharField(
        max_length=ApiToken._meta.get_field("name").max_length,
        label="Used by",
        help_text=ApiToken._meta.get_field("name").help_text,
    )

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.for_clinic(clinic).filter(is_active=True)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("user"), Column("name")), Submit("submit", "Create API token")
        )
