from django.contrib import admin

from clinic.accounts.admin import ClinicScopedAdmin
from patients.admin import ReadOnlyAdmin

from .models import ConsentForm, SignedConsent


@admin.register(ConsentForm)
class ConsentFormAdmin(ClinicScopedAdmin, ReadOnlyAdmin):
    """Versions are published from the clinic's Consent form page, never edited."""

    list_display = ["clinic", "version", "title", "requires_reconsent", "published_at"]
    list_filter = ["clinic", "requires_reconsent"]
    list_select_related = ["clinic"]


@admin.register(SignedConsent)
class SignedConsentAdmin(ClinicScopedAdmin, ReadOnlyAdmin):
    list_display = ["patient", "signed_at", "signer_name", "form", "witness", "withdrawn_at"]
    list_select_related = ["patient", "form", "witness"]
    search_fields = ["patient__mrn", "patient__last_name", "signer_name"]
