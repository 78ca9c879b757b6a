#!/usr/bin/env bash
# Checks the vfo systemd units (deploy/systemd/*.service) with `systemd-analyze verify`, the way
# systemd itself would load them, and fails on anything it says about them.
#
# Works without systemd as PID 1 (CI containers, this sandbox): verify runs against a scratch
# root (--root=) holding the distribution's unit directory (for sysinit.target and the other
# default dependencies), our units, and an empty executable at each absolute path our
# ExecStart*= lines name. The install layout (/opt/vfo/lib/vfo-all.jar, a Java runtime) is
# checked by installing, not here: this checks the unit files.
#
# `systemd-analyze verify` exits 0 after printing warnings (an unknown key, an unparsable
# value "ignoring"), so any output at all counts as a failure.
# Then every VFO_ variable the units and env examples set must appear in docs/configuration.md,
# and sandbox-check.py runs the JVM under the units' system call filters (when it can).
#
# usage: deploy/systemd/verify.sh [unit-file...]    (default: every *.service next to it)
# Needs systemd-analyze (Debian: package systemd); installs it with apt-get if missing and root.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
if [ $# -eq 0 ]; then
  set -- "$HERE"/*.service
fi

if ! command -v systemd-analyze >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "verify: systemd-analyze missing; installing the systemd package" >&2
    # A fresh machine may have no package lists yet: update once, only if the install needs it.
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends systemd >&2 \
      || { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends systemd >&2; }
  else
    echo "verify: systemd-analyze is missing (Debian: apt-get install systemd)" >&2
    exit 1
  fi
fi

units_dir=
for d in /usr/lib/systemd/system /lib/systemd/system; do
  [ -f "$d/sysinit.target" ] && { units_dir=$d; break; }
done
[ -n "$units_dir" ] || { echo "verify: no system unit directory with sysinit.target found" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/lib/systemd" "$root/etc/systemd/system"
ln -s usr/lib "$root/lib"
cp -a "$units_dir" "$root/usr/lib/systemd/system"

failed=0
names=()
for unit in "$@"; do
  [ -f "$unit" ] || { echo "verify: $unit: no such file" >&2; failed=1; continue; }
  name=$(basename "$unit")
  cp "$unit" "$root/etc/systemd/system/$name"
  names+=("$name")
  # ExecStart=, ExecStartPre=, ExecStop=... with their optional -@:+! prefixes.
  sed -n 's/^Exec[A-Za-z]*=[-@:+!]*\(\/[^ ]*\).*/\1/p' "$unit" | while read -r exe; do
    if [ ! -e "$root$exe" ]; then
      mkdir -p "$root$(dirname "$exe")"
      printf '#!/bin/sh\nexit 0\n' >"$root$exe"
      chmod 0755 "$root$exe"
    fi
  done
done

for name in "${names[@]}"; do
  out=$(SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no --generators=no --root="$root" "$name" 2>&1) && rc=0 || rc=$?
  # Report paths as the repository knows them, not as the scratch root does.
  out=${out//"$root/etc/systemd/system/"/deploy/systemd/}
  if [ "$rc" -ne 0 ] || [ -n "$out" ]; then
    printf 'FAIL %s (exit %d)\n%s\n' "$name" "$rc" "$out"
    failed=1
  else
    echo "ok   $name"
  fi
done
# Every VFO_ variable the units and env examples set must be in the configuration reference.
reference=$HERE/../../docs/configuration.md
if [ -f "$reference" ]; then
  for var in $(grep -ohE '\bVFO_[A-Z0-9_]*[A-Z0-9]' "$@" "$HERE"/*.env.example | sort -u); do
    case "$var" in VFO_KAFKA*) continue ;; esac   # pass-through: any client property
    if ! grep -q "\`$var\`" "$reference"; then
      echo "FAIL $var is set in deploy/systemd but not documented in docs/configuration.md"
      failed=1
    fi
  done
fi

# The JVM under the units' system call filters (sandbox-check.py), when libseccomp's Python
# binding and the jar are there; VFO_SANDBOX_CHECK=0 skips it.
if [ "${VFO_SANDBOX_CHECK:-1}" != 0 ]; then
  python=
  for candidate in python3 /usr/bin/python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import seccomp' 2>/dev/null; then
      python=$candidate; break
    fi
  done
  if [ -z "$python" ]; then
    echo "skip sandbox-check.py: no python3-seccomp (apt-get install python3-seccomp)"
  elif [ ! -f "$HERE/../target/vfo-all.jar" ]; then
    echo "skip sandbox-check.py: deploy/target/vfo-all.jar is not built"
  else
    "$python" "$HERE/sandbox-check.py" "$@" || failed=1
  fi
fi
exit "$failed"
