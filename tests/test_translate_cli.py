"""`watchfloor models list|install` and `watchfloor translate` as scripts use them."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from watchfloor.cli import app

ARABIC = "قال حزب الله إن الوفد وصل إلى بيروت"


def _json(*args: str) -> object:
    result = CliRunner().invoke(app, [*args, "--json"], env={"WATCHFLOOR_TRANSLATE_BACKEND": "none"},
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_models_list_shows_every_backend_and_why_one_is_not_usable() -> None:
    listed = _json("models", "list")
    assert isinstance(listed, list)
    by_name = {b["name"]: b for b in listed}
    assert set(by_name) == {"none", "ctranslate2", "llamacpp", "openai", "libretranslate", "deepl", "google"}
    assert not by_name["deepl"]["usable"] and "WATCHFLOOR_DEEPL_API_KEY" in by_name["deepl"]["reason"]
    assert not by_name["google"]["usable"] and "WATCHFLOOR_GOOGLE_API_KEY" in by_name["google"]["reason"]
    assert by_name["none"]["usable"] and by_name["none"]["configured_for"] == ["*"]
    assert not by_name["openai"]["usable"] and "WATCHFLOOR_OPENAI_URL" in by_name["openai"]["reason"]
    assert not by_name["ctranslate2"]["usable"] and by_name["ctranslate2"]["reason"]
    assert by_name["llamacpp"]["label"] == "machine gist (LLM)"


def test_translate_one_text_with_the_none_backend_glosses_known_names() -> None:
    result = _json("translate", ARABIC)
    assert isinstance(result, dict)
    assert result["source_lang"] == "ar" and result["backend"] == "none"
    assert "حزب الله [Hezbollah]" in result["text_en"] and "بيروت [Beirut]" in result["text_en"]
    assert result["label"].startswith("original with English glosses")


def test_unknown_backend_and_unknown_model_are_one_line_errors() -> None:
    runner = CliRunner()
    bad = runner.invoke(app, ["translate", ARABIC, "--backend", "babelfish"])
    assert bad.exit_code == 1 and "no translation back-end 'babelfish'" in bad.stderr
    missing = runner.invoke(app, ["models", "install", "no-such-model"])
    assert missing.exit_code == 1 and "no installable model" in missing.stderr
