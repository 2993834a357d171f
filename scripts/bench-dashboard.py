#!/usr/bin/env python3
"""The dashboard process at contact-center scale, measured as a person would meet it.

Starts `bridgetop serve --floor ROOMSxLEGS` (rate limits on, as on VoIPbin), runs the
real dashboard in tmux at 120x40 against it, waits until every room is on screen and the
header says live, then measures, once with the floor still and once under --load-rate
call updates per second (each one a change the screen shows):

- resident memory of the dashboard process (VmRSS, and its peak VmHWM);
- CPU of the dashboard process over a window, as a share of one core;
- key -> screen latency: `?` sent through tmux until the help overlay is on the
  captured screen, then `esc` until it is gone, many times (median and p90).

Prints the figures and the load-to-still ratios. A figure, not a test: the machine is
shared, so compare runs made one after the other on the same machine.

    scripts/bench-dashboard.py [--bin target/release/bridgetop] [--serve-bin BIN]
                               [--rooms 10000] [--legs 4] [--rate 1000]
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HELP_MARKER = "Help · ↑↓ scroll"


def main():
    args = parse_args()
    for tool in ("tmux",):
        if shutil.which(tool) is None:
            sys.exit(f"bench-dashboard: {tool} is required")
    phases = [("still", 0), ("under load", args.rate)]
    results = {}
    for name, rate in phases:
        print(f"== {name}: {args.rooms} rooms x {args.legs} callers, {rate} call updates/s", flush=True)
        results[name] = run_phase(args, rate)
        print_phase(results[name])
    still, load = results["still"], results["under load"]
    print("== ratios (under load / still)")
    print(f"   key -> screen median  {ratio(load['key_median_ms'], still['key_median_ms'])}")
    print(f"   key -> screen p90     {ratio(load['key_p90_ms'], still['key_p90_ms'])}")
    print(f"   CPU                   {ratio(load['cpu_pct'], still['cpu_pct'])}")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bin", default="target/release/bridgetop", help="dashboard binary")
    p.add_argument("--serve-bin", default=None, help="emulator binary (default: --bin)")
    p.add_argument("--rooms", type=int, default=10000)
    p.add_argument("--legs", type=int, default=4)
    p.add_argument(
        "--rate", type=int, default=1000,
        help="call updates per second under load; each arrives twice (its two topics), as on VoIPbin",
    )
    p.add_argument("--window", type=float, default=30.0, help="seconds of CPU measurement")
    p.add_argument("--keys", type=int, default=25, help="key presses timed per phase")
    p.add_argument("--sync-timeout", type=float, default=900.0)
    args = p.parse_args()
    args.serve_bin = args.serve_bin or args.bin
    for binary in (args.bin, args.serve_bin):
        if not os.access(binary, os.X_OK):
            sys.exit(f"bench-dashboard: {binary} is not an executable (cargo build --release)")
    return args


def run_phase(args, rate):
    work = tempfile.mkdtemp(prefix="bridgetop-bench-")
    session = f"bridgetop-bench-{os.getpid()}"
    serve = None
    try:
        serve, banner, load_log = start_serve(args, rate)
        pid = start_dashboard(args, banner, work, session)
        synced_in = wait_synced(session, args.rooms, args.sync_timeout)
        # Let the first redraws, the load's ramp and the first fetches settle.
        time.sleep(5)
        cpu = cpu_share(pid, args.window)
        keys = key_latencies(session, args.keys)
        screen = capture(session)
        rss, hwm = memory(pid)
        return {
            "synced_s": synced_in,
            "rss_mb": rss,
            "hwm_mb": hwm,
            "cpu_pct": cpu,
            "key_median_ms": statistics.median(keys),
            "key_p90_ms": percentile(keys, 0.9),
            "events_shown": events_per_second(screen),
            "load_reported": last_rate(load_log),
        }
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], stderr=subprocess.DEVNULL)
        if serve is not None:
            serve.terminate()
            try:
                serve.wait(timeout=10)
            except subprocess.TimeoutExpired:
                serve.kill()
        shutil.rmtree(work, ignore_errors=True)


def start_serve(args, rate):
    cmd = [
        args.serve_bin, "serve", "--listen", "127.0.0.1:0", "--seed", "7", "--no-traffic",
        "--floor", f"{args.rooms}x{args.legs}", "--load-rate", str(rate),
    ]
    serve = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    banner = json.loads(serve.stdout.readline())
    log = []

    def read_stderr():
        for line in serve.stderr:
            log.append(line.strip())

    threading.Thread(target=read_stderr, daemon=True).start()
    deadline = time.monotonic() + 600
    while not any("ready" in line for line in log):
        if serve.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"bench-dashboard: the emulator did not fill its floor: {log[-5:]}")
        time.sleep(0.2)
    print(f"   emulator: {next(line for line in log if 'ready' in line)}", flush=True)
    return serve, banner, log


def start_dashboard(args, banner, work, session):
    # The key goes through a private file, never a command line.
    launcher = os.path.join(work, "run.sh")
    fd = os.open(launcher, os.O_WRONLY | os.O_CREAT, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(f"export BRIDGETOP_ACCESSKEY='{banner['accesskey']}'\n")
        f.write(f"export BRIDGETOP_DATA_DIR='{work}/data'\n")
        f.write(f"exec '{os.path.abspath(args.bin)}' --url '{banner['api_url']}'\n")
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "40", f"sh {launcher}"],
        check=True,
    )
    out = subprocess.run(
        ["tmux", "display-message", "-p", "-t", session, "#{pane_pid}"],
        check=True, capture_output=True, text=True,
    )
    return int(out.stdout.strip())


def capture(session):
    out = subprocess.run(
        ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
    )
    return out.stdout


def wait_synced(session, rooms, timeout):
    start = time.monotonic()
    want = f"conferences {rooms} "
    while time.monotonic() - start < timeout:
        screen = capture(session)
        header = "\n".join(screen.splitlines()[:2])
        if want in header and "syncing" not in header and " live" in header:
            took = time.monotonic() - start
            print(f"   dashboard: all {rooms} rooms live after {took:.1f}s", flush=True)
            return took
        time.sleep(0.5)
    sys.exit(f"bench-dashboard: not synced after {timeout}s:\n{capture(session)}")


def cpu_share(pid, window):
    tick = os.sysconf("SC_CLK_TCK")

    def used():
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick

    before, t0 = used(), time.monotonic()
    time.sleep(window)
    return 100.0 * (used() - before) / (time.monotonic() - t0)


def memory(pid):
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def key_latencies(session, count):
    times = []
    for _ in range(count):
        wait_screen(session, lambda s: HELP_MARKER not in s, "help closed")
        t0 = time.monotonic()
        subprocess.run(["tmux", "send-keys", "-t", session, "?"], check=True)
        wait_screen(session, lambda s: HELP_MARKER in s, "help open")
        times.append(1000.0 * (time.monotonic() - t0))
        subprocess.run(["tmux", "send-keys", "-t", session, "Escape"], check=True)
        time.sleep(0.3)
    return times


def wait_screen(session, test, what, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if test(capture(session)):
            return
    sys.exit(f"bench-dashboard: waited {timeout}s for {what}:\n{capture(session)}")


def events_per_second(screen):
    for line in screen.splitlines()[:2]:
        if "ev/s" in line:
            found = re.search(r"(\d+)\s*$", line)
            return int(found.group(1)) if found else None
    return None


def last_rate(log):
    rates = [line for line in log if "updates/s" in line]
    return rates[-1] if rates else "no load"


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ratio(a, b):
    return f"{a / b:.2f}x" if b else "n/a"


def print_phase(r):
    print(f"   RSS {r['rss_mb']:.0f} MB (peak {r['hwm_mb']:.0f} MB)")
    print(f"   CPU {r['cpu_pct']:.1f} % of a core")
    print(f"   key -> screen median {r['key_median_ms']:.1f} ms, p90 {r['key_p90_ms']:.1f} ms")
    print(f"   header ev/s {r['events_shown']}; emulator {r['load_reported']}", flush=True)


if __name__ == "__main__":
    main()
