from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.html import escape

from clinic.reports.published import PUBLISHED_RATES, SEVERITY_MAPPING
from tests.factories import NeedlingSessionFactory

SOURCES_DOC = Path(settings.BASE_DIR) / "docs" / "clinical-sources.md"


@pytest.mark.django_db
def test_safety_report_shows_each_published_figure_with_its_denominator(admin_client_, clinic):
    NeedlingSessionFactory(screening__patient__clinic=clinic)

    html = admin_client_.get(reverse("reports:safety")).content.decode()

    for rate in PUBLISHED_RATES:
        assert escape(rate.label) in html, rate
        assert rate.denominator in rate.label
        assert escape(rate.citation) in html
    assert escape(SEVERITY_MAPPING) in html
    assert "approx" not in html


def test_published_figures_match_the_sources_document():
    document = SOURCES_DOC.read_text()

    for rate in PUBLISHED_RATES:
        figure = (
            rate.qualifier.split(",")[0].split(" (")[0] if rate.qualifier else f"{rate.percent}%"
        )
        assert figure in document, rate
        assert rate.denominator in document
        assert rate.short_source in document
    assert "J Man Manip Ther*\n  2014;22(3):134-140" in document
    assert "Int J Sports Phys Ther* 2020;15(1):103-113" in document
