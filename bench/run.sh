#!/usr/bin/env bash
# The benchmark harness (docs/performance.md). Not part of the build or of `mvn verify`.
#
#   bench/run.sh [--quick] [options]      end-to-end benchmark; report in target/benchmark-report.md
#   bench/run.sh --jmh [--quick] [args]   JMH micro-benchmarks of the hot path; args go to JMH
#   bench/run.sh --jmh --jmh-bench ReaderBenchmark [args]
#                                         another JMH class of bench/ (default HotPathBenchmark): the socket
#                                         reader's frame layer, e.g. with -prof gc
#   bench/run.sh --soak [--soak-minutes N] soak: 1,000 pairs for N minutes (default 30), heap, threads and MBeans
#                                         sampled every minute; report in target/benchmark-report.md
#   bench/run.sh --repeat N [options]     N end-to-end runs, each in a fresh JVM, then the medians of their
#                                         figures in target/bench-runs/summary.md
#
#   bench/run.sh --throughput-only --avro [...] values through the Avro converter and a real Apicurio Registry
#                                         (started as a child process), for the connector and Connect's ceiling
#   bench/run.sh --throughput-only [--charts DIR] typed and raw values against Connect's ceiling and the string
#                                         ceiling (Kafka's FileStreamSource); --charts writes SVG charts of them to DIR
#
# --quick shrinks everything so that a run proves the harness works (about a minute); its figures mean
# nothing. BENCH_JAVA_OPTS replaces the benchmark JVM's flags (default: -Xms1g -Xmx1g -XX:+UseG1GC).
set -euo pipefail
cd "$(dirname "$0")/.."

command="bench/run.sh $*"
jmh=false
jmh_bench=HotPathBenchmark
quick=false
avro=false
repeat=0
args=()
while (($#)); do
  case "$1" in
    --jmh) jmh=true ;;
    --jmh-bench)
      [[ "${2:-}" =~ ^[A-Za-z][A-Za-z0-9]*$ ]] || { echo "--jmh-bench takes a class name of bench/" >&2; exit 2; }
      jmh_bench=$2; shift ;;
    --quick) quick=true; args+=("$1") ;;
    --avro) avro=true; args+=("$1") ;;
    --repeat)
      [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || { echo "--repeat takes a positive number of runs" >&2; exit 2; }
      repeat=$2; shift ;;
    *) args+=("$1") ;;
  esac
  shift
done

# Maven's output is shown only when the build fails; quiet mode still prints stray terminal escapes.
echo "building the test classes (mvn -q -DskipTests test-compile)"
build_log=$(mktemp)
# --avro runs a real Apicurio Registry: the build unpacks its server, as for SchemaRegistryIT.
registry_goal=()
if $avro; then
  registry_goal=(dependency:unpack@apicurio-registry)
fi
if ! mvn -q -B -DskipTests test-compile dependency:build-classpath "${registry_goal[@]+"${registry_goal[@]}"}" \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >"$build_log" 2>&1; then
  cat "$build_log"
  rm -f "$build_log"
  exit 1
fi
rm -f "$build_log"
classpath="target/test-classes:target/classes:$(cat target/bench.classpath)"
read -r -a java_opts <<< "${BENCH_JAVA_OPTS:--Xms1g -Xmx1g -XX:+UseG1GC}"
if $avro; then
  runner=$(ls "$PWD"/target/apicurio-registry/apicurio-registry-app-*-runner.jar)
  java_opts+=("-Dapicurio.registry.jar=$runner")
fi

if $jmh; then
  jmh_args=()
  for arg in "${args[@]+"${args[@]}"}"; do
    [[ "$arg" == --quick ]] || jmh_args+=("$arg")
  done
  if $quick; then
    # One short fork: enough to see that every benchmark runs, not to trust its numbers.
    jmh_args=(-f 1 -wi 1 -w 1s -i 2 -r 1s "${jmh_args[@]+"${jmh_args[@]}"}")
  fi
  exec java -cp "$classpath" org.openjdk.jmh.Main "io\\.github\\.kafkaconnectastro\\.bench\\.$jmh_bench\\." \
    -rf json -rff target/jmh-result.json "${jmh_args[@]+"${jmh_args[@]}"}"
fi

if ((repeat == 0)); then
  exec java "${java_opts[@]}" -Dlog4j2.configurationFile=bench/log4j2-bench.xml \
    -Dbench.command="$command" \
    -cp "$classpath" io.github.kafkaconnectastro.bench.EndToEndBenchmark "${args[@]+"${args[@]}"}"
fi

# Each run in a fresh JVM (its own broker, worker and JIT), so that the spread between runs shows too.
runs_dir=target/bench-runs
rm -rf "$runs_dir"
mkdir -p "$runs_dir"
reports=()
for ((i = 1; i <= repeat; i++)); do
  echo "run $i of $repeat"
  java "${java_opts[@]}" -Dlog4j2.configurationFile=bench/log4j2-bench.xml \
    -Dbench.command="$command (run $i of $repeat)" \
    -cp "$classpath" io.github.kafkaconnectastro.bench.EndToEndBenchmark "${args[@]+"${args[@]}"}" \
    --report "$runs_dir/run-$i.md" || echo "run $i ended with exit status $? (see its report)" >&2
  if [[ -f "$runs_dir/run-$i.md" ]]; then
    reports+=("$runs_dir/run-$i.md")
  fi
done
((${#reports[@]} > 0)) || { echo "no run wrote a report" >&2; exit 1; }
exec java -cp "$classpath" io.github.kafkaconnectastro.bench.BenchSummary "$runs_dir/summary.md" "${reports[@]}"
