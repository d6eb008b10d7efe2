#!/usr/bin/env bash
# Measures the cost of the generated code as the schema grows: generate time,
# build time and binary size, for the committed snapshot (20 models) and for
# a 120-model one (the 20 plus 5 renamed copies). Runs in a temporary copy of
# the repository; prints a Markdown table for BENCHMARKS.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "| snapshot | models | schema lines | generated Go lines | go generate | go build (clean cache) | binary |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for copies in 0 5; do
  rm -rf "$tmp/repo" && mkdir "$tmp/repo"
  (cd "$root" && git ls-files -z | xargs -0 -I{} cp --parents {} "$tmp/repo/")
  cd "$tmp/repo"
  if [ "$copies" -gt 0 ]; then
    go run ./cmd/odoogql-gen scale -copies "$copies" -in metadata.json -o metadata.json
    sed -i '/^models:/,/^exclude_models:/{/^  - /d}' generate.yml
    sed -i 's/^models:$/models: []/' generate.yml
  fi
  models=$(grep -c '"model":' metadata.json)
  gen_start=$(date +%s.%N)
  go generate ./... >/dev/null 2>&1
  gen=$(echo "$(date +%s.%N) - $gen_start" | bc)
  export GOCACHE="$tmp/gocache-$copies"
  build_start=$(date +%s.%N)
  go build -o "$tmp/odoogql" .
  build=$(echo "$(date +%s.%N) - $build_start" | bc)
  size=$(stat -c %s "$tmp/odoogql")
  lines=$(wc -l < schema.graphqls)
  golines=$(cat graph/generated.go graph/model/models_gen.go graph/resolvers_gen.go | wc -l)
  printf '| %s | %d | %d | %d | %.1f s | %.1f s | %.1f MiB |\n' "$([ "$copies" = 0 ] && echo committed || echo "committed + $copies copies")" "$models" "$lines" "$golines" "$gen" "$build" "$(echo "$size / 1048576" | bc -l)"
  unset GOCACHE
  cd "$root"
done
