"""Idea submission under concurrent clients: p95 latency of POST /api/v1/ideas (target < 200 ms, 0 errors).

Usage:  python bench/bench_load.py [--clients 50] [--seconds 20] [--per-client N] [--ramp S]
                                   [--embedder minilm|hashing] [--db postgresql+psycopg://...]
                                   [--profile 30] [--contend N]

It loads the demo organisation into a fresh SQLite database in a temporary folder (or, with --db,
into that database, replacing its demo organisation), starts `hoshin serve` on a free port as a
subprocess, gets a bearer token as the demo contributor, sends one warm-up idea (the model loads on
the first request) and then lets `--clients` concurrent httpx.AsyncClient loops submit ideas for
`--seconds` (or until each has sent `--per-client`). Every submission is a full request: the idea is
stored and, as `service/corridor.py` does on arrival, scored against the mission.

It prints the count, errors, p50/p95/p99 latency and throughput, and exits 0 whether or not the
target is met (it reports; only a broken set-up exits non-zero). With `--profile K` (or on its own
when p95 is over twice the target) it then sends K more ideas in this process through the same app
under cProfile and prints where the time goes. The last line, RESULT {...}, is for bench/run_all.py.
The clients run on the same machine as the server, so on 2 cores they take CPU from it too.

`--contend N` runs N busy loops (plain Python processes at the server's priority) from the warm-up
to the end of the timed run: a machine whose cores other people's work shares, or a slower one,
made on demand. With N equal to the cores, every core is shared with one loop.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import random
import re
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_triage_throughput import hoshin_executable, idea_texts, report, scratch_dir  # noqa: E402

TARGET_P95_MS = 200.0
USER, PASSWORD = "contributor", "demo-contributor"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def load_demo(env: dict[str, str], url: str, replace: bool) -> None:
    command = [hoshin_executable(), "demo", "--db", url] + (["--replace"] if replace else [])
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"hoshin demo failed ({done.returncode}): {done.stderr.strip()[-2000:]}")


def start_server(
    env: dict[str, str], url: str, port: int, log: Path, workers: int | None = None
) -> subprocess.Popen[bytes]:
    """`hoshin serve` with `workers` processes (None: its default), once it answers /health."""
    import httpx

    handle = log.open("wb")
    chosen = [] if workers is None else ["--workers", str(workers)]
    server = subprocess.Popen(
        [hoshin_executable(), "serve", "--port", str(port), "--db", url, *chosen],
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"hoshin serve exited ({server.returncode}):\n{log.read_text()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    server.terminate()
    raise SystemExit(f"hoshin serve did not answer /health within 120 s:\n{log.read_text()[-2000:]}")


def served_workers(log: Path) -> int:
    """How many worker processes `hoshin serve` said it started (0 if it did not say)."""
    found = re.search(r"with (\d+) worker process", log.read_text(errors="replace"))
    return int(found.group(1)) if found else 0


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds used so far by a process and its descendants (the server's
    workers), all threads, read from Linux's /proc."""
    stats: dict[int, tuple[int, float]] = {}  # pid -> (parent, cpu seconds)
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    tree, total = {pid}, 0.0
    changed = True
    while changed:
        changed = False
        for child, (parent, _) in stats.items():
            if parent in tree and child not in tree:
                tree.add(child)
                changed = True
    for member in tree:
        total += stats.get(member, (0, 0.0))[1]
    return total


def start_busy_loops(count: int) -> list[subprocess.Popen[bytes]]:
    """`count` processes that only burn CPU, at the default priority, until stopped."""
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]


def stop_busy_loops(loops: list[subprocess.Popen[bytes]]) -> float:
    """Stop the loops (and forget them: a second call does nothing); the CPU seconds they got,
    which the machine did not give the server."""
    used = sum(process_cpu_seconds(loop.pid) for loop in loops)
    while loops:
        loop = loops.pop()
        loop.kill()
        loop.wait()
    return used


