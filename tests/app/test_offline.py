"""Offline: every command, and the app, work on a machine with no network at all.

Each runs in a subprocess whose `sitecustomize` (first on PYTHONPATH) makes every way out fail:
`socket.connect`, `create_connection`, `getaddrinfo` and friends raise, and each attempt is logged,
so a test fails both if a command breaks offline and if it so much as tries to connect.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import NO_SEED, ROOT, SEED, copy_samples

SAMPLES = ROOT / "samples" / "2023"

SITECUSTOMIZE = '''
"""Installed by tests/test_offline.py: no network for this process."""
import os
import socket

_LOG = os.environ["ZIPIN_NET_LOG"]


def _blocked(name):
    def blocked(*args, **kwargs):
        with open(_LOG, "a", encoding="utf-8") as log:
            log.write(f"{name}{args[1:] if name.startswith('socket.') else args}\\n")
        raise OSError(101, f"network disabled by the offline test ({name})")
    return blocked


for _name in ("connect", "connect_ex", "sendto", "sendmsg"):
    setattr(socket.socket, _name, _blocked(f"socket.{_name}"))
for _name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex",
              "gethostbyaddr", "getnameinfo"):
    setattr(socket, _name, _blocked(_name))
'''


@pytest.fixture
def offline(tmp_path):
    """Run `zipin ARGS...` (or `python -c CODE`) with the network made to fail."""
    site = tmp_path / "offline-site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    log = tmp_path / "network-attempts.log"
    env = {**os.environ, "PYTHONPATH": str(site), "ZIPIN_NET_LOG": str(log),
           "NO_COLOR": "1", "TERM": "dumb"}
    env.pop("PYTHONSTARTUP", None)

    def run(*args: str, code: str | None = None, expect: int = 0, timeout: float = 120):
        argv = [sys.executable, "-c", code] if code else [sys.executable, "-m", "tui", *args]
        result = subprocess.run(argv, capture_output=True, text=True, encoding="utf-8",
                                errors="replace", env=env, cwd=tmp_path, timeout=timeout)
        attempts = log.read_text(encoding="utf-8") if log.exists() else ""
        assert result.returncode == expect, (
            f"{' '.join(args) or 'python -c'} exited {result.returncode}:\n{result.stdout[-2000:]}"
            f"\n{result.stderr[-4000:]}")
        assert "Traceback" not in result.stderr, result.stderr
        assert not attempts, f"tried to reach the network: {attempts}"
        return result

    run.log = log
    return run


def _have(command: str) -> bool:
    return (ROOT / "tui" / "commands" / f"{command}.py").exists()


def _needs(command: str):
    return pytest.mark.skipif(not _have(command), reason=f"tui/commands/{command}.py has not landed")


@pytest.fixture
def folder(tmp_path) -> Path:
    return copy_samples(tmp_path / "records")


def test_the_network_really_is_off(offline):
    code = "import socket; socket.create_connection(('example.invalid', 80), timeout=1)"
    with pytest.raises(AssertionError, match="network disabled by the offline test"):
        offline(code=code)
    assert "create_connection" in offline.log.read_text(encoding="utf-8")


def test_help_and_version(offline):
    assert "check" in offline("--help").stdout
    assert "zipin" in offline("--version").stdout


def test_check(offline, folder):
    out = offline("check", str(folder)).stdout
    assert "共 12 个文件" in out
    offline("check", "--json", str(folder / "01-残疾人基本保障和帮扶经费.toml"))


@_needs("render")
def test_render(offline, folder, tmp_path):
    record = str(folder / "01-残疾人基本保障和帮扶经费.toml")
    assert "残疾人基本保障和帮扶经费" in offline("render", record, "--width", "120").stdout
    offline("render", record, "--format", "html", "-o", str(tmp_path / "form.html"))
    offline("render", record, "--format", "svg", "-o", str(tmp_path / "form.svg"))
    offline("render", str(folder), "--ascii", "-o", str(tmp_path / "all.txt"))
    assert (tmp_path / "form.html").stat().st_size and (tmp_path / "all.txt").stat().st_size


@_needs("export")
@_needs("import_")
def test_export_then_import(offline, folder, tmp_path):
    bundle = tmp_path / "包.toml"
    offline("export", str(folder), "-o", str(bundle), "--made-by", "测试")
    target = tmp_path / "received"
    offline("import", str(bundle), str(target), "--dry-run")
    offline("import", str(bundle), str(target))
    assert len(list(target.glob("*.toml"))) == 12
    assert "共 12 个文件" in offline("check", str(target)).stdout


@_needs("import_text")
@pytest.mark.skipif(not SEED.is_file(), reason=NO_SEED)
def test_import_text(offline, tmp_path):
    target = tmp_path / "imported"
    offline("import-text", str(SEED), str(target), "--year", "2023")
    assert len(list(target.glob("*.toml"))) == 12
    offline("check", str(target))


APP_SCRIPT = r'''
import asyncio, sys
from tui.ui.app import ZipinApp

async def main(folder):
    app = ZipinApp(folder)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        for key in ("down", "down", "tab", "tab", "up"):
            await pilot.press(key)
        await pilot.pause()
    print("app ran")

asyncio.run(main(sys.argv[1]))
'''


@pytest.mark.skipif(not (ROOT / "tui" / "ui" / "app.py").exists(), reason="tui/ui/app.py has not landed")
def test_app_starts_and_takes_keys_headless(offline, folder):
    result = offline(code=APP_SCRIPT.replace("sys.argv[1]", repr(str(folder))))
    assert "app ran" in result.stdout
