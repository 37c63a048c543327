"""External checks against a real HTTP server on 127.0.0.1 with planted faults (nothing mocked)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

try:
    from linkcheck_support import fault_server, run_main
except ImportError:  # tests/ made a package
    from tests.linkcheck_support import fault_server, run_main

from linkcheck.fault_server import FaultServer

__all__ = ["fault_server"]  # the fixture, imported for pytest

SETTINGS = """\
[tool.check-links]
timeout = 1
connect-timeout = 1
retries = 2
backoff = 0.05
backoff-max = 0.2
retry-after-max = 2
max-body-bytes = 262144
cache-file = "cache/external.json"
cache-ttl = "1h"
{extra}
"""

# (link target path, expected kind or None for good, expected status)
CASES: list[tuple[str, str | None, int | None]] = [
    ("ok", None, None),
    ("ok#intro", None, None),
    ("ok#%E6%A2%AF%E5%BA%A6%E4%B8%8B%E9%99%8D", None, None),  # percent-encoded Unicode id
    ("ok#梯度下降", None, None),
    ("ok#legacy", None, None),  # <a name>
    ("ok/x#nope", "missing-external-anchor", 200),
    ("notfound", "http-error", 404),
    ("gone", "http-error", 410),
    ("error", "http-error", 500),
    ("flaky", None, None),  # 503 once, then 200: retried
    ("ratelimit", None, None),  # 429 + Retry-After: 1, then 200
    ("moved", "permanent-redirect", 301),
    ("moved308/y#intro", "permanent-redirect", 308),
    ("movedchain", "permanent-redirect", 301),
    ("chain", None, None),  # 302 -> 302 -> 200: fine
    ("loop", "too-many-redirects", None),
    ("slow", "timeout", None),
    ("headrefused", None, None),  # HEAD 405, GET 200
    ("headforbidden", None, None),  # HEAD 403, GET 200
    ("huge", None, None),  # endless body, never read without a fragment
    ("huge/a#top-id", None, None),  # id in the first bytes
    ("huge/b#late-id", "missing-external-anchor", 200),  # id after max-body-bytes: not read
    ("latin1#café", None, None),
    ("badbytes#ok-id", None, None),  # invalid UTF-8 must not crash the parser
    ("reset", "connection-error", None),
]


def _write_project(root: Path, server: FaultServer, cases: list[str], extra: str = "") -> None:
    (root / "docs").mkdir(parents=True)
    lines = ["# 外部链接", ""] + [f"- [链接 {i}]({server.url(path)})" for i, path in enumerate(cases)]
    (root / "docs/index.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "pyproject.toml").write_text(SETTINGS.format(extra=extra), encoding="utf-8")


def _by_line(report: list[dict[str, object]]) -> dict[int, dict[str, object]]:
    return {int(str(p["line"])): p for p in report}


def test_every_fault_is_classified_in_bounded_time(tmp_path: Path, fault_server: FaultServer) -> None:
    fault_server.reset_counts()
    _write_project(tmp_path, fault_server, [path for path, _, _ in CASES])
    started = time.monotonic()
    result = run_main(["--external", "--external-fragments", "--format", "json", "--no-cache"], tmp_path)
    elapsed = time.monotonic() - started
    assert result.code == 1, result.stderr
    found = _by_line(result.json())
    for index, (path, kind, status) in enumerate(CASES):
        line = index + 3
        if kind is None:
            assert line not in found, f"{path}: unexpected {found.get(line)}"
            continue
        assert line in found, f"{path}: not reported"
        problem = found[line]
        assert (problem["kind"], problem["status"]) == (kind, status), path
        assert (problem["file"], problem["column"]) == ("docs/index.md", 3)
    # A permanent redirect is a warning that names the new URL (with the link's fragment).
    assert str(found[14]["message"]).endswith(fault_server.url("ok"))
    assert str(found[15]["message"]).endswith(fault_server.url("ok/y#intro"))
    assert found[15]["severity"] == "warning"
    # Bounded: the slow endpoint answers after 3 s, the timeout is 1 s; Retry-After waits 1 s.
    assert elapsed < 8, elapsed
    # Each URL once per run (HEAD->GET fallbacks and retries aside), and the body of /huge never whole.
    assert fault_server.requests["HEAD /notfound"] == 1
    assert fault_server.requests["GET /notfound"] == 0
    assert fault_server.requests["HEAD /flaky"] == 2
    assert fault_server.requests["HEAD /error"] == 3  # 1 + 2 retries
    assert fault_server.requests["HEAD /headrefused"] == 1 and fault_server.requests["GET /headrefused"] == 1
    assert fault_server.requests["GET /huge"] == 0


def test_retry_after_is_honoured(tmp_path: Path, fault_server: FaultServer) -> None:
    fault_server.reset_counts()
    _write_project(tmp_path, fault_server, ["ratelimit/once"])
    started = time.monotonic()
    result = run_main(["--external", "--no-cache"], tmp_path)
    assert result.code == 0, result.stdout
    assert time.monotonic() - started >= 0.95  # waited the server's Retry-After: 1
    assert fault_server.requests["HEAD /ratelimit/once"] == 2


def test_same_url_is_requested_once(tmp_path: Path, fault_server: FaultServer) -> None:
    fault_server.reset_counts()
    _write_project(tmp_path, fault_server, ["ok/dup", "ok/dup", "ok/dup#intro", "ok/dup"])
    result = run_main(["--external", "--no-cache"], tmp_path)
    assert result.code == 0, result.stdout
    assert fault_server.total_requests == 1


def test_second_run_within_ttl_sends_no_request(tmp_path: Path, fault_server: FaultServer) -> None:
    good = ["ok/c1", "ok/c2#intro", "chain/c3", "headrefused/c4", "moved/c5", "latin1/c6#café"]
    _write_project(tmp_path, fault_server, good)
    fault_server.reset_counts()
    first = run_main(["--external", "--external-fragments", "--format", "json"], tmp_path)
    assert first.code == 0, first.stdout  # the 301 is a warning only
    assert fault_server.total_requests > 0
    assert (tmp_path / "cache/external.json").is_file()
    fault_server.reset_counts()
    second = run_main(["--external", "--external-fragments", "--format", "json"], tmp_path)
    assert fault_server.total_requests == 0
    assert second.code == 0
    assert [p["kind"] for p in second.json()] == ["permanent-redirect"]  # still reported from the cache


def test_expired_cache_and_failures_are_checked_again(tmp_path: Path, fault_server: FaultServer) -> None:
    _write_project(tmp_path, fault_server, ["ok/e1", "notfound/e2"], extra="")
    run_main(["--external"], tmp_path)
    fault_server.reset_counts()
    run_main(["--external"], tmp_path)
    assert fault_server.requests == {"HEAD /notfound/e2": 1}  # failures are never cached
    fault_server.reset_counts()
    run_main(["--external", "--cache-ttl", "0"], tmp_path)
    assert fault_server.requests["HEAD /ok/e1"] == 1


def test_per_host_accepted_status_and_excludes(tmp_path: Path, fault_server: FaultServer) -> None:
    extra = 'exclude = ["/gone"]\n[tool.check-links.accept]\n"127.0.0.1" = [403]\n'
    _write_project(tmp_path, fault_server, ["forbidden/a", "gone/b", "notfound/c"], extra=extra)
    fault_server.reset_counts()
    result = run_main(["--external", "--no-cache", "--format", "json"], tmp_path)
    assert [(p["line"], p["status"]) for p in result.json()] == [(5, 404)]
    assert fault_server.requests["HEAD /gone/b"] == 0


def test_offline_run_sends_nothing(tmp_path: Path, fault_server: FaultServer) -> None:
    _write_project(tmp_path, fault_server, ["notfound/offline"])
    fault_server.reset_counts()
    assert run_main([], tmp_path).code == 0
    assert fault_server.total_requests == 0


@pytest.mark.parametrize("fmt", ["github", "text"])
def test_external_problem_formats(tmp_path: Path, fault_server: FaultServer, fmt: str) -> None:
    _write_project(tmp_path, fault_server, ["notfound/f"])
    result = run_main(["--external", "--no-cache", "--format", fmt], tmp_path)
    assert result.code == 1
    if fmt == "github":
        assert result.stdout.startswith("::error file=docs/index.md,line=3,col=3,title=http-error::")
    else:
        assert "docs/index.md\n  3:3  error   http-error" in result.stdout
