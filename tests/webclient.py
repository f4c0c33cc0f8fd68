"""A reader of the live web app over real HTTP: logs in through the forms as a person would."""

from __future__ import annotations

import re
from typing import Any

import httpx

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


class Reader:
    """One browser-like HTTP client (cookies kept) against a LiveServer URL."""

    def __init__(self, base_url: str, api_key: str | None = None) -> None:
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.http = httpx.Client(base_url=base_url, follow_redirects=True, headers=headers, timeout=20)

    def csrf(self, path: str = "/login") -> str:
        match = CSRF.search(self.http.get(path).text)
        assert match, f"no CSRF field on {path}"
        return match.group(1)

    def post_form(self, path: str, data: dict[str, str], form_page: str = "/login") -> httpx.Response:
        return self.http.post(path, data={"csrf": self.csrf(form_page), **data})

    def login(self, email: str, password: str) -> httpx.Response:
        response = self.post_form("/login", {"email": email, "password": password, "next": "/"})
        assert response.status_code == 200 and "Log out" in response.text, response.text[:400]
        return response

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.get(path, **kwargs)

    def close(self) -> None:
        self.http.close()
