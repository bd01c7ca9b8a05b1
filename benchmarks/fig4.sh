#!/usr/bin/env bash
# Times paper-fig4 end to end on the Java reference engine and on the vectorised NumPy baseline, in
# the same run on the same machine, and writes a report with both rates and their ratio: the
# project reports speed only as a ratio against a baseline measured in the same run, because an
# absolute rate says little on a shared or different machine.
#
#   benchmarks/fig4.sh [--trials M] [--rounds T] [--threads N] [--blas-threads N] [--seed S] [--out DIR]
#
# Defaults: the full paper-fig4 (100 trials, 500 rounds), Java on every core, NumPy with its BLAS
# defaults. Writes DIR/fig4-<date>.md (DIR defaults to benchmarks/results) and keeps the raw logs,
# Java's benchmark.csv and the baseline's JSON in DIR/raw-<timestamp>/. Runs from any directory.
# Without numpy the Java side still runs and the report says the baseline was skipped.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

trials=100
rounds=500
threads=""
blas_threads=""
seed=1
out="$here/results"

usage() {
  sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

need_value() {
  if [ "$#" -lt 2 ] || [ -z "$2" ]; then
    echo "fig4.sh: $1 needs a value" >&2
    exit 2
  fi
}

positive() {
  if ! [[ "$2" =~ ^[1-9][0-9]*$ ]]; then
    echo "fig4.sh: $1 $2: expected a positive whole number" >&2
    exit 2
  fi
}

while [ "$#" -gt 0 ]; do
  case "$1" in
    --trials) need_value "$@"; positive "$1" "$2"; trials="$2"; shift 2 ;;
    --rounds) need_value "$@"; positive "$1" "$2"; rounds="$2"; shift 2 ;;
    --threads) need_value "$@"; positive "$1" "$2"; threads="$2"; shift 2 ;;
    --blas-threads) need_value "$@"; positive "$1" "$2"; blas_threads="$2"; shift 2 ;;
    --seed)
      need_value "$@"
      if ! [[ "$2" =~ ^[0-9]+$ ]]; then echo "fig4.sh: --seed $2: expected a whole number >= 0" >&2; exit 2; fi
      seed="$2"; shift 2 ;;
    --out) need_value "$@"; out="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "fig4.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

mkdir -p "$out"
out="$(cd "$out" && pwd)"
stamp="$(date +%Y%m%d-%H%M%S)"
raw="$out/raw-$stamp"
mkdir -p "$raw"
report="$out/fig4-$(date +%Y-%m-%d).md"
[ -e "$report" ] && report="$out/fig4-$(date +%Y-%m-%d-%H%M%S).md"

loadavg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "unknown"; }

# Share of all cores busy over one second, in percent, from /proc/stat ("?" where unreadable).
# Taken just before each side runs: another job on the machine skews a benchmark, and multithreaded
# OpenBLAS suffers far more than Java from oversubscribed cores (its threads spin-wait).
cpu_busy() {
  local a b
  a="$(head -n1 /proc/stat 2>/dev/null)" || { echo "?"; return; }
  sleep 1
  b="$(head -n1 /proc/stat 2>/dev/null)" || { echo "?"; return; }
  awk -v a="$a" -v b="$b" 'BEGIN {
    n = split(a, x, " "); split(b, y, " ");
    for (i = 2; i <= n; i++) { t += y[i] - x[i]; if (i == 5 || i == 6) idle += y[i] - x[i] }
    printf "%.0f", (t > 0 ? 100 * (t - idle) / t : 0) }'
}
busy_note() {
  if [ "$1" != "?" ] && [ "$1" -gt 25 ]; then
    echo " **(machine busy before the run: timings are unreliable)**"
  fi
}

# ---- machine -----------------------------------------------------------------------------------
cores="$(nproc 2>/dev/null || echo "?")"
cpu="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)"
cpu="${cpu:-unknown}"
memory="$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null || echo "unknown")"
java_version="$(java -version 2>&1 | head -n1 || echo "java not found")"
os="$(uname -srm)"
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo "unknown")"
dirty="$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo " (uncommitted changes)" || true)"

echo "fig4.sh: $trials trials x $rounds rounds; raw output in $raw" >&2

# ---- Java reference engine ---------------------------------------------------------------------
# Build first, outside the timed run (the launcher builds on first use or after a source change).
"$root/fedlink" --help >/dev/null
java_cmd=("$root/fedlink" benchmark --preset paper-fig4 --trials "$trials" --rounds "$rounds" --seed "$seed" --out "$raw")
if [ -n "$threads" ]; then
  java_cmd+=(--threads "$threads")
fi
java_busy="$(cpu_busy)"
java_load_before="$(loadavg)"
echo "fig4.sh: running ${java_cmd[*]}" >&2
"${java_cmd[@]}" | tee "$raw/java.log"
java_load_after="$(loadavg)"
java_row="$(tail -n1 "$raw/benchmark.csv")"
IFS=, read -r _ _ java_threads _ _ _ _ _ java_updates java_generation java_run java_total java_rate <<<"$java_row"

