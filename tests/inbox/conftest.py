import pytest


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
