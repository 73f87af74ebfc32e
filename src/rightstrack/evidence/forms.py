from django import forms
from django.utils.translation import gettext_lazy as _

from rightstrack.core.forms import OrganisationChoiceMixin, limit_confidentiality
from rightstrack.core.models import Confidentiality

from .models import SourceDocument


class UploadForm(OrganisationChoiceMixin, forms.Form):
    file = forms.FileField(label=_("File (PDF, DOCX, HTML, TXT, Markdown)"))
    title = forms.CharField(label=_("Title"), max_length=500, required=False)
    document_date = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    publisher = forms.CharField(label=_("Publisher"), max_length=300, required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", "—"), ("en", "English"), ("ru", "Русский"), ("kk", "Қазақша")],
    )
    symbol = forms.CharField(label=_("Document symbol"), max_length=120, required=False)
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"), choices=Confidentiality.choices, initial=Confidentiality.INTERNAL
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_organisation_field(user)
        limit_confidentiality(self, user)
        self.order_fields(["file", "organisation"])


class DocumentForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = SourceDocument
        fields = list(SourceDocument.EDITABLE_FIELDS)
        widgets = {"document_date": forms.DateInput(attrs={"type": "date"})}
