#!/usr/bin/env bash
# Re-fetches GraphiQL's browser bundle and React's UMD builds from the npm
# registry (through npm, as configured on this machine) into assets/, which
# graphiql.go embeds in the binary. The versions are pinned here: change them,
# run this script, check the page (go test ./e2e/...), and commit assets/.
#
# graphiql 3.x is the last line that ships a self-contained UMD bundle
# (graphiql.min.js: GraphiQL, CodeMirror and graphql-js, needing only React
# and ReactDOM as globals); 4.x and later are ES modules built around Monaco.
set -euo pipefail

GRAPHIQL_VERSION=3.9.0
REACT_VERSION=18.3.1

here="$(cd "$(dirname "$0")" && pwd)"
dest="$here/assets"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

cd "$tmp"
# npm pack downloads the exact tarballs and checks them against the
# registry's integrity hashes; no install scripts run.
npm pack --silent "graphiql@$GRAPHIQL_VERSION" "react@$REACT_VERSION" "react-dom@$REACT_VERSION" >/dev/null
for pkg in graphiql react react-dom; do
  mkdir "$pkg"
  tar -xzf "$pkg"-[0-9]*.tgz -C "$pkg" --strip-components=1
done

mkdir -p "$dest"
cp graphiql/graphiql.min.js graphiql/graphiql.min.css "$dest/"
cp react/umd/react.production.min.js "$dest/"
cp react-dom/umd/react-dom.production.min.js "$dest/"
# The bundle's source map is not shipped: drop its reference, so that a
# browser's developer tools do not ask for a file that is not there.
sed -i '/^\/\/# sourceMappingURL=/d' "$dest/graphiql.min.js"
cp graphiql/LICENSE "$dest/LICENSE.graphiql"
cp react/LICENSE "$dest/LICENSE.react"
cp react-dom/LICENSE "$dest/LICENSE.react-dom"

# VERSIONS records where each file came from and its SHA-256; the package's
# tests check the embedded files against it.
{
  echo "# Written by update-assets.sh; do not edit."
  echo "graphiql@$GRAPHIQL_VERSION react@$REACT_VERSION react-dom@$REACT_VERSION"
  (cd "$dest" && sha256sum graphiql.min.js graphiql.min.css react.production.min.js react-dom.production.min.js)
} >"$dest/VERSIONS"

echo "assets updated in $dest:"
ls -l "$dest"
