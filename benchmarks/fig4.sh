#!/usr/bin/env bash
# Times paper-fig4 end to end on the Java reference engine and on the vectorised NumPy baseline, in
# the same run on the same machine, and writes a report with both rates and their ratio: the
# project reports speed only as a ratio against a baseline measured in the same run, because an
# absolute rate says little on a shared or different machine.
#
#   benchmarks/fig4.sh [--trials M] [--rounds T] [--repeat R] [--threads N] [--blas-threads N]
#                      [--seed S] [--engine reference|actors] [--continual-form gemm|eigen] [--out DIR]
#
# --continual-form picks the baseline's rerce-continual formulation: gemm (default; every client of
# every trial stepped by one batched product with P_k per round) or eigen (the formulation the Java
# engines use: each client's state in the eigenbasis of P_k on its samples' span, O(r) per idle step).
#
# Defaults: the full paper-fig4 (100 trials, 500 rounds), one Java run then one NumPy run, Java on
# every core, NumPy with its BLAS defaults. --repeat R alternates R Java and R NumPy runs and takes
# the best (fastest) of each side: other work on the machine only ever slows a run down, so the
# best of R is the least disturbed. Writes DIR/fig4-<date>.md (DIR defaults to benchmarks/results)
# and keeps the raw logs, Java's benchmark.csv and the baseline's JSON in DIR/raw-<timestamp>/.
# Runs from any directory. Without numpy the Java side still runs and the report says the
# baseline was skipped.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

trials=100
rounds=500
repeat=1
threads=""
blas_threads=""
seed=1
engine=reference
continual_form=gemm
out="$here/results"

usage() {
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
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
    --repeat) need_value "$@"; positive "$1" "$2"; repeat="$2"; shift 2 ;;
    --threads) need_value "$@"; positive "$1" "$2"; threads="$2"; shift 2 ;;
    --blas-threads) need_value "$@"; positive "$1" "$2"; blas_threads="$2"; shift 2 ;;
    --seed)
      need_value "$@"
      if ! [[ "$2" =~ ^[0-9]+$ ]]; then echo "fig4.sh: --seed $2: expected a whole number >= 0" >&2; exit 2; fi
      seed="$2"; shift 2 ;;
    --out) need_value "$@"; out="$2"; shift 2 ;;
    --engine)
      need_value "$@"
      case "$2" in reference|actors) engine="$2" ;; *) echo "fig4.sh: --engine $2: expected reference or actors" >&2; exit 2 ;; esac
      shift 2 ;;
    --continual-form)
      need_value "$@"
      case "$2" in gemm|eigen) continual_form="$2" ;; *) echo "fig4.sh: --continual-form $2: expected gemm or eigen" >&2; exit 2 ;; esac
      shift 2 ;;
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

# ---- the two sides ------------------------------------------------------------------------------
# Build first, outside the timed runs (the launcher builds on first use or after a source change).
"$root/fedlink" --help >/dev/null
java_cmd=("$root/fedlink" benchmark --preset paper-fig4 --engine "$engine" --trials "$trials" --rounds "$rounds" --seed "$seed" --out "$raw")
if [ -n "$threads" ]; then
  java_cmd+=(--threads "$threads")
fi

numpy_status="skipped"
numpy_reason=""
if ! command -v python3 >/dev/null 2>&1; then
  numpy_reason="python3 is not installed"
elif ! python3 -c 'import numpy' >/dev/null 2>&1; then
  numpy_reason="numpy is not installed for $(command -v python3)"
else
  numpy_status="ran"
fi
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE may be set on this kind of machine to pin OpenBLAS to a
# kernel; unset them for the baseline's command alone so that it gets the kernel OpenBLAS picks.
numpy_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
if [ -n "$blas_threads" ]; then
  numpy_env+=(OPENBLAS_NUM_THREADS="$blas_threads" OMP_NUM_THREADS="$blas_threads")
fi

