from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest

from aaas.api import ConsoleServer
from tests.unit.api.fakes import FakeOperator


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: Any


class Client:
    """A raw HTTP client, so tests can send what a well-behaved library would refuse to."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port

    def request(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
                raw: bytes | None = None) -> Reply:
        headers = dict(headers or {})
        payload = raw
        if body is not None:
            payload = json.dumps(body).encode()
        if payload is not None:
            headers.setdefault("Content-Type", "application/json")
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.request(method, path, body=payload, headers=headers)
            response = conn.getresponse()
            data = response.read()
            content_type = response.getheader("Content-Type", "")
            parsed = json.loads(data) if data and content_type.startswith("application/json") else data
            return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, parsed)
        finally:
            conn.close()

    def get(self, path: str, **kw) -> Reply:
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw) -> Reply:
        return self.request("POST", path, body=body, **kw)


@pytest.fixture
def operator() -> FakeOperator:
    return FakeOperator()


@pytest.fixture
def server(operator) -> Iterator[ConsoleServer]:
    with ConsoleServer(operator, default_actor="tester") as console:
        yield console


@pytest.fixture
def client(server) -> Client:
    return Client(server.url)
