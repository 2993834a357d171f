#!/usr/bin/env bash
# End-to-end: drive the real dashboard in tmux against `bridgetop serve`.
# Starts the dashboard while nothing listens (it must say why and retry), then the
# emulator at that address, and waits for live without a restart. Then waits for the
# conference, selects it, holds the customer and watches the hold timer, kicks the
# customer with confirmation and sees them leave, and checks over REST that the emulator
# agrees. Then ends the room from outside (as another supervisor would): the selection
# stays on the ended room, a mute is refused there and reaches nobody. Then, from a
# shell, with NO_COLOR: no colour on screen; Ctrl-Z and an outside SIGTSTP suspend it
# with the terminal restored, `fg` brings it back. Last, outside SIGINT and SIGQUIT end
# it, as do SIGTERM and SIGHUP, with the terminal restored (mouse reporting included). Bounded waits; cleans up; exits non-zero on failure.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in tmux jq curl; do
  command -v "$tool" >/dev/null || { echo "e2e: $tool is required" >&2; exit 2; }
done

if [ -z "${BRIDGETOP_BIN:-}" ]; then
  cargo build --quiet   # never test a stale binary
fi
BIN=${BRIDGETOP_BIN:-target/debug/bridgetop}
WORK=$(mktemp -d)
SESSION="bridgetop-e2e-$$"
SERVE_PID=""

cleanup() {
  tmux kill-session -t "$SESSION" 2>/dev/null || true
  if [ -n "$SERVE_PID" ]; then kill "$SERVE_PID" 2>/dev/null || true; wait "$SERVE_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
  echo "e2e: FAIL: $*" >&2
  echo "---- screen ----" >&2
  tmux capture-pane -p -t "$SESSION" >&2 2>/dev/null || true
  exit 1
}

# wait_for SECONDS PATTERN: until the pane matches the extended regex.
wait_for() {
  local deadline=$((SECONDS + $1))
  while [ $SECONDS -lt $deadline ]; do
    if tmux capture-pane -p -t "$SESSION" | grep -Eq -- "$2"; then return 0; fi
    sleep 0.2
  done
  fail "waited $1s for /$2/"
}

# colour_codes: how many SGR colour parameters (30-38, 40-48, 90-107) the screen holds.
colour_codes() {
  tmux capture-pane -p -e -t "$SESSION" \
    | grep -Po '\e\[[0-9;]*m' \
    | tr -d '\033[m' | tr ';' '\n' \
    | grep -Ec '^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$' || true
}

# start_serve LISTEN OUT: starts the emulator (the demo key follows from --seed) and
# waits for its banner line.
start_serve() {
  "$BIN" serve --listen "$1" --seed 5 --no-traffic --scenario tests/e2e/two_party.toml >"$2" 2>"$WORK/serve.err" &
  SERVE_PID=$!
  for _ in $(seq 1 100); do
    [ -s "$2" ] && break
    sleep 0.1
  done
}

