#!/usr/bin/env bash
# Make sure a loopback-only network namespace can be made (for the Ray test in
# tests/test_cluster_launchers.py, which starts a Ray head inside one): installs
# `ip` (iproute2) and `unshare` (util-linux) if missing, then tries it.
set -euo pipefail

missing=()
command -v ip >/dev/null || missing+=(iproute2)
command -v unshare >/dev/null || missing+=(util-linux)
if [ ${#missing[@]} -gt 0 ]; then
  echo "netns.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    { echo "netns.sh: ERROR: apt-get install ${missing[*]} failed" >&2; exit 1; }
fi
if ! out=$(unshare --net --pid --fork --mount-proc --kill-child sh -c 'ip link set lo up && ip -o -4 addr show' 2>&1); then
  echo "netns.sh: ERROR: cannot create a network and PID namespace (root needed): $out" >&2
  exit 1
fi
echo "netns.sh: loopback-only namespaces work: $(echo "$out" | awk '{ print $2, $4 }' | tr '\n' ' ')"
