#!/usr/bin/env bash
# Runs the Jazzer fuzz targets in fuzzing mode (JAZZER_FUZZ=1), one after another, and prints each one's executions
# and findings. `./run-tests` replays the committed corpora only (regression mode, seconds); this looks for new inputs.
#
#   scripts/fuzz.sh                       every target, 5 minutes each
#   scripts/fuzz.sh switch --time 600     one target for 10 minutes
#   scripts/fuzz.sh bgp-codec --runs 10000000
#   scripts/fuzz.sh --list                the targets
#   scripts/fuzz.sh switch --merge        no fuzzing: merge the generated corpus into the committed one, minimised
#   --save                                also copy what the run added to the generated corpus into the committed one
#
# Each run starts from the committed corpus (src/test/resources/<package>/<TestClass>Corpus, replayed by a plain test
# in `./run-tests`) and grows a generated one in <module>/.cifuzz-corpus (ignored by git); --save copies what it
# found into the committed corpus. A finding (an exception other than the target's documented ones, a failed
# invariant, a hang over 10 s) stops that target; Jazzer writes its input into <TestClass>Inputs/<method>, which
# `./run-tests` replays as a test of its own, failing until the code is fixed. Runs under nice 10: the machine is
# shared. Logs: target/fuzz/<target>.log.
#
# --merge is libFuzzer's -merge=1 with the committed corpus first: every input is run once, and a generated one is
# copied into the committed corpus only if it reaches coverage (a branch, or a counter bucket of one) that the
# committed inputs and the generated ones taken before it do not; the rest, usually nearly all, are left out. So a
# campaign adds a few inputs, not thousands. libFuzzer reads the coverage in a child process (so that an input that
# crashes it can be skipped), started through argv[0]: here a script that runs the same test in a second Maven,
# which costs a minute of start-up. Then commit the new files of <TestClass>Corpus (git status shows them).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
. "$root/scripts/find-jdk.sh"
export PATH="$JAVA_HOME/bin:$PATH"
cd "$root"

# name  module  test class (fully qualified)  method
targets=(
  "frame-parser    vxswitch-packet  io.vxswitch.packet.FrameParserFuzzTest                any_bytes_parse_classify_and_describe"
  "segmenter       vxswitch-packet  io.vxswitch.packet.offload.SegmenterFuzzTest          any_vnet_header_and_frame_is_cut_or_refused"
  "coalescer       vxswitch-packet  io.vxswitch.packet.offload.TcpCoalescerFuzzTest       coalesced_segments_cut_back_into_themselves"
  "switch          vxswitch-forwarding io.vxswitch.forwarding.fuzz.SwitchFuzzTest         frames_on_any_port_are_forwarded_or_dropped_by_a_named_reason"
  "lacpdu          vxswitch-forwarding io.vxswitch.forwarding.lacp.LacpduFuzzTest         any_lacpdus_keep_the_machines_sane"
  "flow-observation vxswitch-forwarding io.vxswitch.forwarding.FlowObservationFuzzTest  any_ip_payload_is_observed_within_its_bytes"
  "vxlan-decap     vxswitch-vxlan   io.vxswitch.vxlan.DecapsulationFuzzTest                underlay_packets_reach_the_switch_or_are_dropped_by_a_named_reason"
  "policy-config   vxswitch-config  io.vxswitch.config.PolicyParserFuzzTest                any_text_is_a_port_group_or_a_positioned_error"
  "lab-topology    vxswitch-lab     io.vxswitch.lab.topology.TopologyParserFuzzTest        any_text_is_a_topology_or_a_positioned_error"
  "daemon-config   vxswitch-app     io.vxswitch.app.daemon.DaemonConfigFuzzTest            any_text_is_a_config_or_a_positioned_error"
  "api-requests    vxswitch-mgmt    io.vxswitch.mgmt.ApiRequestFuzzTest                    every_request_is_answered_or_refused_with_a_4xx_saying_why"
  "bgp-codec       vxswitch-bgp     io.vxswitch.bgp.message.MessageCodecFuzzTest           peer_bytes_are_a_message_or_a_notification"
)

usage() {
  sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

# The Maven run of one fuzz test in fuzzing mode; libFuzzer flags and corpus directories as jazzer.internal.arg.N
# (arg 0 stands for argv[0]). The whole campaign runs inside one test method: JUnit's default timeouts (60 s in
# modules that read vxswitch-linux's test configuration) are off for it.
fuzz_test() {
  local module=$1 test=$2; shift 2
  local args=() i=0
  for a in "$@"; do args+=("-Djazzer.internal.arg.$i=$a"); i=$((i + 1)); done
  JAZZER_FUZZ=1 nice -n 10 mvn -B -o test -pl "$module" -am -Dtest="$test" \
    -Dsurefire.failIfNoSpecifiedTests=false -DexcludedGroups=netns -Djunit.jupiter.execution.timeout.mode=disabled \
    "${args[@]}"
}

# Merges the generated corpus into the committed one (see --merge above); prints how many inputs it added.
merge_corpus() {
  local name=$1 module=$2 test=$3 committed=$4 generated=$5 inputs=$6 log=$7
  local child="$root/target/fuzz/$name-merge-child.sh"
  # libFuzzer starts its child as `argv[0] FLAGS... -merge_control_file=F -merge_inner=1` through the shell
  printf '#!/bin/sh\n# written by scripts/fuzz.sh --merge: libFuzzer'"'"'s merge child, the same test in a second Maven\n%s\n' \
    "exec \"$root/scripts/fuzz.sh\" --run-test $module $test \"\$0\" \"\$@\" >>\"$root/$log.child\" 2>&1" >"$child"
  chmod +x "$child"
  local before
  before=$(ls "$committed" | wc -l)
  fuzz_test "$module" "$test" "$child" -merge=1 -max_total_time=0 -timeout=10 "$root/$committed" "$root/$generated" \
    >"$log" 2>&1
  # Jazzer adds the findings directory to the corpora it passes on: a finding (named crash-<sha1>, and kept there)
  # is not copied into the corpus (named <sha1>) as well
  for f in "$inputs"/*-*; do
    [ -e "$f" ] && rm -f "$committed/${f##*/*-}"
  done
  echo $(( $(ls "$committed" | wc -l) - before ))
}

