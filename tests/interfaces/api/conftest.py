"""One application and test client for the API tests (TestClient drives the ASGI app in-process)."""

from __future__ import annotations

import warnings

import pytest
from fastapi import FastAPI

with warnings.catch_warnings():  # starlette warns that httpx is deprecated in favour of httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from allostasis.interfaces.server import create_app


@pytest.fixture(scope="session")
def app() -> FastAPI:
    return create_app()


@pytest.fixture(scope="session")
def client(app: FastAPI) -> TestClient:
    return TestClient(app, raise_server_exceptions=False)
