"""External ``http(s)`` checks with aiohttp: limits, timeouts, retries, redirects, fragments, cache.

Each URL (without its fragment) is requested once per run. HEAD comes first; GET follows when HEAD is
refused, or straight away when a fragment must be looked up in the page. Redirects are followed by hand
so that loops are caught and permanent moves (301/308) are reported with the new URL. Bodies are only
read when ids are needed, and then only up to ``max-body-bytes``.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import urljoin, urlsplit

import aiohttp

from .cache import CachedResult, ResultCache
from .html_pages import page_ids
from .models import Kind
from .settings import Settings

HEAD_REFUSED = frozenset({400, 403, 405, 501})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
RETRY_AFTER_STATUSES = frozenset({429, 503})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_THREAD_PARSE_BYTES = 256 * 1024


@dataclass
class ExternalResult:
    """Outcome for one URL. ``kind`` is None when it is good (a permanent redirect is still good)."""

    url: str
    kind: Kind | None
    status: int | None
    message: str
    final_url: str
    permanent_url: str | None = None
    permanent_status: int | None = None
    ids: set[str] | None = None
    from_cache: bool = False
    requests: int = 0


@dataclass
class _Response:
    status: int
    final_url: str
    permanent_url: str | None
    ids: set[str] | None
    retry_after: float | None
    reason: str
    permanent_status: int | None = None


@dataclass
class _Failure:
    kind: Kind
    message: str
    retry: str | None  # "connection", "timeout" or None (do not retry)


def _status_text(status: int, reason: str | None) -> str:
    if not reason:
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = ""
    return f"HTTP {status} {reason}".strip()


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


class ExternalChecker:
    def __init__(
        self,
        settings: Settings,
        cache: ResultCache,
        on_done: Callable[[ExternalResult], None] | None = None,
    ) -> None:
        self.settings = settings
        self.cache = cache
        self.on_done = on_done
        self._host_limits: dict[str, asyncio.Semaphore] = {}
        self._global_limit: asyncio.Semaphore | None = None
        self._session: aiohttp.ClientSession | None = None
        self.request_count = 0

    def run(self, urls: dict[str, bool]) -> dict[str, ExternalResult]:
        """Check every URL (value: whether its page ids are needed). Blocks until all are done."""
        if not urls:
            return {}
        results = asyncio.run(self._run_all(urls))
        self.cache.save()
        return results

    async def _run_all(self, urls: dict[str, bool]) -> dict[str, ExternalResult]:
        s = self.settings
        self._global_limit = asyncio.Semaphore(s.max_concurrency)
        connector = aiohttp.TCPConnector(
            limit=s.max_concurrency, limit_per_host=s.max_per_host, ttl_dns_cache=300, force_close=False
        )
        timeout = aiohttp.ClientTimeout(
            total=s.connect_timeout + 3 * s.timeout, sock_connect=s.connect_timeout, sock_read=s.timeout
        )
        headers = {"User-Agent": s.user_agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
        async with aiohttp.ClientSession(
            connector=connector, timeout=timeout, headers=headers, cookie_jar=aiohttp.DummyCookieJar()
        ) as session:
            self._session = session
            ordered = sorted(urls)
            outcomes = await asyncio.gather(*(self._check(url, urls[url]) for url in ordered))
        return dict(zip(ordered, outcomes, strict=True))

    # -- one URL -----------------------------------------------------------------------------------
    async def _check(self, url: str, need_ids: bool) -> ExternalResult:
        cached = self.cache.get(url, need_ids)
        if cached is not None:
            result = self._from_cache(url, cached)
        else:
            result = await self._check_live(url, need_ids)
            if result.kind is None and result.status is not None:
                self.cache.put(
                    url,
                    CachedResult(
                        checked_at=time.time(),
                        status=result.status,
                        final_url=result.final_url,
                        permanent_url=result.permanent_url,
                        permanent_status=result.permanent_status,
                        ids=sorted(result.ids) if result.ids is not None else None,
                    ),
                )
        if self.on_done is not None:
            self.on_done(result)
        return result

    @staticmethod
    def _from_cache(url: str, cached: CachedResult) -> ExternalResult:
        return ExternalResult(
            url=url,
            kind=None,
            status=cached.status,
            message=f"{_status_text(cached.status, None)} (cached)",
            final_url=cached.final_url,
            permanent_url=cached.permanent_url,
            permanent_status=cached.permanent_status,
            ids=set(cached.ids) if cached.ids is not None else None,
            from_cache=True,
        )

    async def _check_live(self, url: str, need_ids: bool) -> ExternalResult:
        s = self.settings
        method = "GET" if need_ids else "HEAD"
        host = (urlsplit(url).hostname or "").lower()
        retries = timeouts = 0
        requests = 0
        while True:
            outcome = await self._fetch(url, method, need_ids)
            requests += 1
            if isinstance(outcome, _Response):
                status = outcome.status
                if method == "HEAD" and status in HEAD_REFUSED:
                    method = "GET"
                    continue
                if status in RETRY_STATUSES and retries < s.retries and not s.accepted(host, status):
                    delay = self._backoff(retries)
                    if status in RETRY_AFTER_STATUSES and outcome.retry_after is not None:
                        delay = min(outcome.retry_after, s.retry_after_max)
                    retries += 1
                    await asyncio.sleep(delay)
                    continue
                return self._evaluate(url, host, outcome, requests)
            if outcome.retry == "timeout" and timeouts < s.timeout_retries:
                timeouts += 1
                await asyncio.sleep(self._backoff(timeouts - 1))
                continue
            if outcome.retry == "connection" and retries < s.retries:
                retries += 1
                await asyncio.sleep(self._backoff(retries - 1))
                continue
            return ExternalResult(url, outcome.kind, None, outcome.message, url, requests=requests)

    def _backoff(self, attempt: int) -> float:
        base = self.settings.backoff
        return min(self.settings.backoff_max, base * (2**attempt)) + random.uniform(0, base)

    def _evaluate(self, url: str, host: str, response: _Response, requests: int) -> ExternalResult:
        status = response.status
        if not self.settings.accepted(host, status):
            message = _status_text(status, response.reason)
            if response.final_url != url:
                message += f" (after redirects to {response.final_url})"
            return ExternalResult(url, Kind.HTTP_ERROR, status, message, response.final_url, requests=requests)
        return ExternalResult(
            url,
            None,
            status,
            _status_text(status, response.reason),
            response.final_url,
            permanent_url=response.permanent_url,
            permanent_status=response.permanent_status,
            ids=response.ids,
            requests=requests,
        )

    # -- one request chain -------------------------------------------------------------------------
    def _host_limit(self, url: str) -> asyncio.Semaphore:
        key = urlsplit(url).netloc.lower()
        limit = self._host_limits.get(key)
        if limit is None:
            limit = self._host_limits[key] = asyncio.Semaphore(self.settings.max_per_host)
        return limit

    async def _fetch(self, url: str, method: str, need_ids: bool) -> _Response | _Failure:
        s = self.settings
        current = url
        visited = [url]
        permanent_url: str | None = None
        permanent_status: int | None = None
        only_permanent = True
        for _ in range(s.max_redirects + 1):
            try:
                answer = await self._request(current, method, need_ids)
            except (aiohttp.ConnectionTimeoutError, aiohttp.ServerTimeoutError, TimeoutError) as exc:
                what = "connecting" if isinstance(exc, aiohttp.ConnectionTimeoutError) else "waiting for a response"
                limit = s.connect_timeout if "connecting" in what else s.timeout
                return _Failure(Kind.TIMEOUT, f"timed out {what} from {current} (after {limit:g} s)", "timeout")
            except aiohttp.InvalidURL as exc:
                return _Failure(Kind.MALFORMED_URL, f"invalid URL: {exc}", None)
            except (aiohttp.ClientError, OSError, ValueError) as exc:
                detail = str(exc) or type(exc).__name__
                return _Failure(Kind.CONNECTION_ERROR, f"{type(exc).__name__}: {detail}", "connection")
            if isinstance(answer, _Response):
                answer.permanent_url, answer.permanent_status = permanent_url, permanent_status
                return answer
            status, location = answer
            next_url = urljoin(current, location)
            if urlsplit(next_url).scheme not in ("http", "https"):
                return _Response(status, current, permanent_url, None, None, f"redirect to {next_url}")
            if status in PERMANENT_REDIRECTS and only_permanent:
                permanent_url = next_url
                permanent_status = permanent_status or status
            else:
                only_permanent = False
            if next_url in visited:
                chain = " -> ".join([*visited[visited.index(next_url) :], next_url])
                return _Failure(Kind.TOO_MANY_REDIRECTS, f"redirect loop: {chain}", None)
            visited.append(next_url)
            current = next_url
        return _Failure(Kind.TOO_MANY_REDIRECTS, f"more than {s.max_redirects} redirects from {url}", None)

    async def _request(self, url: str, method: str, need_ids: bool) -> _Response | tuple[int, str]:
        """One HTTP request; a redirect comes back as ``(status, location)``."""
        assert self._session is not None and self._global_limit is not None
        async with self._host_limit(url), self._global_limit:
            self.request_count += 1
            async with self._session.request(method, url, allow_redirects=False) as response:
                status = response.status
                location = response.headers.get("Location")
                if status in REDIRECT_STATUSES and location:
                    response.close()
                    return status, location
                ids: set[str] | None = None
                content_type = response.headers.get("Content-Type", "").lower()
                if need_ids and method == "GET" and 200 <= status < 300 and content_type.startswith(_HTML_TYPES):
                    body = await self._read_limited(response)
                    if len(body) > _THREAD_PARSE_BYTES:
                        ids = await asyncio.to_thread(page_ids, body, response.charset)
                    else:
                        ids = page_ids(body, response.charset)
                else:
                    response.close()  # never download a body nobody reads
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                return _Response(status, str(response.url), None, ids, retry_after, response.reason or "")

    async def _read_limited(self, response: aiohttp.ClientResponse) -> bytes:
        limit = self.settings.max_body_bytes
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.content.iter_chunked(64 * 1024):
            chunks.append(chunk)
            size += len(chunk)
            if size >= limit:
                response.close()
                break
        return b"".join(chunks)[:limit]
