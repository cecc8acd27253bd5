from django.conf import settings
from django.db import models
from django.urls import reverse


class Collection(models.Model):
    """A named corpus: the set of documents a reflection can be asked of."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collections"
    )
    name = models.CharField(max_length=200)
    documents = models.ManyToManyField(
        "reflect.Document", related_name="collections", blank=True
    )
    # Lets tools POST files into this collection without a login (empty: no upload URL).
    upload_secret = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "name"], name="collection_unique_name_per_owner"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("collection", args=[self.pk])
