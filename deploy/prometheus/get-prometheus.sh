#!/usr/bin/env bash
# Puts Prometheus and promtool (2.42, Debian's prometheus package) under <dir>/usr/bin without installing or
# starting a service: apt-get download + dpkg -x. Used by the build (the monitoring tests) and by
# ./quickstart.sh --monitoring. Does nothing when <dir>/usr/bin/promtool is already there.
#   deploy/prometheus/get-prometheus.sh <dir>
# Elsewhere than Debian or Ubuntu: download Prometheus 2.x from https://prometheus.io/download/ and put
# prometheus and promtool in <dir>/usr/bin.
set -euo pipefail
dir=${1:?usage: get-prometheus.sh <dir>}
if [[ -x "$dir/usr/bin/promtool" && -x "$dir/usr/bin/prometheus" ]]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg >/dev/null 2>&1; then
  echo "get-prometheus.sh: no apt-get here; put prometheus and promtool (2.x, https://prometheus.io/download/) in $dir/usr/bin" >&2
  exit 1
fi
mkdir -p "$dir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# apt-get download runs as the calling user; a fresh machine has no package lists yet.
if ! (cd "$work" && apt-get download -qq prometheus >/dev/null 2>&1); then
  apt-get update -qq >/dev/null 2>&1 || true
  if ! (cd "$work" && apt-get download -qq prometheus >/dev/null 2>&1); then
    echo "get-prometheus.sh: apt-get download prometheus failed (as root: apt-get update first); or put prometheus and promtool in $dir/usr/bin" >&2
    exit 1
  fi
fi
dpkg -x "$work"/prometheus_*.deb "$dir"
"$dir/usr/bin/promtool" --version >/dev/null
echo "get-prometheus.sh: $("$dir/usr/bin/prometheus" --version 2>&1 | head -1) in $dir/usr/bin"
