"""The explorer makes no outbound connection: every socket it opens or name it resolves is local.

The server runs with an audit hook (a ``sitecustomize`` module on its path) that
records every ``socket.connect`` and ``socket.getaddrinfo``; the page is fetched,
and the record must hold nothing outside 127.0.0.0/8, ::1 and localhost.
"""

from __future__ import annotations

import ipaddress
import json
import time
import urllib.request

import pytest

pytest.importorskip("solara", reason="the explorer extra is not installed")

from simulation.explorer.launch import running_server  # noqa: E402

HOOK = '''
import json, os, sys

_log = os.environ.get("LABORSHIFT_SOCKET_LOG")

def _hook(event, args):
    if _log and event in ("socket.connect", "socket.getaddrinfo"):
        target = args[1] if event == "socket.connect" else args[0]
        if isinstance(target, tuple):
            target = target[0]
        if isinstance(target, bytes):
            target = target.decode(errors="replace")
        with open(_log, "a") as f:
            f.write(json.dumps([event, str(target)]) + "\\n")

sys.addaudithook(_hook)
if _log:
    with open(_log, "a") as f:
        f.write(json.dumps(["loaded", "localhost"]) + "\\n")
'''


def _local(target: str) -> bool:
    if target in ("localhost", "") or target.startswith("/"):  # a name that stays local, or a Unix socket path
        return True
    try:
        return ipaddress.ip_address(target).is_loopback
    except ValueError:
        return False


def test_explorer_server_opens_no_outbound_socket(tmp_path, monkeypatch):
    (tmp_path / "hook").mkdir()
    (tmp_path / "hook" / "sitecustomize.py").write_text(HOOK)
    log = tmp_path / "sockets.jsonl"
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "hook"))
    monkeypatch.setenv("LABORSHIFT_SOCKET_LOG", str(log))
    with running_server(timeout=120) as url:
        with urllib.request.urlopen(url, timeout=10) as resp:
            assert resp.status == 200
        time.sleep(3)  # anything started in the background at start-up (a version check) has had time to connect
    events = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    assert ["loaded", "localhost"] in events, "the audit hook did not load in the server, so the test proves nothing"
    outside = sorted({f"{event} {target}" for event, target in events if not _local(target)})
    assert not outside, f"the explorer tried to reach outside this machine: {outside}"
