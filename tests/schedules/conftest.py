import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # People are created in most tests here; hashing their passwords slowly tests nothing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
