#!/usr/bin/env bash
# Runs a Fedlink experiment on a local Pekko cluster: one server node and N clients nodes, each its
# own JVM on 127.0.0.1, then stops every JVM it started (also when interrupted, and at once when
# any node fails, e.g. on a port that is in use).
#
#   cluster-config/local-cluster.sh --client-nodes N [flags of fedlink simulate] --out DIR
#
# The clients 0..K-1 are split into N contiguous ranges. DIR receives the files fedlink simulate
# writes (curves.csv, summary.csv, nmse.png, command.txt) and one log per node. Extra options:
#   --base-port P   the server listens on P, clients nodes on P+1..P+N (default 25520)
#   --set K=V       a configuration value for every node (repeatable), e.g. --set fedlink.cluster.round-timeout=2s
#   --force, --fresh, --checkpoint-every N, --quiet   go to the server node alone (as in fedlink node)
# Environment: FEDLINK_JAVA_OPTS (JVM options of every node); FEDLINK_SERVER_JAVA_OPTS (more for the
# server node alone, after those: it holds every client's round state, e.g. -Xmx8g for a million
# clients, docs/performance.md); FEDLINK_CLASSPATH (extra class path of
# every node, e.g. a jar of algorithm plug-ins; one that holds fedlink's own class folders, as the
# tests give, is used instead of the built jar).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
usage() { echo "usage: $0 --client-nodes N [flags of fedlink simulate] --out DIR (--help for more)" >&2; exit 2; }
help() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }

nodes="" out="" clients=100 base_port=25520
experiment=() settings=() server_only=()
while [ $# -gt 0 ]; do
  case "$1" in
    --client-nodes) [ $# -ge 2 ] || usage; nodes="$2"; shift 2 ;;
    --out) [ $# -ge 2 ] || usage; out="$2"; shift 2 ;;
    --clients) [ $# -ge 2 ] || usage; clients="$2"; shift 2 ;;
    --base-port) [ $# -ge 2 ] || usage; base_port="$2"; shift 2 ;;
    --set) [ $# -ge 2 ] || usage; settings+=(--set "$2"); shift 2 ;;
    --force|--fresh|--quiet) server_only+=("$1"); shift ;;
    --checkpoint-every) [ $# -ge 2 ] || usage; server_only+=("$1" "$2"); shift 2 ;;
    --checkpoint-every=*) server_only+=("$1"); shift ;;
    --engine|--mode|--threads|--server-period|--client-period|--speed-spread)
      echo "local-cluster.sh: $1 is not for a cluster run (it runs the actor runtime in lockstep)" >&2; exit 2 ;;
    -h|--help) help; exit 0 ;;
    *) experiment+=("$1"); shift ;;
  esac
done
[[ "$nodes" =~ ^[1-9][0-9]*$ ]] || { echo "local-cluster.sh: --client-nodes needs a whole number >= 1, got '${nodes}'" >&2; exit 2; }
[ -n "$out" ] || { echo "local-cluster.sh: --out DIR is required" >&2; exit 2; }
[[ "$clients" =~ ^[1-9][0-9]*$ ]] || { echo "local-cluster.sh: --clients needs a whole number >= 1, got '${clients}'" >&2; exit 2; }
[ "$nodes" -le "$clients" ] || { echo "local-cluster.sh: --client-nodes $nodes exceeds --clients $clients" >&2; exit 2; }
[[ "$base_port" =~ ^[0-9]+$ ]] && [ "$base_port" -ge 1024 ] && [ $((base_port + nodes)) -le 65535 ] \
  || { echo "local-cluster.sh: --base-port must leave room for $nodes more ports in 1024..65535" >&2; exit 2; }

# A class path that holds fedlink's own classes (a build's class folders, as the tests give) runs
# alone; any other (plug-in jars) is added after the built jar's, as ./fedlink does.
own=""
IFS=: read -ra entries <<< "${FEDLINK_CLASSPATH:-}"
for entry in "${entries[@]}"; do
  [ -f "$entry/io/fedlink/cli/Fedlink.class" ] && own=yes
done
if [ -n "$own" ]; then
  launch=(-cp "$FEDLINK_CLASSPATH" io.fedlink.cli.Fedlink)
else
  "$here/fedlink" --version >/dev/null            # builds on first use
  launch=(-cp "$here/examples/target/fedlink.jar${FEDLINK_CLASSPATH:+:$FEDLINK_CLASSPATH}" io.fedlink.cli.Fedlink)
fi
mkdir -p "$out"
logs="$(cd "$out" && pwd)"

pids=() names=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 1
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'echo "local-cluster.sh: interrupted; stopping every node" >&2; exit 130' INT TERM

seed="127.0.0.1:$base_port"
# shellcheck disable=SC2086  # FEDLINK_JAVA_OPTS and FEDLINK_SERVER_JAVA_OPTS are lists of JVM options
java ${FEDLINK_JAVA_OPTS:-} ${FEDLINK_SERVER_JAVA_OPTS:-} "${launch[@]}" node --role server --port "$base_port" --seed-nodes "$seed" \
  --federation-size "$clients" "${experiment[@]}" "${settings[@]}" ${server_only[@]+"${server_only[@]}"} --out "$out" \
  >"$logs/server.log" 2>&1 &
server=$!
pids+=("$server") names+=(server)

for ((i = 0; i < nodes; i++)); do
  first=$(( i * clients / nodes ))
  last=$(( (i + 1) * clients / nodes - 1 ))
  # shellcheck disable=SC2086
  java ${FEDLINK_JAVA_OPTS:-} "${launch[@]}" node --role clients --port $((base_port + 1 + i)) --seed-nodes "$seed" \
    --clients "$first-$last" --federation-size "$clients" "${experiment[@]}" "${settings[@]}" \
    >"$logs/clients-$i.log" 2>&1 &
  pids+=("$!") names+=("clients-$i")
done
echo "local-cluster.sh: server on $seed and $nodes clients nodes; logs in $logs" >&2

# Wait for the server; a clients node that fails meanwhile (a port in use, refused flags) stops the
# whole cluster at once instead of leaving the server to wait for its clients.
failed=""
while [ -z "$failed" ] && kill -0 "$server" 2>/dev/null; do
  for ((i = 1; i < ${#pids[@]}; i++)); do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
      status=0
      wait "${pids[$i]}" || status=$?
      if [ "$status" -ne 0 ]; then failed="$i"; break; fi
    fi
  done
  [ -n "$failed" ] || sleep 0.5
done
if [ -z "$failed" ]; then
  status=0
  wait "$server" || status=$?
  [ "$status" -eq 0 ] || failed=0
fi
if [ -n "$failed" ]; then
  name="${names[$failed]}"
  echo "local-cluster.sh: the $name node failed (status $status); stopping every node. Its log:" >&2
  tail -n 20 "$logs/$name.log" >&2
  if grep -q "cannot be bound" "$logs/$name.log"; then
    echo "local-cluster.sh: a port in $base_port..$((base_port + nodes)) is in use; choose others with --base-port" >&2
  fi
  exit "$status"
fi
sed -n '/^series/,$p' "$logs/server.log"
