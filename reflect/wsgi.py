import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reflect.settings")

application = get_wsgi_application()
if settings.DEBUG:
    # Development only (`make run` under gunicorn): serve static files, as runserver does.
    from django.contrib.staticfiles.handlers import StaticFilesHandler

    application = StaticFilesHandler(application)
