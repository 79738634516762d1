#!/usr/bin/env bash
# The VS Code extension in editors/vscode packages as users would install it: its dependency
# (vscode-languageclient) installed from npm, `vsce package` (pinned) builds the .vsix, and the
# archive holds the extension, its manifest and the client library. The server it starts is
# tested by tests/lsp.rs. Run by .ci/run; needs node >= 20 and npm. Publishing is out of scope.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work="$repo/target/ci/vscode"
vsce_version=3.9.2
rm -rf "$work"
mkdir -p "$work"
cp "$repo"/editors/vscode/{package.json,extension.js,README.md,.vscodeignore} "$work/"
cp "$repo/LICENSE" "$work/"
cd "$work"

crate_version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$repo/Cargo.toml" | head -n 1)
extension_version=$(node -p 'require("./package.json").version')
[ "$crate_version" = "$extension_version" ] || {
  echo "editors/vscode/package.json is version $extension_version, the crate $crate_version"
  exit 1
}
node --check extension.js

start=$SECONDS
npm install --omit=dev --no-audit --no-fund --no-package-lock --loglevel=error
npx --yes "@vscode/vsce@$vsce_version" package --out "podlint-$extension_version.vsix" 2>&1 | tail -n 2
vsix="podlint-$extension_version.vsix"
[ -f "$vsix" ] || { echo "no $vsix was built"; exit 1; }

python3 - "$vsix" <<'PY'
import json, sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
needed = ["extension/package.json", "extension/extension.js", "extension/readme.md", "extension/LICENSE.txt",
          "extension/node_modules/vscode-languageclient/node.js"]
missing = [n for n in needed if n not in names]
if missing:
    sys.exit(f"{sys.argv[1]} lacks {missing}")
manifest = json.loads(zipfile.ZipFile(sys.argv[1]).read("extension/package.json"))
assert manifest["main"] == "./extension.js", manifest["main"]
print(f"{sys.argv[1]}: {len(names)} files, with the extension and vscode-languageclient")
PY
echo "packaged in $((SECONDS - start)) s"
