"""Shared by the web tests: apps over the bundled base and over hand-made evidence (no mocks of our database)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from skinevidence.evidence.database import Database
from skinevidence.web import create_app


def client_for(database: Database, raise_server_exceptions: bool = True) -> TestClient:
    return TestClient(create_app(database), raise_server_exceptions=raise_server_exceptions)


def hand_made(evidence, tmp_path) -> Database:
    """A file database compiled from the hand-made evidence folder a test has filled."""
    return Database.open(tmp_path / "web.sqlite", evidence.root)