# ---- NumPy baseline ----------------------------------------------------------------------------
numpy_status="skipped"
numpy_reason=""
if ! command -v python3 >/dev/null 2>&1; then
  numpy_reason="python3 is not installed"
elif ! python3 -c 'import numpy' >/dev/null 2>&1; then
  numpy_reason="numpy is not installed for $(command -v python3)"
else
  # OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE may be set on this kind of machine to pin OpenBLAS to a
  # kernel; unset them for this command alone so that the baseline gets the kernel OpenBLAS picks.
  numpy_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
  if [ -n "$blas_threads" ]; then
    numpy_env+=(OPENBLAS_NUM_THREADS="$blas_threads" OMP_NUM_THREADS="$blas_threads")
  fi
  numpy_cmd=(python3 "$here/numpy_baseline.py" --trials "$trials" --rounds "$rounds" --seed "$seed" --json "$raw/numpy.json")
  numpy_busy="$(cpu_busy)"
  numpy_load_before="$(loadavg)"
  echo "fig4.sh: running ${numpy_env[*]} ${numpy_cmd[*]}" >&2
  "${numpy_env[@]}" "${numpy_cmd[@]}" | tee "$raw/numpy.log"
  numpy_load_after="$(loadavg)"
  numpy_status="ran"
  read -r numpy_rate numpy_updates numpy_generation numpy_run numpy_total numpy_version blas_threads_seen <<<"$(
    python3 - "$raw/numpy.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
b = d["blas"]
print(f'{d["updates_per_second"]:.0f} {d["client_updates"]} {d["generation_seconds"]:.3f} '
      f'{d["run_seconds"]:.3f} {d["total_seconds"]:.3f} {b["numpy"]} {b.get("threads")}')
PY
  )"
  blas_line="$(python3 - "$raw/numpy.json" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))["blas"]
version = (b.get("version") or "").split()
print(f'{b.get("library")} {" ".join(version[:2])}, core {b.get("coretype")}, {b.get("threads")} threads '
      f'(from {b.get("source")})')
PY
  )"
fi

# ---- report ------------------------------------------------------------------------------------
ratio=""
if [ "$numpy_status" = ran ]; then
  ratio="$(awk -v j="$java_rate" -v n="$numpy_rate" 'BEGIN { printf "%.2f", j / n }')"
fi
table() { sed -n '/^series /,/^$/p' "$1" | sed '/^$/d'; }

{
  echo "# paper-fig4 benchmark, $(date '+%Y-%m-%d %H:%M %Z')"
  echo
  echo "Command: \`benchmarks/fig4.sh --trials $trials --rounds $rounds${threads:+ --threads $threads}${blas_threads:+ --blas-threads $blas_threads} --seed $seed\`  "
  echo "Commit: $commit$dirty"
  echo
  echo "## Machine"
  echo
  echo "- cores (nproc): $cores"
  echo "- CPU: $cpu"
  echo "- memory: $memory; OS: $os"
  echo "- Java: $java_version"
  if [ "$numpy_status" = ran ]; then
    echo "- NumPy: $numpy_version; BLAS: $blas_line"
  else
    echo "- NumPy: not available ($numpy_reason)"
  fi
  echo "- CPU busy in the second before Java: $java_busy%$(busy_note "$java_busy"); load average (1, 5, 15 min) before/after: $java_load_before / $java_load_after"
  if [ "$numpy_status" = ran ]; then
    echo "- CPU busy in the second before NumPy: $numpy_busy%$(busy_note "$numpy_busy"); load average before/after: $numpy_load_before / $numpy_load_after"
  fi
  echo
  echo "## Result"
  echo
  echo "paper-fig4: K = 100, L = 128, C = 4, {rerce, rerce-continual} x link variance {6.25e-4, 1e-2},"
  echo "$trials trials x $rounds rounds per series. End to end = data generation + every series."
  echo
  echo "| engine | threads | client updates | generation s | trials s | total s | client updates / s |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  echo "| Java reference | $java_threads | $java_updates | $java_generation | $java_run | $java_total | $java_rate |"
  if [ "$numpy_status" = ran ]; then
    echo "| NumPy baseline | BLAS $blas_threads_seen | $numpy_updates | $numpy_generation | $numpy_run | $numpy_total | $numpy_rate |"
    echo
    echo "**Java / NumPy = $ratio**"
  else
    echo
    echo "NumPy baseline skipped: $numpy_reason. No ratio: install numpy and run again."
  fi
  echo
  echo "### Java per series"
  echo
  echo '```'
  table "$raw/java.log"
  echo '```'
  if [ "$numpy_status" = ran ]; then
    echo
    echo "### NumPy per series (own RNG: steady states agree with Java's statistically, not bit for bit)"
    echo
    echo '```'
    table "$raw/numpy.log"
    echo '```'
  fi
  echo
  echo "Raw output: $raw"
} >"$report"

echo
echo "fig4.sh: Java $java_rate client updates/s; NumPy ${numpy_rate:-skipped}; ratio Java/NumPy ${ratio:-n/a}"
echo "fig4.sh: report written to $report"
