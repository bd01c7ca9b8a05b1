#!/usr/bin/env bash
# What the dashboard costs a run: times paper-fig4 without and with --dashboard, alternately, in the
# same session on the same machine, and writes a report with each side's median and their ratio.
#
#   benchmarks/dashboard.sh [--repeat R] [--watch] [--trials M] [--rounds T] [--out DIR]
#
# Each pair of runs is one `fedlink simulate --preset paper-fig4 --quiet` without, then one with
# `--dashboard 127.0.0.1:PORT` (the order alternates from pair to pair, so that neither side always
# runs second). Three measures per run: "end to end" (the process, start-up and output files
# included), "run" (the sum of summary.csv's seconds: the series themselves, as the engine timed
# them) and "CPU" (the process's user + system seconds, which other tenants of a shared machine
# disturb less than they disturb wall time).
# --watch adds a reader that follows /events for the whole run with curl, as a browser or a
# notebook would (every round is then written as JSON and sent). Defaults: R = 3, the full preset
# (100 trials, 500 rounds), DIR = benchmarks/results. Writes DIR/dashboard-<date>.md and keeps each
# run's console and summary.csv in DIR/raw-dashboard-<timestamp>/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

repeat=3
watch=no
trials=100
rounds=500
out="$here/results"

usage() {
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
}

need_value() {
  if [ "$#" -lt 2 ] || ! [[ "$2" =~ ^[1-9][0-9]*$ ]]; then
    echo "dashboard.sh: $1 needs a positive whole number" >&2
    exit 2
  fi
}

while [ "$#" -gt 0 ]; do
  case "$1" in
    --repeat) need_value "$@"; repeat="$2"; shift 2 ;;
    --trials) need_value "$@"; trials="$2"; shift 2 ;;
    --rounds) need_value "$@"; rounds="$2"; shift 2 ;;
    --watch) watch=yes; shift ;;
    --out)
      if [ "$#" -lt 2 ]; then echo "dashboard.sh: --out needs a folder" >&2; exit 2; fi
      out="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "dashboard.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if [ ! -x /usr/bin/time ]; then
  echo "dashboard.sh: needs /usr/bin/time (Debian: apt-get install time)" >&2
  exit 2
fi
if [ "$watch" = yes ] && ! command -v curl >/dev/null 2>&1; then
  echo "dashboard.sh: --watch needs curl" >&2
  exit 2
fi

mkdir -p "$out"
out="$(cd "$out" && pwd)"
stamp="$(date +%Y%m%d-%H%M%S)"
raw="$out/raw-dashboard-$stamp"
mkdir -p "$raw"
report="$out/dashboard-$(date +%Y-%m-%d).md"
[ -e "$report" ] && report="$out/dashboard-$(date +%Y-%m-%d-%H%M%S).md"

"$root/fedlink" --help >/dev/null                     # build first, outside the timed runs
jar="$root/examples/target/fedlink.jar"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }

# One run; prints "side end_to_end_s run_s cpu_s load".
run() {
  local side="$1" n="$2" dir="$raw/$1-$2" port="" reader="" start end
  local args=(simulate --preset paper-fig4 --trials "$trials" --rounds "$rounds" --quiet --out "$dir")
  if [ "$side" = dashboard ]; then
    port="$(free_port)"
    args+=(--dashboard "127.0.0.1:$port")
    if [ "$watch" = yes ]; then
      # Follows /events from as soon as the dashboard serves until the stream ends with the run.
      ( until curl -sfN "http://127.0.0.1:$port/events" > "$dir.events" 2>/dev/null; do sleep 0.05; done ) &
      reader=$!
    fi
  fi
  local load
  load="$(cut -d' ' -f1 /proc/loadavg)"
  start="$(now)"
  /usr/bin/time -f "%U %S" -o "$dir.time" java -jar "$jar" "${args[@]}" > "$dir.log" 2>&1
  end="$(now)"
  if [ -n "$reader" ]; then
    wait "$reader" || true
  fi
  local series_s
  series_s="$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "seconds") c = i; next } { s += $c } END { printf "%.3f", s }' "$dir/summary.csv")"
  printf '%s %.3f %s %s %s\n' "$side" "$(echo "$end - $start" | bc)" "$series_s" \
    "$(awk '{ printf "%.2f", $1 + $2 }' "$dir.time")" "$load"
}

echo "dashboard.sh: $repeat pairs of paper-fig4 runs ($trials trials x $rounds rounds), watch: $watch; raw output in $raw" >&2
results="$raw/runs.txt"
: > "$results"
for n in $(seq 1 "$repeat"); do
  if [ $((n % 2)) -eq 1 ]; then order=(plain dashboard); else order=(dashboard plain); fi
  for side in "${order[@]}"; do
    line="$(run "$side" "$n")"
    echo "$line" | tee -a "$results" >&2
  done
done

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
med() { awk -v s="$1" -v c="$2" '$1 == s { print $c }' "$results" | median; }
plain_e2e="$(med plain 2)"; dash_e2e="$(med dashboard 2)"
plain_run="$(med plain 3)"; dash_run="$(med dashboard 3)"
plain_cpu="$(med plain 4)"; dash_cpu="$(med dashboard 4)"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

{
  echo "# paper-fig4 with and without --dashboard"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown),"
  echo "$(nproc) cores, $(java -version 2>&1 | head -n1). $repeat alternating pairs, $trials trials x $rounds rounds,"
  echo "watching /events: $watch. Command: \`benchmarks/dashboard.sh --repeat $repeat$([ "$watch" = yes ] && echo " --watch")$([ "$trials" != 100 ] && echo " --trials $trials")$([ "$rounds" != 500 ] && echo " --rounds $rounds")\`."
  echo
  echo "| pair | side | end to end (s) | run (s) | CPU (s) | load before |"
  echo "|---|---|---|---|---|---|"
  awk '{ printf "| %d | %s | %s | %s | %s | %s |\n", int((NR + 1) / 2), $1, $2, $3, $4, $5 }' "$results"
  echo
  echo "| | without | with --dashboard | with / without |"
  echo "|---|---|---|---|"
  echo "| median end to end (s) | $plain_e2e | $dash_e2e | $(ratio "$dash_e2e" "$plain_e2e") |"
  echo "| median run (s) | $plain_run | $dash_run | $(ratio "$dash_run" "$plain_run") |"
  echo "| median CPU (s) | $plain_cpu | $dash_cpu | $(ratio "$dash_cpu" "$plain_cpu") |"
} > "$report"
cat "$report"
echo "dashboard.sh: wrote $report" >&2
