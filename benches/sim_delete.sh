#!/usr/bin/env bash
# Wall time of `delete` against the simulated server at a given rate and burst, with the
# server's own count of what it answered (how many 429s the pacing drew).
#
#   cargo build --release && benches/sim_delete.sh target/release/elytron-tui 100 1 100
#
# Arguments: BIN RATE BURST [N deletable videos, default 100]. Needs awk.
set -euo pipefail
BIN=$1; RATE=$2; BURST=$3; N=${4:-100}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$BIN" sim --addr 127.0.0.1:0 --key bench-key --videos "$N" --processing 0 --other-account 0 \
  --unknown 0 --rate-per-sec "$RATE" --burst "$BURST" --ids-file "$dir/ids.txt" > "$dir/sim.out" &
sim=$!
touch "$dir/config.toml"
for _ in $(seq 100); do grep -q "stops it" "$dir/sim.out" 2>/dev/null && break; sleep 0.1; done
url=$(head -1 "$dir/sim.out" | awk '{ print $NF }')
start=$(date +%s.%N)
ELYTRON_API_KEY=bench-key "$BIN" --data-dir "$dir/data" --config "$dir/config.toml" \
  --base-url "$url" delete --from "$dir/ids.txt" --yes > "$dir/delete.out" 2>&1 \
  || echo "delete exited $?"
end=$(date +%s.%N)
kill -TERM "$sim"
wait "$sim" || true
awk -v r="$RATE" -v b="$BURST" -v n="$N" -v s="$start" -v e="$end" \
  'BEGIN { printf "rate %s/s, burst %s, %s deletes: %.2f s\n", r, b, n, e - s }'
tail -1 "$dir/sim.out"
