import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(request, settings):
    """Users are made by the dozen here; a slow hasher would dominate the run. Browser tests log
    in through a separate web process, which only knows the real hashers."""
    if not request.node.get_closest_marker("browser"):
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