# One line per run: side run busy% load-before load-after updates generation_s run_s total_s rate
runs="$raw/runs.txt"
: >"$runs"

run_java() {
  local i="$1" busy before after row
  busy="$(cpu_busy)"
  before="$(loadavg | tr ' ' /)"
  echo "fig4.sh: [java $i/$repeat] ${java_cmd[*]}" >&2
  "${java_cmd[@]}" | tee "$raw/java-$i.log"
  after="$(loadavg | tr ' ' /)"
  row="$(tail -n1 "$raw/benchmark.csv")"
  local threads_used updates generation run total rate
  IFS=, read -r _ _ threads_used _ _ _ _ _ updates generation run total rate <<<"$row"
  java_threads="$threads_used"
  echo "java $i $busy $before $after $updates $generation $run $total $rate" >>"$runs"
}

run_numpy() {
  local i="$1" busy before after
  local cmd=(python3 "$here/numpy_baseline.py" --trials "$trials" --rounds "$rounds" --seed "$seed" --continual-form "$continual_form" --json "$raw/numpy-$i.json")
  busy="$(cpu_busy)"
  before="$(loadavg | tr ' ' /)"
  echo "fig4.sh: [numpy $i/$repeat] ${numpy_env[*]} ${cmd[*]}" >&2
  "${numpy_env[@]}" "${cmd[@]}" | tee "$raw/numpy-$i.log"
  after="$(loadavg | tr ' ' /)"
  echo "numpy $i $busy $before $after $(python3 - "$raw/numpy-$i.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(f'{d["client_updates"]} {d["generation_seconds"]:.3f} {d["run_seconds"]:.3f} {d["total_seconds"]:.3f} '
      f'{d["updates_per_second"]:.0f}')
PY
  )" >>"$runs"
}

for i in $(seq 1 "$repeat"); do
  run_java "$i"
  if [ "$numpy_status" = ran ]; then
    run_numpy "$i"
  fi
done

# best run of a side: "run rate" of the highest rate
best() { awk -v side="$1" '$1 == side && $10 > r { r = $10; i = $2 } END { print i, r }' "$runs"; }
read -r java_best java_rate <<<"$(best java)"

# The least-disturbed estimate: interference comes and goes within a run, so also take every
# series' fastest time over the R runs of a side, plus the fastest data generation, and divide the
# side's client updates by that sum. Client updates per series: paper-fig4 has K = 100, C = 4.
series_best() {
  local side="$1"
  awk -v side="$side" -v trials="$trials" -v rounds="$rounds" '
    FILENAME ~ /runs.txt$/ { if ($1 == side && (gen == "" || $7 < gen)) gen = $7; next }
    /^series / { on = 1; next }
    on && /^-+$/ { next }
    on && NF == 0 { on = 0; next }
    on {
      name = $1 " " $2 " " $3 " " $4
      seconds = $(NF - 1)
      if (!(name in best) || seconds < best[name]) best[name] = seconds
      updates[name] = rounds * trials * ($1 == "rerce-continual" ? 100 : 4)
    }
    END {
      total = gen; count = 0
      for (n in best) { total += best[n]; count += updates[n] }
      printf "%.0f %.3f\n", count / total, total
    }' "$runs" "$raw/$side"-*.log
}
read -r java_series_rate java_series_seconds <<<"$(series_best java)"
ratio=""
series_ratio=""
if [ "$numpy_status" = ran ]; then
  read -r numpy_best numpy_rate <<<"$(best numpy)"
  ratio="$(awk -v j="$java_rate" -v n="$numpy_rate" 'BEGIN { printf "%.2f", j / n }')"
  read -r numpy_series_rate numpy_series_seconds <<<"$(series_best numpy)"
  series_ratio="$(awk -v j="$java_series_rate" -v n="$numpy_series_rate" 'BEGIN { printf "%.2f", j / n }')"
  numpy_version="$(python3 -c 'import numpy; print(numpy.__version__)')"
  blas_line="$(python3 - "$raw/numpy-$numpy_best.json" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))["blas"]