# A throwaway emulator tells the key and a port that was free a moment ago.
start_serve 127.0.0.1:0 "$WORK/probe.out"
BANNER=$(head -n 1 "$WORK/probe.out")
KEY=$(jq -r .accesskey <<<"$BANNER")
PROBE_API=$(jq -r .api_url <<<"$BANNER")
[ -n "$KEY" ] && [ "$KEY" != null ] || fail "no banner from bridgetop serve: $(cat "$WORK/serve.err")"
kill "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null || true; SERVE_PID=""
API=$PROBE_API
ADDR=${API#http://}; ADDR=${ADDR%/v1.0}

echo "e2e: dashboard started with nothing at $API"
tmux new-session -d -s "$SESSION" -x 120 -y 40 \
  "env BRIDGETOP_ACCESSKEY='$KEY' BRIDGETOP_DATA_DIR='$WORK/data' $BIN --url '$API'; sleep 60"
wait_for 15 'connecting \([0-9]+\) · retry in [0-9]+s'
wait_for 5 'connection: GET /customer: cannot reach http://'

echo "e2e: starting the emulator there"
start_serve "$ADDR" "$WORK/serve.out"
[ "$(head -n 1 "$WORK/serve.out" | jq -r .api_url)" = "$API" ] || fail "emulator did not start at $API: $(cat "$WORK/serve.err")"

echo "e2e: waiting for the conference"
wait_for 45 '● live'
[ "$(colour_codes)" -gt 0 ] || fail "no colour on screen (the NO_COLOR check below could not fail)"
wait_for 30 'E2E room'

echo "e2e: selecting it and waiting for its customer"
tmux send-keys -t "$SESSION" ':' ; tmux send-keys -t "$SESSION" -l 'conf E2E room' ; tmux send-keys -t "$SESSION" Enter
wait_for 20 'customer +[+]14155550123 +joined'
wait_for 20 'worker +Alice'

echo "e2e: holding the customer"
tmux send-keys -t "$SESSION" h
wait_for 10 '✓ hold \+14155550123'
wait_for 10 'customer +\+14155550123 +joined +⏸ [0-9]+s'
FIRST=$(tmux capture-pane -p -t "$SESSION" | grep -Eo 'customer +\+14155550123 +joined +⏸ [0-9]+s' | grep -Eo '[0-9]+' | tail -n 1)
NEXT=$FIRST
for _ in $(seq 1 50); do
  NEXT=$(tmux capture-pane -p -t "$SESSION" | grep -Eo 'customer +\+14155550123 +joined +⏸ [0-9]+s' | grep -Eo '[0-9]+' | tail -n 1)
  [ -n "$NEXT" ] && [ "$NEXT" -ge $((FIRST + 2)) ] && break
  sleep 0.2
done
[ -n "$NEXT" ] && [ "$NEXT" -ge $((FIRST + 2)) ] || fail "hold timer did not tick (stayed at ${FIRST}s)"
echo "e2e: hold timer ticking (${FIRST}s -> ${NEXT}s)"

echo "e2e: kicking the customer"
tmux send-keys -t "$SESSION" x
wait_for 10 'Kick \+14155550123 from E2E room\?'
tmux send-keys -t "$SESSION" y
wait_for 20 'customer +\+14155550123 +(recently left|left)'
wait_for 10 'E2E room · 1 live'

echo "e2e: checking the emulator over REST"
CONF=$(curl -sf "$API/conferences?accesskey=$KEY" | jq -r '.result[] | select(.name == "E2E room") | .id')
[ -n "$CONF" ] || fail "REST: no E2E room"
LEGS=$(curl -sf "$API/conferences/$CONF?accesskey=$KEY" | jq -r '.conferencecall_ids | length')
[ "$LEGS" = 1 ] || fail "REST: E2E room lists $LEGS legs, expected 1 (Alice)"
LEFT=$(curl -sf "$API/conferencecalls?accesskey=$KEY" \
  | jq -r --arg c "$CONF" '[.result[] | select(.conference_id == $c and (.status == "leaving" or .status == "leaved"))] | length')
[ "$LEFT" -ge 1 ] || fail "REST: no leg of E2E room has left"

echo "e2e: ending the room from outside while it is selected"
curl -sf -X DELETE "$API/conferences/$CONF?accesskey=$KEY" >/dev/null || fail "REST: could not end E2E room"
wait_for 20 'E2E room ended; it stays selected until you move'
wait_for 5 'Participants · E2E room · ENDED'
tmux send-keys -t "$SESSION" m
wait_for 10 'E2E room has ended'
MUTED=$(curl -sf "$API/calls?accesskey=$KEY" | jq -r '[.result[] | select(.mute_direction != null and .mute_direction != "")] | length')
[ "$MUTED" = 0 ] || fail "REST: $MUTED calls are muted after a mute on an ended room"

echo "e2e: from a shell with NO_COLOR: no colour; Ctrl-Z and SIGTSTP suspend, fg resumes"
ENV_FILE="$WORK/dashboard.env"
(umask 077 && printf "export BRIDGETOP_ACCESSKEY='%s' BRIDGETOP_DATA_DIR='%s' NO_COLOR=1\n" "$KEY" "$WORK/data" >"$ENV_FILE")
tmux respawn-pane -k -t "$SESSION" "env PS1='e2e-shell\$ ' bash --norc --noprofile -i"
wait_for 10 'e2e-shell\$'
tmux send-keys -t "$SESSION" -l ". '$ENV_FILE'; $BIN --url '$API'"
tmux send-keys -t "$SESSION" Enter
wait_for 30 '● live'
[ "$(colour_codes)" = 0 ] || fail "NO_COLOR: $(colour_codes) colour codes on screen"
for how in ctrl-z sigtstp; do
  if [ "$how" = ctrl-z ]; then
    tmux send-keys -t "$SESSION" C-z
  else
    kill -s TSTP "$(pgrep -f "^$BIN --url $API" | head -n 1)"
  fi
  wait_for 10 'Stopped'
  [ "$(tmux display -p -t "$SESSION" '#{alternate_on}')" = 0 ] || fail "$how left the alternate screen on"
  [ "$(tmux display -p -t "$SESSION" '#{cursor_flag}')" = 1 ] || fail "$how left the cursor hidden"
  tmux send-keys -t "$SESSION" 'clear; fg' Enter
  wait_for 10 '● live'
  wait_for 10 'Conferences'
  [ "$(tmux display -p -t "$SESSION" '#{alternate_on}')" = 1 ] || fail "fg after $how did not take the screen back"
done

echo "e2e: with mouse = true, mouse reporting is on while it runs, off when suspended or quit"
printf 'mouse = true\n' >"$WORK/mouse.toml"
tmux send-keys -t "$SESSION" q
for _ in $(seq 1 50); do pgrep -f "^$BIN --url $API" >/dev/null || break; sleep 0.1; done
[ "$(tmux display -p -t "$SESSION" '#{mouse_any_flag}')" = 0 ] || fail "q left mouse reporting on"
tmux send-keys -t "$SESSION" -l "clear; $BIN --url '$API' --config '$WORK/mouse.toml'"
tmux send-keys -t "$SESSION" Enter
wait_for 30 '● live'
[ "$(tmux display -p -t "$SESSION" '#{mouse_any_flag}')" = 1 ] || fail "mouse = true did not turn mouse reporting on"
tmux send-keys -t "$SESSION" C-z
wait_for 10 'Stopped'
[ "$(tmux display -p -t "$SESSION" '#{mouse_any_flag}')" = 0 ] || fail "suspended with mouse reporting on"
tmux send-keys -t "$SESSION" 'clear; fg' Enter
wait_for 10 '● live'
[ "$(tmux display -p -t "$SESSION" '#{mouse_any_flag}')" = 1 ] || fail "fg did not turn mouse reporting back on"

echo "e2e: an outside SIGINT, SIGQUIT, SIGTERM and SIGHUP end the dashboard and restore the terminal"
for sig in INT QUIT TERM HUP; do
  PID=$(pgrep -f "^$BIN --url $API" | head -n 1)
  [ -n "$PID" ] || fail "no dashboard process to signal"
  kill -s "$sig" "$PID"
  for _ in $(seq 1 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
  ! kill -0 "$PID" 2>/dev/null || fail "SIG$sig did not end the dashboard"
  [ "$(tmux display -p -t "$SESSION" '#{alternate_on}')" = 0 ] || fail "SIG$sig left the alternate screen on"
  [ "$(tmux display -p -t "$SESSION" '#{cursor_flag}')" = 1 ] || fail "SIG$sig left the cursor hidden"
  [ "$(tmux display -p -t "$SESSION" '#{mouse_any_flag}')" = 0 ] || fail "SIG$sig left mouse reporting on"
  if [ "$sig" != HUP ]; then
    # Start it again in the same pane for the next signal.
    tmux respawn-pane -k -t "$SESSION" \
      "env BRIDGETOP_ACCESSKEY='$KEY' BRIDGETOP_DATA_DIR='$WORK/data' $BIN --url '$API'; sleep 60"
    wait_for 30 '● live'
  fi
done
echo "e2e: PASS"
