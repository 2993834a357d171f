#!/usr/bin/env bash
# A real, unmodified VoIPbin client (voipbin-mcp from PyPI) against `bridgetop serve`.
# Installs the client into a virtualenv under target/, starts the emulator on a free
# loopback port, runs scripts/real_client/check.py, and stops the emulator.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/real-client-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check 'voipbin-mcp==0.3.0'

cargo build --quiet --bin bridgetop
out=$(mktemp)
./target/debug/bridgetop serve --listen 127.0.0.1:0 --no-traffic >"$out" 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$out"' EXIT

for _ in $(seq 1 100); do
  [ -s "$out" ] && break
  sleep 0.1
done
banner=$(head -n 1 "$out")
[ -n "$banner" ] || { echo "bridgetop serve printed no banner" >&2; exit 1; }

"$venv/bin/python" scripts/real_client/check.py "$banner"
