"""Where the client finds the server and its token.

The order is the CLI's: explicit arguments, then the QLUSTER_URL and
QLUSTER_TOKEN environment variables, then the file ``qluster login`` saves,
``<user config dir>/qluster/config.json`` holding ``{"url": ..., "token": ...}``.
The user config dir is Go's os.UserConfigDir: $XDG_CONFIG_HOME or ~/.config on
Linux, ~/Library/Application Support on macOS, %AppData% on Windows.
"""

from __future__ import annotations

import json
import os
import sys

from .errors import ConfigError


def config_path() -> str:
    """config_path returns the path of the CLI's configuration file."""
    if sys.platform == "win32":
        base = os.environ.get("AppData") or os.environ.get("APPDATA")
        if not base:
            raise ConfigError("%AppData% is not set: cannot find the qluster configuration file")
    elif sys.platform == "darwin":
        base = os.path.join(os.path.expanduser("~"), "Library", "Application Support")
    else:
        base = os.environ.get("XDG_CONFIG_HOME") or ""
        if not os.path.isabs(base):
            home = os.path.expanduser("~")
            if home == "~":
                raise ConfigError("neither $XDG_CONFIG_HOME nor $HOME is set: cannot find the qluster configuration file")
            base = os.path.join(home, ".config")
    return os.path.join(base, "qluster", "config.json")


def load_config(path: str | None = None) -> dict[str, str]:
    """load_config reads the configuration file; a missing file is empty."""
    path = path or config_path()
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as e:
        raise ConfigError(f"reading {path}: {e}") from e
    if not isinstance(data, dict):
        raise ConfigError(f"reading {path}: want a JSON object")
    return {k: str(v) for k, v in data.items() if k in ("url", "token") and v}


def resolve(url: str | None, token: str | None, path: str | None = None) -> tuple[str, str]:
    """resolve returns the server URL and token from the arguments, the
    environment and the configuration file, in that order."""
    url = url or os.environ.get("QLUSTER_URL") or None
    token = token or os.environ.get("QLUSTER_TOKEN") or None
    if not url or not token:
        cfg = load_config(path)
        url = url or cfg.get("url")
        token = token or cfg.get("token")
    if not url:
        raise ConfigError("no server: pass url=, set QLUSTER_URL, or run `qluster login --url URL --token TOKEN`")
    if not token:
        raise ConfigError("no token: pass token=, set QLUSTER_TOKEN, or run `qluster login --url URL --token TOKEN`")
    return url.rstrip("/"), token
