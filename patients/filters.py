import django_filters
from django import forms

from .forms import DateInput
from .models import Patient


class PatientFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Name or MRN",
        method="filter_text",
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    dob = django_filters.DateFilter(
        label="Date of birth",
        method="filter_dob",
        widget=DateInput(attrs={"class": "form-control"}),
    )
    archived = django_filters.BooleanFilter(
        label="Show archived patients",
        method="filter_archived",
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    class Meta:
        model = Patient
        fields = ["q", "dob", "archived"]

    def filter_text(self, queryset, name, value):
        return queryset.search(value)

    def filter_dob(self, queryset, name, value):
        return queryset.born_on(value)

    def filter_archived(self, queryset, name, value):
        return queryset.archived() if value else queryset.active()
