#!/usr/bin/env bash
# `podlint server` under Neovim's own LSP client (0.7 or later), headless: open a manifest with
# a miscased key, see the diagnostics, take the preferred code action, see the finding go, hover
# on a key. Prints the session; fails when a step does. Skipped when nvim is not installed (CI
# does not install it); run it by hand after `cargo build`.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
command -v nvim >/dev/null || { echo "nvim is not installed; skipped"; exit 0; }
export PODLINT="${PODLINT:-$repo/target/debug/podlint}"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export PODLINT_DIR="$dir"
cat > "$dir/deploy.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - {name: web, image: "nginx:1.27.3", env: [{name: GREETING, value: "hé𝄞"}], ports: [{containerport: 80}]}
YAML
cd "$dir"
timeout 120 nvim --headless -n -u NONE -c "luafile $repo/tests/neovim-session.lua"
