"""Celery tasks: adapters that load by id, call one domain function and record state."""

from celery import shared_task
from django.conf import settings

from . import documents


@shared_task(
    acks_late=True,
    soft_time_limit=settings.REFLECT_EXTRACTION_SOFT_TIME_LIMIT,
    time_limit=settings.REFLECT_EXTRACTION_SOFT_TIME_LIMIT + 30,
)
def extract_document(document_id: int) -> None:
    documents.extract_document(document_id=document_id)