version = (b.get("version") or "").split()
env = " ".join(f"{k}={v}" for k, v in b.get("env", {}).items())
print(f'{b.get("library")} {" ".join(version[:2])}, core {b.get("coretype")}, {b.get("threads")} threads '
      f'(from {b.get("source")}){", environment " + env if env else ""}')
PY
  )"
  blas_threads_seen="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["blas"].get("threads"))' "$raw/numpy-$numpy_best.json")"
fi

# ---- report ------------------------------------------------------------------------------------
table() { sed -n '/^series /,/^$/p' "$1" | sed '/^$/d'; }
flag() { [ "$1" != "?" ] && [ "$1" -gt 25 ] && echo " (busy)" || true; }

{
  echo "# paper-fig4 benchmark, $(date '+%Y-%m-%d %H:%M %Z')"
  echo
  echo "Command: \`benchmarks/fig4.sh --trials $trials --rounds $rounds --repeat $repeat${threads:+ --threads $threads}${blas_threads:+ --blas-threads $blas_threads} --seed $seed --continual-form $continual_form\`  "
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
  echo
  echo "## Result"
  echo
  echo "paper-fig4: K = 100, L = 128, C = 4, {rerce, rerce-continual} x link variance {6.25e-4, 1e-2},"
  echo "$trials trials x $rounds rounds per series. A client update is one local step of one client in one"
  echo "round of one trial (rerce: C per round, rerce-continual: K per round). End to end = data generation"
  echo "+ every series. Best of $repeat run(s) per side."
  echo
  echo "| engine | best run | threads | client updates / s |"
  echo "| --- | ---: | ---: | ---: |"
  echo "| Java ($engine engine) | $java_best of $repeat | $java_threads | $java_rate |"
  if [ "$numpy_status" = ran ]; then
    echo "| NumPy baseline ($continual_form) | $numpy_best of $repeat | BLAS $blas_threads_seen | $numpy_rate |"
    echo
    echo "**Java / NumPy = $ratio** (best run of each side)"
    echo
    echo "Least-disturbed estimate (fastest data generation + each series' fastest time over the $repeat"
    echo "run(s) of a side): Java $java_series_rate, NumPy $numpy_series_rate client updates / s"
    echo "($java_series_seconds s and $numpy_series_seconds s); **Java / NumPy = $series_ratio**."
  else
    echo
    echo "NumPy baseline skipped: $numpy_reason. No ratio: install numpy and run again."
  fi
  echo
  echo "### Every run, in the order run"
  echo
  echo "CPU busy = share of both cores in use by anything in the second before the run started; a"
  echo "run marked busy shared the machine with other work and is slower than it should be."
  echo
  echo "| side | run | CPU busy before | load avg before | load avg after | client updates | generation s | trials s | total s | client updates / s |"
  echo "| --- | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |"
  while read -r side i busy before after updates generation run total rate; do
    echo "| $side | $i | $busy%$(flag "$busy") | $before | $after | $updates | $generation | $run | $total | $rate |"
  done <"$runs"
  echo
  echo "### Java per series (run $java_best)"
  echo
  echo '```'
  table "$raw/java-$java_best.log"
  echo '```'
  if [ "$numpy_status" = ran ]; then
    echo
    echo "### NumPy per series (run $numpy_best; own RNG, so steady states agree with Java's statistically, not bit for bit)"
    echo
    echo '```'
    table "$raw/numpy-$numpy_best.log"
    echo '```'
  fi
  echo
  echo "Raw output: $raw"
} >"$report"

echo
echo "fig4.sh: best of $repeat: Java $java_rate client updates/s; NumPy ${numpy_rate:-skipped}; ratio Java/NumPy ${ratio:-n/a}"
echo "fig4.sh: per-series best: Java $java_series_rate client updates/s; NumPy ${numpy_series_rate:-skipped}; ratio Java/NumPy ${series_ratio:-n/a}"
echo "fig4.sh: report written to $report"
