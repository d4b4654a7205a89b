#!/usr/bin/env bash
# Starts or stops a local moto server (the CloudFormation emulator) on loopback.
#   scripts/moto.sh start   # port from NEPHOS_MOTO_PORT (default 4566); waits until it answers
#   scripts/moto.sh stop
# The pid file lives under target/ so `cargo clean` forgets it along with the build.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
port="${NEPHOS_MOTO_PORT:-4566}"
pidfile="$root/target/moto-$port.pid"
logfile="$root/target/moto-$port.log"
moto="$root/.venv/bin/moto_server"

ready() {
  # A real request: the port being open is not enough, moto answers once its app is loaded.
  curl -fsS -o /dev/null "http://127.0.0.1:$port/moto-api/" 2>/dev/null
}

case "${1:-}" in
  start)
    if [[ ! -x "$moto" ]]; then
      echo "moto: $moto is missing: run scripts/venv.sh first" >&2
      exit 1
    fi
    if [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      echo "moto: already running on 127.0.0.1:$port (pid $(cat "$pidfile"))" >&2
      exit 0
    fi
    mkdir -p "$root/target"
    "$moto" -H 127.0.0.1 -p "$port" >"$logfile" 2>&1 &
    echo $! >"$pidfile"
    for _ in $(seq 1 300); do
      if ready; then
        echo "moto: ready on http://127.0.0.1:$port (pid $(cat "$pidfile"))" >&2
        exit 0
      fi
      if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        echo "moto: exited during start; see $logfile" >&2
        rm -f "$pidfile"
        exit 1
      fi
      sleep 0.1
    done
    echo "moto: not ready after 30 s; see $logfile" >&2
    exit 1
    ;;
  stop)
    if [[ -f "$pidfile" ]]; then
      pid="$(cat "$pidfile")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      rm -f "$pidfile"
      echo "moto: stopped (pid $pid)" >&2
    else
      echo "moto: not running on port $port" >&2
    fi
    ;;
  *)
    echo "usage: scripts/moto.sh start|stop   (port: NEPHOS_MOTO_PORT, default 4566)" >&2
    exit 2
    ;;
esac
