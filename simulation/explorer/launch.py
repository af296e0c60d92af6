"""``laborshift-explore``: serve the explorer on this machine only, offline, without telemetry.

Runs ``solara run simulation.explorer.app --production`` on 127.0.0.1. Solara's
front-end (Vue app, fonts, require.js) comes from the ``solara-assets``
package, installed with the ``explorer`` extra into Solara's asset cache; the
cache's upstream is pointed at a closed local port, so a missing file is an
error on this machine and never a download. Telemetry is off.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

APP = "simulation.explorer.app"
REGIONS_ENV = "LABORSHIFT_EXPLORER_REGIONS"  # the Regions control's value when the page opens (``--regions``)
DEFAULT_PORT = 8765
# where Solara's asset proxy would fetch a file missing from its cache: a closed local port, so it never goes online
OFFLINE_CDN = "http://127.0.0.1:9/"


def offline_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment the explorer server runs in: no telemetry, assets only from the local cache."""
    env = dict(os.environ if base is None else base)
    env.update({
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
        "SOLARA_ASSETS_PROXY": "True",
        "SOLARA_ASSETS_CDN": OFFLINE_CDN,
        "SOLARA_THEME_SHOW_BANNER": "False",
        "MPLBACKEND": "Agg",
    })
    return env


def asset_cache() -> Path:
    """Solara's asset cache directory, as Solara itself resolves it (filled by the ``solara-assets`` package)."""
    from solara.server import settings

    return Path(settings.assets.proxy_cache_dir)


def server_command(host: str = "127.0.0.1", port: int = DEFAULT_PORT) -> list[str]:
    """The ``solara run`` command line of the explorer."""
    return [sys.executable, "-m", "solara", "run", APP, "--host", host, "--port", str(port), "--production", "--no-open",
            "--log-level", "warning", "--no-check-version"]  # Solara would ask the package index for its latest version


# headless Chromium for the page's test and the README screenshot: the system browser, no network of its own
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync")


def chromium_path() -> str | None:
    """The system Chromium (Debian package ``chromium``), or None; a browser is never downloaded."""
    import shutil

    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port free on ``host`` right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_server(port: int | None = None, host: str = "127.0.0.1", timeout: float = 90.0, log: Path | None = None,
                   regions: str = "none") -> Iterator[str]:
    """Start the explorer server, wait until it answers, yield its URL; stop it (and its children) on exit, in all cases.

    ``regions`` is the Regions control's value when the page opens (``laborshift-explore --regions``).

    Raises:
        RuntimeError: the server exited, or did not answer within ``timeout`` seconds (the message ends with its log).

    """
    port = free_port(host) if port is None else port
    url = f"http://{host}:{port}/"
    out = open(log, "w") if log is not None else subprocess.DEVNULL  # noqa: SIM115 - closed below
    proc = subprocess.Popen(server_command(host, port), env={**offline_env(), REGIONS_ENV: regions}, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the explorer server exited with code {proc.returncode}" + _tail(log))
            try:
                with urllib.request.urlopen(url, timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the explorer server did not answer on {url} within {timeout:.0f} s" + _tail(log))
            time.sleep(0.25)
        yield url
    finally:
        if proc.poll() is None:
            _signal_group(proc, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                _signal_group(proc, getattr(signal, "SIGKILL", signal.SIGTERM))
                proc.wait()
        if out is not subprocess.DEVNULL:
            out.close()


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    if os.name == "posix":
        os.killpg(proc.pid, sig)  # the server and any worker it started
    else:
        proc.terminate()


def _tail(log: Path | None, lines: int = 30) -> str:
    if log is None or not Path(log).exists():
        return ""
    return "; its log ends:\n" + "\n".join(Path(log).read_text(errors="replace").splitlines()[-lines:])


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"got {text!r}; allowed: an integer in [1, 65535]") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"got {value}; allowed: an integer in [1, 65535]")
    return value


def _regions(text: str) -> str:
    from ..regions import regions_names

    if text not in regions_names():
        raise argparse.ArgumentTypeError(f"got {text!r}; allowed: one of {', '.join(regions_names())}")
    return text


def main(argv: list[str] | None = None) -> int:
    """Start the explorer server (``laborshift-explore --port 8765 --regions china_us``); it runs until interrupted."""
    parser = argparse.ArgumentParser(prog="laborshift-explore", description="Interactive explorer of the model (Mesa SolaraViz), served on this machine.")
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"port to serve on (default {DEFAULT_PORT})")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    parser.add_argument("--regions", type=_regions, default="none",
                        help="the page opens with this regions config (none: one region; china_us: the two regions, docs/REGIONS.md)")
    args = parser.parse_args(argv)
    try:
        import solara  # noqa: F401
    except ImportError:
        print("laborshift-explore: solara is not installed; install the explorer extra: pip install -e '.[explorer]'", file=sys.stderr)
        return 2
    if not any(asset_cache().glob("@widgetti/*")):
        print(f"laborshift-explore: Solara's front-end assets are missing from {asset_cache()}; "
              "install the explorer extra (it brings solara-assets): pip install -e '.[explorer]'", file=sys.stderr)
        return 2
    cmd = server_command(args.host, args.port)
    env = {**offline_env(), REGIONS_ENV: args.regions}
    print(f"laborshift explorer on http://{args.host}:{args.port}  (Ctrl-C to stop)", flush=True)
    if os.name == "posix":
        os.execve(cmd[0], cmd, env)  # one process: stopping it stops the server
    try:
        return subprocess.call(cmd, env=env)
    except KeyboardInterrupt:
        return 130
