from .patient import DateInput, PatientForm, ScreeningForm, avoid_region_choices

__all__ = ["DateInput", "PatientForm", "ScreeningForm", "avoid_region_choices"]
