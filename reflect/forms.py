from django import forms
from django.contrib.auth.forms import UserCreationForm

from .models import Collection, User


class SignupForm(UserCreationForm):
    class Meta:
        model = User
        fields = ["username", "email"]


class CollectionForm(forms.ModelForm):
    class Meta:
        model = Collection
        fields = ["name"]

    def __init__(self, *args, owner: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        taken = Collection.objects.filter(owner=self.owner, name=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("You already have a collection with this name.")
        return name


class DocumentSelectionForm(forms.Form):
    documents = forms.TypedMultipleChoiceField(coerce=int, choices=[])

    def __init__(self, *args, owner: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].choices = [
            (pk, title) for pk, title in owner.documents.values_list("pk", "title")
        ]
