"""After a form, the app only follows same-site paths (log-in and the translation form share one check)."""

from __future__ import annotations

import pytest

from watchfloor.web.common import safe_next

OFF_SITE = ["//evil.example", "/\\evil.example", "\\\\evil.example", "https://evil.example/", "http:evil.example",
            "javascript:alert(1)", "data:text/html,x", " //evil.example", "evil.example", "", None,
            "/posts\\..\\x", "HTTPS://evil.example", "//evil.example/%2F..", "mailto:a@b.c"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_off_site_targets_fall_back(target: str | None) -> None:
    assert safe_next(target, "/posts/7/translation") == "/posts/7/translation"


@pytest.mark.parametrize("target", ["/", "/posts?lang=ar", "/stories/3#post-12", "/posts/7/translation"])
def test_same_site_paths_are_kept(target: str) -> None:
    assert safe_next(target) == target