only="" time=300 runs="" save=0 merge=0
while [ $# -gt 0 ]; do
  case "$1" in
    --time) time=$2; runs=""; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --save) save=1; shift ;;
    --merge) merge=1; shift ;;
    --run-test) shift; fuzz_test "$@"; exit ;; # the merge's child
    --list) for t in "${targets[@]}"; do read -r name module class method <<<"$t"; printf '%-14s %s#%s\n' "$name" "${class##*.}" "$method"; done; exit 0 ;;
    -h|--help) usage ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; usage 2 ;;
    *) only=$1; shift ;;
  esac
done

mkdir -p target/fuzz
summary=()
found=0
matched=0
for t in "${targets[@]}"; do
  read -r name module class method <<<"$t"
  simple=${class##*.}
  if [ -n "$only" ] && [ "$only" != "$name" ] && [ "$only" != "$simple" ]; then
    continue
  fi
  matched=1
  resources="$module/src/test/resources/$(dirname "${class//.//}")"
  inputs="$resources/${simple}Inputs/$method"
  committed="$resources/${simple}Corpus"
  generated="$module/.cifuzz-corpus/$class/$method"
  mkdir -p "$inputs" "$committed" "$generated"
  log="target/fuzz/$name.log"
  if [ "$merge" = 1 ]; then
    echo "== $name: merging $(ls "$generated" | wc -l) generated inputs into $committed; log: $log"
    added=$(merge_corpus "$name" "$module" "$simple#$method" "$committed" "$generated" "$inputs" "$log") \
      || { echo "fuzz.sh: the merge of $name failed (see $log)" >&2; exit 1; }
    line=$(printf '%-14s %s new inputs in the committed corpus (%s now)' "$name" "$added" "$(ls "$committed" | wc -l)")
    echo "$line"
    summary+=("$line")
    continue
  fi
  before=$(ls "$inputs" | grep -c -E '^(crash|timeout|slow-unit|leak)-' || true)
  # Later flags win over the @FuzzTest defaults (5 minutes). Directories are corpora, and libFuzzer writes new inputs
  # into the first: the generated one, then the committed one is read as seeds. -timeout=10 is libFuzzer's, per
  # input (a hang).
  if [ -n "$runs" ]; then limit=(-runs="$runs" -max_total_time=0); else limit=(-max_total_time="$time" -runs=-1); fi
  echo "== $name ($simple#$method in $module) ${runs:+$runs runs}${runs:-${time} s}; log: $log"
  start=$(date +%s)
  status=passed
  fuzz_test "$module" "$simple#$method" fuzz "${limit[@]}" -print_final_stats=1 -timeout=10 \
    "$root/$generated" "$root/$committed" >"$log" 2>&1 || status=failed
  seconds=$(( $(date +%s) - start ))
  executions=$(awk '/stat::number_of_executed_units/ {n=$2} END {print n+0}' "$log")
  rate=$(awk '/stat::average_exec_per_sec/ {n=$2} END {print n+0}' "$log")
  after=$(ls "$inputs" | grep -c -E '^(crash|timeout|slow-unit|leak)-' || true)
  findings=$(( after - before ))
  if [ "$status" = failed ] && [ "$findings" -eq 0 ]; then
    if grep -q 'FuzzTestFinding' "$log"; then findings=1; else status="build failed (see $log)"; fi
  fi
  [ "$findings" -gt 0 ] && found=1
  corpus=$(ls "$generated" 2>/dev/null | wc -l)
  if [ "$save" = 1 ] && [ -d "$generated" ]; then
    cp -n "$generated"/* "$committed"/ 2>/dev/null || true # libFuzzer names inputs by content hash: idempotent
  fi
  line=$(printf '%-14s %12s executions %8s exec/s %6s s  findings %s  corpus %s  %s' \
    "$name" "$executions" "$rate" "$seconds" "$findings" "$corpus" "$status")
  echo "$line"
  summary+=("$line")
done
[ "$matched" = 1 ] || { echo "fuzz.sh: no target '$only' (scripts/fuzz.sh --list)" >&2; exit 2; }

echo
echo "== summary ($(nproc) CPUs, $(java -version 2>&1 | head -1))"
printf '%s\n' "${summary[@]}"
exit "$found"
