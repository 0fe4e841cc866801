"""The OpenAPI document declares bearer auth; interactive docs load only local assets."""

from __future__ import annotations

import re


def test_openapi_declares_bearer_auth_for_every_operation(client):
    doc = client.get("/api/openapi.json").json
    assert doc["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer",
        "description": doc["components"]["securitySchemes"]["bearerAuth"]["description"]}
    assert doc["security"] == [{"bearerAuth": []}]


def test_interactive_docs_use_no_other_host(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    refs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert refs and all(r.startswith("/api/") for r in refs), refs
    assert "http://" not in html and "https://" not in html
    for ref in refs:
        asset = client.get(ref)
        assert asset.status_code == 200, ref
        assert len(asset.get_data()) > 1000
        asset.close()
    assert client.get("/api/docs/assets/../../wsgi.py").status_code == 404
