#!/usr/bin/env bash
# Start-up and memory of the real binary with a million known videos (issue 4 §6, issue 18),
# measured the way a user sees it: in a terminal (tmux, 100x30). Prints the time from pressing
# Enter to the first row on screen, to the whole list read ("known" in the footer), VmRSS two
# seconds later, VmRSS after sorting by every column in turn (`s` through each one some row
# fills, back to the order added), the peak (VmHWM), and the largest RssAnon (heap and stacks)
# sampled while loading.
#
#   cargo build --release && benches/startup.sh            # 3 runs on a fresh 1M data folder
#   TITLED=1 benches/startup.sh                            # every video titled, with a time
#   TITLED=1 SYNCED=1 benches/startup.sh                   # and every field a sync lists
#   benches/startup.sh target/release/elytron-tui DIR      # on an existing data folder
#
# Needs tmux and awk. The data folder is four imports of 250,000 random IDs, labelled
# "import 0" to "import 3"; with TITLED=1 each import is a CSV `id,title,created_at` (titles
# of 33 to 38 bytes), as an export gives them. SYNCED=1 (needs python3) then fills in every
# field a sync lists, as a sync of the account would: state (a tenth failed, with an error),
# progress, size, duration, completion time, a download URL of 73 bytes, listed.
set -euo pipefail

BIN=${1:-target/release/elytron-tui}
DIR=${2:-}
if [[ -z "$DIR" ]]; then
  DIR=$(mktemp -d)
  for n in 0 1 2 3; do
    awk -v seed="$n" -v titled="${TITLED:-}" 'BEGIN { srand(seed + 1);
      if (titled) print "id,title,created_at";
      for (i = 0; i < 250000; i++) {
        id = sprintf("%04x%04x-%04x-4%03x-%04x-%06x%06x", rand()*65536, rand()*65536,
          rand()*65536, rand()*4096, 32768 + rand()*16384, rand()*16777216, rand()*16777216);
        if (titled)
          printf "%s,untitled video 2024-05-01 #%d,%d\n", id, seed * 250000 + i,
            1700000000 + i * 7;
        else
          print id } }' > "$DIR/ids$n.txt"
    "$BIN" --data-dir "$DIR" import --label "import $n" "$DIR/ids$n.txt" > /dev/null
  done
  if [[ -n "${SYNCED:-}" ]]; then
    python3 - "$DIR/elytron-tui.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("""
    UPDATE videos SET
      state = CASE WHEN seq % 10 = 0 THEN 'failed' ELSE 'completed' END,
      progress = 100, file_size = 5000000 + (seq * 7919) % 60000000,
      duration_ms = 5000 + (seq % 6) * 5000, completed_s = 1700000000 + seq, completed_ns = 0,
      generation_error = CASE WHEN seq % 10 = 0
        THEN 'Generation failed: the render timed out' END,
      download_url = 'https://cdn.elytron.example/videos/' || lower(hex(id)) || '.mp4',
      listed = 1""")
db.execute("UPDATE meta SET value = 'complete' WHERE key = 'sync'")
db.commit()
PY
  fi
fi

screen() { tmux capture-pane -p -t startup; }
for run in 1 2 3; do
  tmux kill-session -t startup 2>/dev/null || true
  tmux new-session -d -s startup -x 100 -y 30
  sleep 0.5 # let the shell start, so its start-up is not counted
  start=$(date +%s.%N)
  tmux send-keys -t startup "$BIN --data-dir $DIR" Enter
  until screen | grep -q "import "; do sleep 0.01; done
  first=$(date +%s.%N)
  pid=$(pgrep -f -- "$BIN --data-dir $DIR" | head -1)
  anon_peak=0
  until screen | grep -q " known "; do
    anon=$(awk '/RssAnon/ { print $2 }' "/proc/$pid/status")
    ((anon > anon_peak)) && anon_peak=$anon
    sleep 0.01
  done
  whole=$(date +%s.%N)
  sleep 2
  rss=$(awk '/VmRSS/ { print $2 }' "/proc/$pid/status")
  # `s` through every column it sorts by (those some row fills), back to the order added.
  last=""
  for _ in $(seq 20); do
    tmux send-keys -t startup s
    until now=$(screen | grep -o "Sorted by [a-z]*\|In the order added") \
      && [[ "$now" != "$last" ]]; do sleep 0.05; done
    last=$now
    [[ $now == "In the order added" ]] && break
  done
  sleep 1
  sorted=$(awk '/VmRSS/ { print $2 }' "/proc/$pid/status")
  peak=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status")
  tmux send-keys -t startup q
  sleep 0.5
  tmux kill-session -t startup
  awk -v s="$start" -v f="$first" -v w="$whole" -v r="$rss" -v p="$peak" -v a="$anon_peak" \
    -v o="$sorted" -v n="$run" 'BEGIN {
    printf "run %d: first row %.2f s, whole list %.2f s, VmRSS %.0f MB, after sorting by " \
      "every column %.0f MB (peak %.0f MB; heap and stacks at most %.0f MB while loading)\n",
      n, f - s, w - s, r / 1024, o / 1024, p / 1024, a / 1024 }'
done
