"""Rate limit: token buckets per key or IP on policy search, 429 with Retry-After, refill over time."""

from __future__ import annotations

from fastapi.testclient import TestClient

from service.app import create_app
from service.ratelimit import TokenBuckets, retry_after
from tests.unit.service.conftest import bearer


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_bucket_allows_a_burst_then_refills_at_the_rate():
    clock = Clock()
    buckets = TokenBuckets(60, 3, clock=clock)  # one token per second, three at once
    assert [buckets.take("ip:1") for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = buckets.take("ip:1")
    assert 0.9 < wait <= 1.0 and retry_after(wait) == "1"
    assert buckets.take("ip:2") == 0.0  # another client has its own bucket
    clock.now += 1.0
    assert buckets.take("ip:1") == 0.0
    assert buckets.take("ip:1") > 0
    clock.now += 100
    assert [buckets.take("ip:1") for _ in range(4)][:3] == [0.0, 0.0, 0.0]  # never more than the burst


def test_zero_rate_disables_the_limit_and_old_clients_are_forgotten():
    assert TokenBuckets(0, 1).take("x") == 0.0 and not TokenBuckets(0, 1).enabled
    buckets = TokenBuckets(1, 1, max_clients=2)
    for client in ("a", "b", "c"):
        buckets.take(client)
    assert len(buckets._buckets) == 2


def test_policy_search_answers_429_with_retry_after_per_client(settings, services, api_keys):
    limited = settings.model_copy(update={"rate_limit_per_minute": 6, "rate_limit_burst": 2})
    with TestClient(create_app(limited, services)) as c:
        codes = [c.get("/v1/policies/search", params={"q": "新能源"}).status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        refused = c.post("/v1/policies/search", json={"q": "新能源"})
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
        assert refused.json()["error"]["code"] == "rate_limited"
        page = c.get("/policies", params={"q": "新能源"})
        assert page.status_code == 429 and "Retry-After" in page.headers and "too many" in page.text
        # a key has its own bucket, apart from the anonymous client's IP
        keyed = [c.get("/v1/policies/search", params={"q": "新能源"}, headers=bearer(api_keys["public"])).status_code
                 for _ in range(3)]
        assert keyed == [200, 200, 429]
        assert c.get("/v1/leads", headers=bearer(api_keys["platform"])).status_code == 200  # only search is limited
