"""The parent portal in Chromium: a parent signs in, switches to Spanish, reads the child's page
in Spanish (remembered on the next page), exports the record as a PDF; another child is a 404."""

from __future__ import annotations

import datetime as dt

import pytest

from tests import factories as f
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_parent_reads_and_exports_their_childs_record_in_spanish(
    page, parent_of_student_a, student_a
):
    mandate = f.MandateFactory(student=student_a, code="M-AVA", starts_on=dt.date(2020, 1, 6))
    for weekday in range(5):
        f.BlockFactory(mandate=mandate, weekday=weekday, start=480, end=600)
    sign_in(page, parent_of_student_a)
    page.goto("/family/")
    assert page.locator("h1").inner_text() == "Your family"

    page.select_option("#id_language", "es")
    page.click("footer form.language button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Su familia"
    page.click("text=Ava Alpha")
    page.wait_for_load_state("networkidle")

    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h2").first.inner_text() == "El apoyo de asistente en el IEP"
    assert page.locator("ul.words li").first.inner_text() == (
        "Un asistente 1:1 en clase, de lunes a viernes, de 8:00 a 10:00."
    )
    with page.expect_download() as download:
        page.click("text=Descargar PDF")
    pdf = download.value
    assert pdf.suggested_filename.startswith("service-record-STU-A-")
    assert pdf.suggested_filename.endswith(".pdf")
    with open(pdf.path(), "rb") as body:
        assert body.read(5) == b"%PDF-"
    response = page.request.get(page.url.split("#")[0] + "record.pdf")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"


def test_a_parent_trying_another_childs_url_gets_a_404(
    page, parent_of_student_a, student_a, school_a
):
    classmate = f.StudentFactory(school=school_a, code="STU-C", first_name="Cal")
    sign_in(page, parent_of_student_a)

    pages = [page.goto(f"/family/{classmate.pk}/"), page.goto(f"/family/{classmate.pk}/record.pdf")]

    assert [p.status for p in pages if p is not None] == [404, 404]
    assert "Cal" not in page.content()
