"""What DEBUG's error page (and error e-mails) may show of the settings.

Django already hides settings named like API, KEY, SECRET, PASS or TOKEN. Connection URLs
carry credentials too (redis://:password@host, postgres://user:password@host), so every
setting whose name mentions a URL is hidden as well.
"""

import re

from django.views.debug import SafeExceptionReporterFilter


class CredentialsFilter(SafeExceptionReporterFilter):
    hidden_settings = re.compile(
        "API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|URL|DSN|DATABASES", flags=re.I
    )
