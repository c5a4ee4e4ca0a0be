from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.validators import MaxLengthValidator

from .models import Credential, Role, User

USERNAME_TAKEN = "That username is already taken."


class LoginForm(AuthenticationForm):
    """Django's sign-in form does not check the username's length; an over-long one would
    fail when django-axes records the failed attempt, so it is a field error instead."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class StaffCreateForm(forms.Form):
    username = forms.CharField(max_length=150)
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(required=False)
    role = forms.ChoiceField(choices=Role.choices)
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
        strip=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("first_name"), Column("last_name")),
            Row(Column("username"), Column("email")),
            "role",
            "password",
            Submit("submit", "Add staff member"),
        )

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(USERNAME_TAKEN)
        return username


class StaffUpdateForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "role", "is_active", "must_change_password"]
        labels = {"is_active": "Active (can sign in)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("first_name"), Column("last_name")),
            "email",
            "role",
            "is_active",
            "must_change_password",
            Submit("submit", "Save"),
        )


class OwnPasswordForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "old_password", "new_password1", "new_password2", Submit("submit", "Change password")
        )


class TokenForm(forms.Form):
    token = forms.RegexField(
        label="Code from your authenticator app",
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": "Enter the 6-digit code."},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def __init__(self, *args, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout("token", Submit("submit", submit))

    def clean_token(self) -> str:
        return self.cleaned_data["token"].strip()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CredentialForm(forms.ModelForm):
    class Meta:
        model = Credential
        fields = ["course", "hours", "completed_on", "jurisdiction", "valid_until"]
        widgets = {"completed_on": DateInput(), "valid_until": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "course",
            Row(Column("hours"), Column("jurisdiction")),
            Row(Column("completed_on"), Column("valid_until")),
            Submit("submit", "Save credential"),
        )
