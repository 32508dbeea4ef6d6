import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from qlserver import Server  # noqa: E402


@pytest.fixture(scope="session")
def server():
    """server is one `qluster serve` shared by the session's tests."""
    s = Server()
    yield s
    s.stop()
