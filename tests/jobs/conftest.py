"""Fixtures of the background-job tests: a Redis queue of each test's own."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


@pytest.fixture
def rq_queue(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """A Redis queue of this test's own (HOSHIN_JOB_QUEUE and _NAME set), removed afterwards."""
    import uuid

    from redis import Redis

    url = "redis://127.0.0.1:6379/0"
    try:
        Redis.from_url(url).ping()
    except Exception:
        if os.environ.get("CI"):
            pytest.fail("CI must run the queue tests: no Redis server at 127.0.0.1:6379")
        pytest.skip("no Redis server at 127.0.0.1:6379")
    env = {"HOSHIN_JOB_QUEUE": url, "HOSHIN_JOB_QUEUE_NAME": f"hoshin-test-{uuid.uuid4().hex[:8]}"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    yield env
    from rq import Queue

    # Remove what this queue left in the shared Redis: its jobs, registries and worker records.
    name = env["HOSHIN_JOB_QUEUE_NAME"]
    redis = Redis.from_url(url)
    queue = Queue(name, connection=redis)
    ids = set(queue.job_ids)
    for registry in (queue.started_job_registry, queue.failed_job_registry, queue.finished_job_registry):
        ids.update(registry.get_job_ids())
    for job_id in ids:
        executions = [*redis.scan_iter(f"rq:execution:{job_id}:*"), f"rq:executions:{job_id}"]
        redis.delete(f"rq:job:{job_id}", f"rq:results:{job_id}", *executions)
    for key in list(redis.scan_iter(f"rq:*{name}*")):
        redis.delete(key)
