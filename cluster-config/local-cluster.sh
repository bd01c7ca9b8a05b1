#!/usr/bin/env bash
# Runs a Fedlink experiment on a local Pekko cluster: one server node and N clients nodes, each its
# own JVM on 127.0.0.1, then stops every JVM it started (also when interrupted).
#
#   cluster-config/local-cluster.sh --client-nodes N [flags of fedlink simulate] --out DIR
#
# The clients 0..K-1 are split into N contiguous ranges. DIR receives the files fedlink simulate
# writes (curves.csv, summary.csv, nmse.png, command.txt) and one log per node. Extra options:
#   --base-port P   the server listens on P, clients nodes on P+1..P+N (default 25520)
#   --set K=V       a configuration value for every node (repeatable), e.g. --set fedlink.cluster.round-timeout=2s
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
usage() { echo "usage: $0 --client-nodes N [flags of fedlink simulate] --out DIR" >&2; exit 2; }

nodes="" out="" clients=100 base_port=25520
experiment=() settings=()
while [ $# -gt 0 ]; do
  case "$1" in
    --client-nodes) [ $# -ge 2 ] || usage; nodes="$2"; shift 2 ;;
    --out) [ $# -ge 2 ] || usage; out="$2"; shift 2 ;;
    --clients) [ $# -ge 2 ] || usage; clients="$2"; shift 2 ;;
    --base-port) [ $# -ge 2 ] || usage; base_port="$2"; shift 2 ;;
    --set) [ $# -ge 2 ] || usage; settings+=(--set "$2"); shift 2 ;;
    --engine|--mode|--threads|--server-period|--client-period|--speed-spread)
      echo "local-cluster.sh: $1 is not for a cluster run (it runs the actor runtime in lockstep)" >&2; exit 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) experiment+=("$1"); shift ;;
  esac
done
[[ "$nodes" =~ ^[1-9][0-9]*$ ]] || { echo "local-cluster.sh: --client-nodes needs a whole number >= 1, got '${nodes}'" >&2; exit 2; }
[ -n "$out" ] || { echo "local-cluster.sh: --out DIR is required" >&2; exit 2; }
[[ "$clients" =~ ^[1-9][0-9]*$ ]] || { echo "local-cluster.sh: --clients needs a whole number >= 1, got '${clients}'" >&2; exit 2; }
[ "$nodes" -le "$clients" ] || { echo "local-cluster.sh: --client-nodes $nodes exceeds --clients $clients" >&2; exit 2; }
[[ "$base_port" =~ ^[0-9]+$ ]] && [ "$base_port" -ge 1024 ] && [ $((base_port + nodes)) -le 65535 ] \
  || { echo "local-cluster.sh: --base-port must leave room for $nodes more ports in 1024..65535" >&2; exit 2; }

"$here/fedlink" --version >/dev/null            # builds on first use
jar="$here/examples/target/fedlink.jar"
mkdir -p "$out"
logs="$(cd "$out" && pwd)"

pids=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 1
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'echo "local-cluster.sh: interrupted; stopping every node" >&2; exit 130' INT TERM

seed="127.0.0.1:$base_port"
java ${FEDLINK_JAVA_OPTS:-} -jar "$jar" node --role server --port "$base_port" --seed-nodes "$seed" \
  --federation-size "$clients" "${experiment[@]}" "${settings[@]}" --out "$out" \
  >"$logs/server.log" 2>&1 &
server=$!
pids+=("$server")

for ((i = 0; i < nodes; i++)); do
  first=$(( i * clients / nodes ))
  last=$(( (i + 1) * clients / nodes - 1 ))
  java ${FEDLINK_JAVA_OPTS:-} -jar "$jar" node --role clients --port $((base_port + 1 + i)) --seed-nodes "$seed" \
    --clients "$first-$last" --federation-size "$clients" "${experiment[@]}" "${settings[@]}" \
    >"$logs/clients-$i.log" 2>&1 &
  pids+=("$!")
done
echo "local-cluster.sh: server on $seed and $nodes clients nodes; logs in $logs" >&2

status=0
wait "$server" || status=$?
if [ "$status" -ne 0 ]; then
  echo "local-cluster.sh: the server node failed (status $status); its log:" >&2
  tail -n 20 "$logs/server.log" >&2
else
  sed -n '/^series/,$p' "$logs/server.log"
fi
exit "$status"
