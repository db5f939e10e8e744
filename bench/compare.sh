#!/usr/bin/env bash
# bench/compare.sh - a performance change states its effect against its parent: builds two commits and measures them
# in one run, alternately, printing NEW / OLD for every figure.
#
# usage: sudo bench/compare.sh [OLD [NEW]]        (default: NEW = HEAD, OLD = NEW's parent)
#   env: WHAT="instructions e2e"   what to measure:
#          instructions  instructions per forwarding decision, counted by callgrind (bench/jmh-instructions): does
#                        not depend on what else runs on the machine, so it holds on a busy host; a floor under a
#                        time ratio, not the time ratio (no cache misses, no branch mispredictions)
#          e2e           bench/vxlan-e2e.sh with OLD's jar as scenario O and NEW's as A, alternating A O A O ...
#                        (TCP, 60-byte frames, RTT idle and at half load), vxswitch / BASE_JAR per figure; needs root
#        SCENARIOS=all            decision scenarios for instructions (KNOWN_UNICAST ... or all)
#        PAIRS=3 SECS=5           e2e rounds and seconds per figure (bench/vxlan-e2e.sh's own variables pass through:
#                                 SWITCH_LOOP, VM_OFFLOAD, ...)
#        OUT=DIR                  results (default a new /tmp/compare.XXXXXX)
# Each commit is built in a temporary git worktree (mvn package, nothing installed into ~/.m2), removed at the end.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/scripts/find-jdk.sh"
NEW=${2:-HEAD}
OLD=${1:-$NEW^}
WHAT=${WHAT:-instructions e2e}
SCENARIOS=${SCENARIOS:-all}
OUT=${OUT:-$(mktemp -d /tmp/compare.XXXXXX)}
mkdir -p "$OUT"

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }
old=$(git -C "$root" rev-parse --verify --short "$OLD^{commit}" 2>/dev/null) || die "no commit '$OLD' in $root"
new=$(git -C "$root" rev-parse --verify --short "$NEW^{commit}" 2>/dev/null) || die "no commit '$NEW' in $root"
for w in $WHAT; do [[ $w == instructions || $w == e2e ]] || die "WHAT takes instructions and e2e, not '$w'"; done
[[ " $WHAT " == *" e2e "* && $EUID -ne 0 ]] && die "e2e needs root (network namespaces): sudo, or WHAT=instructions"
[[ " $WHAT " == *" instructions "* ]] && { command -v valgrind >/dev/null || die "missing valgrind (apt-get install valgrind)"; }

TREES=()
cleanup() {
  local rc=$? t
  for t in "${TREES[@]}"; do git -C "$root" worktree remove --force "$t" 2>/dev/null || true; done
  log "results in $OUT"
  exit $rc
}
trap cleanup EXIT INT TERM

BUILT=
build() { # $1 commit: checks it out into a worktree and builds it there; BUILT = the worktree
  local tree=$OUT/tree-$1
  git -C "$root" worktree add --detach "$tree" "$1" >/dev/null 2>&1 || die "cannot check out $1 into $tree"
  TREES+=("$tree")
  log "building $1 ($(git -C "$root" log -1 --format=%s "$1" | cut -c1-70))"
  (cd "$tree" && mvn -B -q -o -DskipTests -pl vxswitch-app,vxswitch-jmh -am package >"$OUT/build-$1.log" 2>&1) \
    || (cd "$tree" && mvn -B -q -DskipTests -pl vxswitch-app,vxswitch-jmh -am package >"$OUT/build-$1.log" 2>&1) \
    || die "$1 does not build (see $OUT/build-$1.log)"
  BUILT=$tree
}
build "$old"; old_tree=$BUILT
build "$new"; new_tree=$BUILT
{ echo "compare: OLD $old -> NEW $new"
  echo "machine: $(getconf _NPROCESSORS_ONLN) CPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "$("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"; } | tee "$OUT/summary.txt" >&2

if [[ " $WHAT " == *" instructions "* ]]; then
  log "instructions per decision (callgrind), NEW with OLD as the base"
  read -r -a scenarios <<< "$SCENARIOS"
  # the NEW tree's script, its jar, and OLD's jar as the base: "this build / base" is NEW / OLD
  "$new_tree/bench/jmh-instructions" -b "$old_tree/vxswitch-jmh/target/benchmarks.jar" "${scenarios[@]}" \
    2>&1 | tee "$OUT/instructions.txt" >&2
  { echo "## instructions per decision (this build = NEW, base = OLD)"; grep -E "^scenario|^[A-Z_]+ +(HEAP|NATIVE)" "$OUT/instructions.txt" || true; } >> "$OUT/summary.txt"
fi
if [[ " $WHAT " == *" e2e "* ]]; then
  log "end to end, A = NEW and O = OLD alternating"
  OUT=$OUT/e2e BASE_JAR="$old_tree/vxswitch-app/target/vxswitch.jar" SCENARIOS="A O" PAIRS=${PAIRS:-3} \
    "$new_tree/bench/vxlan-e2e.sh" 2>&1 | tee "$OUT/e2e.txt" >&2
  { echo "## end to end (vxswitch = NEW, BASE_JAR = OLD)"; grep "vxswitch / BASE_JAR" "$OUT/e2e.txt" || true; } >> "$OUT/summary.txt"
fi
echo >&2
cat "$OUT/summary.txt"