def machine_busy_seconds() -> float:
    """CPU seconds every core of this machine has spent busy so far (user, system, interrupts:
    all but idle and I/O wait), from Linux's /proc/stat. Over a run this also counts what the
    database server and anything else on the machine used: on 2 cores that is the whole bill."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def get_token(base: str) -> str:
    import httpx

    answer = httpx.post(
        f"{base}/api/v1/auth/token", json={"username": USER, "password": PASSWORD}, timeout=30
    )
    if answer.status_code != 200:
        raise SystemExit(f"cannot log in as {USER}: {answer.status_code} {answer.text[:500]}")
    return str(answer.json()["token"])


def idea_body(prefix: str, n: int, text: str) -> dict[str, str]:
    return {"id": f"{prefix}-{n}", "text": text, "source": "employee"}


async def hammer(
    base: str,
    token: str,
    texts: list[str],
    prefix: str,
    clients: int,
    seconds: float,
    per_client: int | None,
    think: float = 0.0,
    dashboard_share: float = 0.0,
    ramp: float = 0.0,
) -> tuple[dict[str, list[float]], list[str], float]:
    """Latencies (s) of the successful requests by kind ("idea", "dashboard"), one line per
    failure, and the wall seconds.

    Each client sends a request, waits for the answer, pauses `think` seconds (a person reading it;
    0 is a closed loop, every client always waiting on the server) and goes again. A share
    `dashboard_share` of the requests (every k-th, deterministic) loads the dashboard's numbers
    instead of submitting an idea. Client k of n sends its first request `ramp * k / n` seconds
    after the start, so the clients arrive spread out, as people do, rather than all in the
    same millisecond (0: all at once, a burst of `clients` requests).
    """
    import httpx

    latencies: dict[str, list[float]] = {"idea": [], "dashboard": []}
    errors: list[str] = []
    counter = iter(range(10**9))
    every = round(1 / dashboard_share) if dashboard_share > 0 else 0
    # A pooled connection is let go before the server's own keep-alive timeout (uvicorn: 5 s):
    # reusing one the server is closing at that moment fails on the client, not in the server.
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients, keepalive_expiry=4.0)
    headers = {"Authorization": f"Bearer {token}"}
    deadline = time.perf_counter() + seconds

    async def client(http: httpx.AsyncClient, delay: float) -> None:
        sent = 0
        await asyncio.sleep(delay)
        while time.perf_counter() < deadline and (per_client is None or sent < per_client):
            n = next(counter)
            kind = "dashboard" if every and n % every == every - 1 else "idea"
            started = time.perf_counter()
            try:
                if kind == "idea":
                    answer = await http.post(
                        f"{base}/api/v1/ideas", json=idea_body(prefix, n, texts[n % len(texts)])
                    )
                else:
                    answer = await http.get(f"{base}/api/v1/dashboard")
            except httpx.HTTPError as exc:
                errors.append(f"{kind}: {type(exc).__name__}: {exc}")
            else:
                if answer.status_code in (200, 201):
                    latencies[kind].append(time.perf_counter() - started)
                else:
                    errors.append(f"{kind}: HTTP {answer.status_code}: {answer.text[:200]}")
            sent += 1
            if think > 0:
                await asyncio.sleep(think)

    async with httpx.AsyncClient(limits=limits, headers=headers, timeout=120) as http:
        started = time.perf_counter()
        await asyncio.gather(*(client(http, ramp * k / clients) for k in range(clients)))
        wall = time.perf_counter() - started
    return latencies, errors, wall


def profile_requests(url: str, texts: list[str], prefix: str, count: int, top: int = 18) -> str:
    """cProfile of `count` idea submissions, in this process, through the steps the POST route runs.

    The route is: check the token, store the idea (`editing.create`), score it on arrival
    (`score_new_ideas`), flag contradicted principles (`principle_flags`). Calling those directly keeps
    them on this thread, where cProfile sees them (an ASGI test client would run them elsewhere).
    """
    from hoshin.api.security import secret_key
    from hoshin.service import editing
    from hoshin.service.auth import login, principal_from_token, token_for
    from hoshin.service.brand import principle_flags
    from hoshin.service.corridor import score_new_ideas, store_aligner
    from hoshin.service.verdict_reasons import open_store
    from hoshin.threads import limit_blas_threads

    os.environ.setdefault("HOSHIN_CPU_THREADS", "1")  # as `hoshin serve` runs
    limit_blas_threads()
    store = open_store(url)
    try:
        key = secret_key()
        user, _ = login(store, USER, PASSWORD)
        token = token_for(store, key, user)
        aligner = store_aligner(store)
        ideas_before = len(store.keys("ideas", user.organisation_id))

        def submit(n: int, text: str) -> None:
            who = principal_from_token(store, key, token, 3600)
            record = editing.create(store, who, "ideas", idea_body(prefix, n, text))
            score_new_ideas(store, who.organisation_id, [record["id"]], aligner)
            principle_flags(
                store, who.organisation_id, [{"kind": "ideas", "id": record["id"], "text": text}], aligner
            )

        # A text nobody sent yet, so the model really loads here, outside the profile.
        submit(10**6, f"Warm up the model before profiling {prefix}.")
        misses_before = getattr(aligner.embedder, "misses", 0)
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for n in range(count):
            submit(n, texts[-1 - n])
        profiler.disable()
        per_request = (time.perf_counter() - started) / max(count, 1)
        embedded = getattr(aligner.embedder, "misses", 0) - misses_before
    finally:
        if hasattr(store, "close"):
            store.close()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(r"hoshin", top)
    lines = [ln for ln in out.getvalue().splitlines() if ln.strip()]
    body = "\n".join(ln for ln in lines if not ln.startswith(("   Ordered", "   List reduced")))
    head = (
        f"{count} sequential submissions with {ideas_before} ideas stored, {per_request * 1000:.1f} ms each"
    )
    return f"{head} (profiler on); the model embedded {embedded} texts for them\n{body}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long they submit (default 20)")
    parser.add_argument("--per-client", type=int, default=None, help="stop each client after N ideas")
    parser.add_argument(
        "--embedder", default=None, help="minilm or hashing (default: HOSHIN_EMBEDDER or minilm)"
    )
    parser.add_argument(
        "--db", default=None, help="a database URL (PostgreSQL); its demo organisation is replaced"
    )
    parser.add_argument("--profile", type=int, default=None, help="profile K more requests afterwards")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="server processes (`hoshin serve --workers`; default: what `hoshin serve` picks, 2 on 2+ cores)",
    )
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="seconds each client pauses after an answer, as a person would (default 1; 0 = closed loop)",
    )
    parser.add_argument(
        "--dashboard-share",
        type=float,
        default=0.2,
        help="share of requests that load the dashboard instead of submitting an idea (default 0.2)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        help="which idea texts to send (default: a new draw each run, printed; give it to repeat one)",
    )
    parser.add_argument(
        "--ramp",
        type=float,
        default=None,
        help="seconds over which the clients' first requests are spread (default: the think time; "
        "0 = all clients at once, a burst)",
    )
    parser.add_argument(
        "--contend",
        type=int,
        default=0,
        help="busy loops competing for the cores during the run, to see the server on a shared or "
        "slower machine (default 0)",
    )
    args = parser.parse_args(argv)
    ramp = args.think if args.ramp is None else args.ramp
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**31)
    if args.clients < 1 or args.seconds <= 0 or (args.per_client is not None and args.per_client < 1):
        parser.error("--clients, --seconds and --per-client must be positive")
    if args.think < 0 or ramp < 0 or not 0 <= args.dashboard_share <= 1:
        parser.error("--think and --ramp must be >= 0 and --dashboard-share between 0 and 1")
    if args.contend < 0:
        parser.error("--contend must be 0 or more")

    backend = (args.embedder or os.environ.get("HOSHIN_EMBEDDER") or "minilm").lower()
    work = scratch_dir("hoshin-bench-load-")
    url = args.db or f"sqlite:///{work / 'hoshin.sqlite3'}"
    env = dict(os.environ, HOSHIN_HOME=str(work / "home"), HOSHIN_EMBEDDER=backend)
    os.environ.update(HOSHIN_HOME=env["HOSHIN_HOME"], HOSHIN_EMBEDDER=backend)  # for --profile in-process
    (work / "home").mkdir()
    database = "postgresql" if url.startswith("postgresql") else "sqlite"
    print(
        f"database {database}, embedder {backend}, {args.clients} clients for {args.seconds:g} s, "
        f"think {args.think:g} s, ramp {ramp:g} s, dashboard share {args.dashboard_share:g}, "
        f"texts seed {seed}" + (f", {args.contend} busy loops competing" if args.contend else ""),
        flush=True,
    )

    started = time.perf_counter()
    load_demo(env, url, replace=args.db is not None)
    print(f"demo organisation loaded and scored in {time.perf_counter() - started:.1f} s", flush=True)
    port = free_port()
    server = start_server(env, url, port, work / "server.log", args.workers)
    workers = served_workers(work / "server.log")
    print(f"server: {workers} worker process{'es' if workers != 1 else ''}", flush=True)
    base = f"http://127.0.0.1:{port}"
    prefix = "load-" + uuid.uuid4().hex[:8]  # unique ids, so runs against one database never collide
    # Each run draws its own texts (one in ~90 of the 207,360 the generator makes): a PostgreSQL
    # database keeps the vectors of earlier runs (the vector cache is shared by every
    # organisation), and a text found there would skip the model.
    texts = idea_texts(5000, seed=seed)
    loops = start_busy_loops(args.contend)
    loops_cpu = 0.0
    try:
        import httpx

        token = get_token(base)
        started = time.perf_counter()
        warm = httpx.post(
            f"{base}/api/v1/ideas",
            json=idea_body(prefix + "-warm", 0, texts[0]),
            headers={"Authorization": f"Bearer {token}"},
            timeout=300,
        )
        if warm.status_code not in (200, 201):
            raise SystemExit(f"the warm-up idea failed: {warm.status_code} {warm.text[:500]}")
        print(f"warm-up request (model load): {time.perf_counter() - started:.2f} s", flush=True)
        cpu_before = process_cpu_seconds(server.pid)
        own_before = time.process_time()
        machine_before = machine_busy_seconds()
        latencies, errors, wall = asyncio.run(
            hammer(
                base,
                token,
                texts[1:],
                prefix,
                args.clients,
                args.seconds,
                args.per_client,
                args.think,
                args.dashboard_share,
                ramp,
            )
        )
        machine_cpu = machine_busy_seconds() - machine_before
        server_cpu = process_cpu_seconds(server.pid) - cpu_before
        client_cpu = time.process_time() - own_before
        loops_cpu = stop_busy_loops(loops)
    finally:
        stop_busy_loops(loops)
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()

    everything = latencies["idea"] + latencies["dashboard"]
    count = len(everything) + len(errors)
    rate = len(everything) / wall if wall > 0 else 0.0
    print(f"requests {count}, errors {len(errors)}, wall {wall:.1f} s, throughput {rate:.1f} requests/s")
    cpu_ms = 1000 * server_cpu / max(len(everything), 1)
    print(f"server CPU: {server_cpu:.1f} s in all, {cpu_ms:.1f} ms per answered request")
    # The clients share the server's cores: what they burn is CPU the server did not get.
    print(f"client CPU: {client_cpu:.1f} s in all ({client_cpu / max(wall, 1e-9):.2f} cores)")
    if args.contend:
        print(f"busy loops: {loops_cpu:.1f} s in all ({loops_cpu / max(wall, 1e-9):.2f} cores)")
    rest = max(machine_cpu - server_cpu - client_cpu - loops_cpu, 0.0)
    print(
        f"machine CPU: {machine_cpu / max(wall, 1e-9):.2f} of {os.cpu_count()} cores busy; besides the "
        f"server, the clients and any busy loops (the database, the OS): "
        f"{1000 * rest / max(len(everything), 1):.1f} ms per answered request"
    )
    summary: dict[str, dict[str, float]] = {}
    for kind, values in (
        ("all", everything),
        ("idea", latencies["idea"]),
        ("dashboard", latencies["dashboard"]),
    ):
        if not values:
            continue
        ms = [x * 1000 for x in values]
        summary[kind] = {q: round(percentile(ms, float(q[1:])), 1) for q in ("p50", "p95", "p99")}
        print(
            f"{kind:>9} latency ms ({len(ms)} requests): p50 {summary[kind]['p50']:.0f}, "
            f"p95 {summary[kind]['p95']:.0f}, p99 {summary[kind]['p99']:.0f}, max {max(ms):.0f}"
        )
    ideas = summary.get("idea", {})
    p95 = ideas.get("p95", float("nan"))
    met = bool(latencies["idea"]) and p95 < TARGET_P95_MS and not errors
    print(f"target: idea submission p95 < {TARGET_P95_MS:.0f} ms with 0 errors: {'met' if met else 'MISSED'}")
    for line in sorted(set(errors))[:5]:
        print(f"  error: {line}")

    profile_count = args.profile
    if profile_count is None and latencies["idea"] and p95 > 2 * TARGET_P95_MS:
        profile_count = 20
    if profile_count:
        print("\nWhere the time goes (cumulative seconds, hoshin and the model):")
        print(profile_requests(url, texts, prefix + "-profile", profile_count))

    report(
        {
            "database": database,
            "backend": backend,
            "clients": args.clients,
            "workers": workers,
            "seconds": args.seconds,
            "think_s": args.think,
            "ramp_s": ramp,
            "seed": seed,
            "dashboard_share": args.dashboard_share,
            "requests": count,
            "errors": len(errors),
            "p50_ms": ideas.get("p50"),
            "p95_ms": ideas.get("p95"),
            "p99_ms": ideas.get("p99"),
            "dashboard_p95_ms": summary.get("dashboard", {}).get("p95"),
            "throughput": round(rate, 2),
            "server_cpu_ms_per_request": round(cpu_ms, 1),
            "client_cpu_cores": round(client_cpu / max(wall, 1e-9), 2),
            "machine_busy_cores": round(machine_cpu / max(wall, 1e-9), 2),
            "other_cpu_ms_per_request": round(1000 * rest / max(len(everything), 1), 1),
            "busy_loops": args.contend,
            "busy_loop_cores": round(loops_cpu / max(wall, 1e-9), 2),
            "target_p95_ms": TARGET_P95_MS,
            "met": met,
        }
    )


if __name__ == "__main__":
    main()
