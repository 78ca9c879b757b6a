#!/usr/bin/env bash
# A loopback-only Docker engine for the integration tests (no registry, no bridge network).
#
#   .ci/docker-engine.sh install   install Debian's docker.io if dockerd is missing
#   .ci/docker-engine.sh start     start dockerd in the background unless one already answers
#   .ci/docker-engine.sh stop      remove the test containers; stop the dockerd we started
#   .ci/docker-engine.sh clean     remove this run's test containers (all of them without VFO_CI_RUN)
#
# The preinstalled /usr/local/bin/docker is only a client: this script uses /usr/bin/docker.
# An engine that was already running is used as it is and never stopped here.
set -euo pipefail

STATE_DIR=${VFO_DOCKERD_STATE:-/tmp/vfo-dockerd}
PID_FILE=$STATE_DIR/dockerd.pid
LOG_FILE=$STATE_DIR/dockerd.log
SOCKET=/var/run/docker.sock
EXEC_ROOT=/var/run/docker
DOCKER=/usr/bin/docker
export DOCKER_HOST=unix://$SOCKET

log() { echo "[docker-engine] $*" >&2; }

answers() { [ -x "$DOCKER" ] && timeout 5 "$DOCKER" info >/dev/null 2>&1; }

install_engine() {
  if command -v dockerd >/dev/null 2>&1 && [ -x "$DOCKER" ]; then
    return 0
  fi
  log "dockerd missing: installing Debian's docker.io"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends docker.io
}

start_engine() {
  if answers; then
    log "a Docker engine already answers on $SOCKET: using it (not ours to stop)"
    return 0
  fi
  install_engine
  mkdir -p "$STATE_DIR"
  # Loopback only: no bridge, no iptables/forwarding/masquerading, no userland proxy; containers
  # run with --network host. The dead proxy makes an accidental pull fail in milliseconds instead
  # of hanging on DNS (there is no registry).
  HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 NO_PROXY= \
    setsid dockerd --host "unix://$SOCKET" --exec-root "$EXEC_ROOT" \
      --bridge=none --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
      --userland-proxy=false >"$LOG_FILE" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  local waited=0
  until answers; do
    if ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
      log "dockerd exited; its log:"; tail -n 30 "$LOG_FILE" >&2; rm -f "$PID_FILE"; return 1
    fi
    if [ "$waited" -ge 60 ]; then
      log "dockerd did not answer within 60 s; its log:"; tail -n 30 "$LOG_FILE" >&2; return 1
    fi
    sleep 1; waited=$((waited + 1))
  done
  log "dockerd $("$DOCKER" version --format '{{.Server.Version}}') answers (pid $(cat "$PID_FILE"), ${waited}s)"
}

remove_harness_containers() {
  # Ryuk is disabled (it would need a registry), so test containers are removed here. Within one
  # CI run (VFO_CI_RUN set, and put on its containers by the harness) only that run's containers
  # go: a shared engine may be running other people's tests.
  answers || return 0
  local ids
  if [ -n "${VFO_CI_RUN:-}" ] && [ "${1:-}" != all ]; then
    ids=$("$DOCKER" ps -aq --filter "label=dev.vfo.kafka=$VFO_CI_RUN")
  else
    ids=$("$DOCKER" ps -aq --filter label=org.testcontainers=true; "$DOCKER" ps -aq --filter label=dev.vfo.kafka)
  fi
  if [ -n "$ids" ]; then
    log "removing leftover test containers: $(echo $ids)"
    echo "$ids" | sort -u | xargs -r "$DOCKER" rm -f >/dev/null || true
  fi
}

stop_engine() {
  [ -f "$PID_FILE" ] || { remove_harness_containers; return 0; }
  # The engine is ours: every test container on it is ours too.
  remove_harness_containers all
  local pid; pid=$(cat "$PID_FILE")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    local waited=0
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 30 ]; do sleep 1; waited=$((waited + 1)); done
    if kill -0 "$pid" 2>/dev/null; then log "dockerd $pid ignored SIGTERM for 30 s: killing it"; kill -KILL "$pid" || true; fi
  fi
  rm -f "$PID_FILE"
  # dockerd can leave its network namespace (and other exec-root mounts) mounted after it stops.
  awk -v root="$(readlink -f "$EXEC_ROOT")" 'index($2, root) == 1 { print $2 }' /proc/mounts | sort -r | while read -r mount; do
    umount "$mount" 2>/dev/null || umount -l "$mount" 2>/dev/null || true
  done
  log "dockerd $pid stopped"
}

case "${1:-}" in
  install) install_engine ;;
  start) start_engine ;;
  stop) stop_engine ;;
  clean) remove_harness_containers ;;
  *) echo "usage: $0 install|start|stop|clean" >&2; exit 2 ;;
esac
