import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # People are created in most tests here; hashing their passwords slowly tests nothing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def inbox(settings, tmp_path):
    """An empty inbox folder the scan uses; files are taken as soon as they are dropped."""
    settings.REFLECT_INBOX_DIR = tmp_path / "inbox"
    settings.REFLECT_INBOX_SETTLE_SECONDS = 0
    return settings.REFLECT_INBOX_DIR


def drop(folder, name: str, data: bytes):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return folder / name
