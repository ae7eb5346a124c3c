#!/usr/bin/env bash
# Wall time of `sync` against the simulated server holding N videos, limited to RATE
# requests/s with no rate-limit headers (a refusal says only 429 and Retry-After), then of
# a second, incremental sync of the unchanged account; with the server's own count of what
# it answered over both.
#
#   cargo build --release && benches/sim_sync.sh target/release/elytron-tui 100 100000
#
# Arguments: BIN RATE [N videos, default 100000]. Needs awk.
set -euo pipefail
BIN=$1; RATE=$2; N=${3:-100000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$BIN" sim --addr 127.0.0.1:0 --key bench-key --videos "$N" --processing 0 --other-account 0 \
  --unknown 0 --rate-per-sec "$RATE" --no-rate-headers --ids-file "$dir/ids.txt" \
  > "$dir/sim.out" &
sim=$!
touch "$dir/config.toml"
for _ in $(seq 300); do grep -q "stops it" "$dir/sim.out" 2>/dev/null && break; sleep 0.1; done
url=$(head -1 "$dir/sim.out" | awk '{ print $NF }')
sync() {
  local start end
  start=$(date +%s.%N)
  ELYTRON_API_KEY=bench-key "$BIN" --data-dir "$dir/data" --config "$dir/config.toml" \
    --base-url "$url" sync > /dev/null 2> "$dir/sync.err" || echo "sync exited $?"
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" -v what="$1" 'BEGIN { printf "%s: %.2f s; ", what, e - s }'
  tail -1 "$dir/sync.err"
}
sync "sync of $N videos at $RATE/s"
sync "incremental re-sync"
kill -TERM "$sim"
wait "$sim" || true
tail -1 "$dir/sim.out"
