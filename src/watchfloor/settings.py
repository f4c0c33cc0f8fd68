"""Every setting, declared once: name, default, help; the only module that reads the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

__all__ = ["Setting", "SETTINGS", "Settings", "load_settings", "database_url", "data_dir", "pairs", "media_dir",
           "cache_dir"]


@dataclass(frozen=True)
class Setting:
    """One setting: its name, default, environment variable and help text."""

    name: str
    default: str | None
    help: str

    @property
    def env(self) -> str:
        """The environment variable that sets it."""
        return "WATCHFLOOR_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("db", None, "Database: an SQLAlchemy URL or a path to an SQLite file (default: data dir)."),
    Setting("data_dir", None, "Where Watchfloor keeps its SQLite file and media (default: user data dir)."),
    Setting("story_window_hours", "72", "Posts further apart than this never join one story."),
    Setting("story_threshold", "0.5", "Score above which a post joins an existing story."),
    Setting("batch_size", "64", "Posts per pipeline batch."),
    Setting("engine", "local", "Where `watchfloor process` and the monitor run the pipeline: `local` (this process) "
            "or `dask` (a Dask distributed cluster; see docs/scale.md)."),
    Setting("dask_workers", "2", "Worker processes of the local Dask cluster the `dask` engine starts on loopback "
            "when no scheduler is given."),
    Setting("dask_threads", None, "OpenMP threads each worker of the local Dask cluster gives the models (empty: the "
            "machine's cores shared between the workers)."),
    Setting("dask_scheduler", None, "Address of an existing Dask scheduler for the `dask` engine, e.g. "
            "`tcp://10.0.0.5:8786` (its workers need Watchfloor and its models; PostgreSQL only)."),
    Setting("import_batch", "10000", "Messages per import transaction (a killed import keeps whole batches)."),
    Setting("collect_interval_minutes", "30", "How often `watchfloor run` collects a source (a source's own "
            "--interval-minutes wins)."),
    Setting("collect_backoff_max_minutes", "1440", "The longest wait of a failing source: its interval doubles "
            "after each failure in a row, up to this."),
    Setting("collect_host_delay_seconds", "2", "The least time between two requests to one host."),
    Setting("collect_timeout_seconds", "20", "How long one request may take."),
    Setting("collect_lease_seconds", "120", "How long a monitor holds the source it collects before another "
            "monitor on the database may take it (renewed every third of it while collecting; a dead "
            "monitor's sources wait this long)."),
    Setting("telegram_api_id", None, "The Telegram API id of the analyst's application (my.telegram.org)."),
    Setting("telegram_api_hash", None, "Its API hash."),
    Setting("telegram_session", None, "The Telethon session file of the analyst's account (created at first log-in)."),
    Setting("org_name", "Watchfloor", "The organisation's name on the web app's pages and feeds."),
    Setting("public_url", "http://127.0.0.1:8000", "The web app's address as readers reach it (links in e-mails)."),
    Setting("smtp_host", "localhost", "SMTP server for password-reset and alert e-mails."),
    Setting("smtp_port", "25", "Its port."),
    Setting("mail_from", "watchfloor@localhost", "The From address of e-mails."),
    Setting("webhook_secret", None, "Shared secret that signs alert webhooks (X-Watchfloor-Signature: sha256=HMAC)."),
    Setting("alert_retries", "5", "Delivery attempts of an alert before it is given up."),
    Setting("alert_backoff_seconds", "30", "Wait before the first retry of a failed alert; doubled each time."),
    Setting("session_days", "14", "How long a log-in lasts."),
    Setting("login_attempts", "5", "Failed log-ins, registrations or reset requests per address within 15 "
            "minutes before that form is refused for it."),
    Setting("client_attempts", "30", "Failed log-ins, registrations or reset requests per client (IP address) "
            "within 15 minutes before that form is refused to it."),
    Setting("translate_backend", None, "Translation back-end for languages without their own: none, "
            "ctranslate2, llamacpp, openai, libretranslate, deepl or google (default: llamacpp, the bundled gist "
            "model, when it is installed; else none)."),
    Setting("translate_by_lang", "", "Back-end per source language, e.g. `fa=llamacpp,ar=ctranslate2`."),
    Setting("translate_lease_seconds", "900", "How long a translation worker holds a queued post before another "
            "worker may take it (a worker that died on this machine is noticed at once)."),
    Setting("translate_attempts", "5", "Tries of one queued post before it is marked failed."),
    Setting("translate_retry_seconds", "60", "Wait before retrying a failed translation; doubled each time."),
    Setting("translate_queue_batch", "0", "Posts a worker claims at once (0: one for llamacpp, which takes "
            "seconds per sentence on a CPU, else the back-end's batch size)."),
    Setting("translate_ranks", "", "Override which back-end's output replaces which, e.g. `openai=4`."),
    Setting("ctranslate2_models", "", "CTranslate2 model folders per language, e.g. `ar=/m/opus-mt-ar-en,*=/m/nllb`."),
    Setting("llamacpp_model", None, "A GGUF instruct model (default: the bundled gist model, assembled once)."),
    Setting("llamacpp_threads", None, "CPU threads for llama.cpp (default: all cores)."),
    Setting("openai_url", None, "An OpenAI-compatible server's base URL, e.g. `http://127.0.0.1:8080/v1`."),
    Setting("openai_model", None, "The model the server should use (default: the first it lists)."),
    Setting("openai_api_key", None, "Bearer key for the OpenAI-compatible server, when it needs one."),
    Setting("libretranslate_url", None, "A LibreTranslate server's URL, e.g. `http://127.0.0.1:5000`."),
    Setting("libretranslate_api_key", None, "API key for the LibreTranslate server, when it needs one."),
    Setting("deepl_api_key", None, "DeepL API key; one ending in `:fx` is a free-plan key (api-free.deepl.com)."),
    Setting("deepl_url", None, "DeepL API base URL (default: https://api-free.deepl.com or https://api.deepl.com, "
            "by the key)."),
    Setting("deepl_glossary", "on", "Give DeepL a glossary of the knowledge base's names and the lexicon's terms "
            "(`on` or `off`)."),
    Setting("google_api_key", None, "Google Cloud Translation Basic (v2) API key."),
    Setting("google_project", None, "Google Cloud project for Cloud Translation Advanced (v3, with the access token)."),
    Setting("google_location", "global", "The v3 location; a glossary needs a region such as `us-central1`."),
    Setting("google_access_token", None, "OAuth bearer token for v3 (`gcloud auth print-access-token`)."),
    Setting("google_glossary", None, "A v3 glossary id in that project and location, used on every request."),
    Setting("google_url", None, "Cloud Translation base URL (default: https://translation.googleapis.com)."),
    Setting("media_download", "exports,web", "Archive media from `exports` (files in the export folder), `web` "
            "(photos on t.me/s pages), both (default) or `off`."),
    Setting("media_limits_mb", "photo=20,video=200,file=50", "Largest file archived per kind, in MB."),
    Setting("media_ocr", "on", "Read the text in archived images with Tesseract when they arrive (`on` or `off`)."),
    Setting("ocr_langs", "ara+fas+urd+pus+eng", "Tesseract languages for OCR (the installed ones are used)."),
    Setting("ocr_timeout_seconds", "60", "Longest OCR of one image."),
)


@dataclass(frozen=True)
class Settings:
    """Resolved settings: default < environment < command line."""

    values: Mapping[str, str | None]

    def get(self, name: str) -> str | None:
        """The value of a declared setting."""
        if name not in self.values:
            raise KeyError(f"unknown setting {name!r}")
        return self.values[name]

    def number(self, name: str) -> float:
        """A numeric setting."""
        value = self.get(name)
        if value is None:
            raise KeyError(f"setting {name!r} has no value")
        return float(value)


def load_settings(overrides: Mapping[str, str | None] | None = None,
                  environ: Mapping[str, str] | None = None) -> Settings:
    """Resolve every setting from its default, then the environment, then explicit overrides."""
    env = os.environ if environ is None else environ
    values: dict[str, str | None] = {}
    for setting in SETTINGS:
        values[setting.name] = env.get(setting.env, setting.default)
    for name, value in (overrides or {}).items():
        if name not in values:
            raise KeyError(f"unknown setting {name!r}")
        if value is not None:
            values[name] = value
    return Settings(values)


def data_dir(settings: Settings) -> Path:
    """The data directory, created if missing."""
    configured = settings.get("data_dir")
    path = Path(configured) if configured else Path(platformdirs.user_data_dir("watchfloor"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir(settings: Settings) -> Path:
    """Where derived files that can be rebuilt at any time live: ``<data_dir>/cache`` (not created here)."""
    configured = settings.get("data_dir")
    return (Path(configured) if configured else Path(platformdirs.user_data_dir("watchfloor"))) / "cache"


def media_dir(settings: Settings) -> Path:
    """Where archived media live: ``<data_dir>/media`` (not created here)."""
    configured = settings.get("data_dir")
    return (Path(configured) if configured else Path(platformdirs.user_data_dir("watchfloor"))) / "media"


def database_url(settings: Settings) -> str:
    """The SQLAlchemy URL: a URL as given, a file path turned into sqlite, or the default file."""
    value = settings.get("db")
    if not value:
        return "sqlite:///" + str(data_dir(settings) / "watchfloor.sqlite3")
    if "://" in value:
        return value
    return "sqlite:///" + str(Path(value).expanduser().resolve())


def pairs(value: str | None) -> dict[str, str]:
    """``key=value,key=value`` as a dict (blank items ignored)."""
    found: dict[str, str] = {}
    for item in (value or "").split(","):
        key, sep, val = item.partition("=")
        if sep and key.strip() and val.strip():
            found[key.strip()] = val.strip()
    return found
