"""An accepted recommendation's paragraph is its passage's own label, never the section title above it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rightstrack.evidence.actions import upload_document
from rightstrack.recommendations.acceptors import accept_recommendation

from .test_cli_acceptor_demo import _suggestion

pytestmark = pytest.mark.django_db


def test_paragraph_is_the_passage_label_not_the_section(analyst_a, org_a, review):
    doc, _ = upload_document(
        analyst_a,
        organisation_id=org_a.pk,
        confidentiality="internal",
        upload=SimpleUploadedFile(
            "co.txt", b"Recommendations (Article 4 of the ICCPR)\n\n27. Derogate only as article 4 allows.\n"
        ),
    )
    passage = doc.passages.get(label="27")
    rec = accept_recommendation(
        analyst_a,
        _suggestion(
            passage,
            text="Derogate only as article 4 allows.",
            section="Recommendations (Article 4 of the ICCPR)",
            review_id=review.pk,
        ),
    )
    assert rec.paragraph == "27"
