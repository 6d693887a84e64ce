#!/usr/bin/env bash
# shellcheck disable=SC2317 # cleanup and stop_process run from the EXIT trap, which shellcheck does not follow
# Quick start: builds the plugin, runs a real single-node Kafka (KRaft) and a real Connect worker with the plugin
# installed, feeds the connector from the bundled Astro emulator (or the real gateway) and shows the records as
# they land in Kafka. Ctrl-C (or --duration) stops everything it started. Needs Java 17+ and Maven, nothing else.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MVN=${MVN:-mvn}

usage() {
  cat <<'EOF'
Usage: ./quickstart.sh [options]

Builds the connector, starts Kafka, a Connect worker and the Astro emulator on 127.0.0.1, creates the
connector through the Connect REST API and prints the records as they arrive. Ctrl-C stops everything.

Options:
  --duration N          stop after showing records for N seconds (default: run until Ctrl-C)
  --until-shown TOPICS  stop earlier, as soon as a record of each of these comma-separated topics has shown
  --work-dir DIR        logs, data and the cached Kafka jars (default: ./quickstart-work)
  --broker-port N       Kafka listener (default 19092)
  --controller-port N   KRaft controller listener (default 19093)
  --rest-port N         Connect REST API (default 18083)
  --emulator-port N     Astro emulator (default 17070)
  --emulator-rate N     notifications per second from the emulator (default 5)
  --skip-build          use the plugin and tool jars already in target/ (mvn package)
  --streams             also run the Kafka Streams example (examples/tip-totals): its tip totals and follow
                        counts per minute show among the records, each minute's about 10 s after it ends
  --monitoring          also run Prometheus (deploy/prometheus: the exporter agent on the worker, the alert
                        rules loaded), print its URL and, at the end, the alerts' state
  --prometheus-port N   Prometheus (default 19090), with --monitoring
  --exporter-port N     the worker's JMX exporter agent (default 19404), with --monitoring
  -h, --help            this help

Real gateway (wss://astro.streamelements.com) instead of the emulator:
  --gateway             use the real gateway; the token comes from $ASTRO_TOKEN
  --token TOKEN         the StreamElements JWT token (implies --gateway; prefer $ASTRO_TOKEN, which
                        other users of this machine cannot see in the process list)
  --channel ID          the channel id to read (default $ASTRO_CHANNEL, or the token's own channel)
The README says where a StreamElements user finds both.
EOF
}

work_dir=$ROOT/quickstart-work
broker_port=19092
controller_port=19093
rest_port=18083
emulator_port=17070
emulator_rate=5
duration=0
until_shown=
skip_build=false
streams=false
monitoring=false
prometheus_port=19090
exporter_port=19404
gateway=false
token=${ASTRO_TOKEN:-}
channel=${ASTRO_CHANNEL:-}

die() {
  echo "quickstart: $*" >&2
  exit 1
}

need_value() {
  [[ $# -ge 2 && -n $2 ]] || die "$1 needs a value (see --help)"
}

need_number() {
  [[ $2 =~ ^[0-9]+$ ]] || die "$1 needs a number, not '$2'"
}

while [[ $# -gt 0 ]]; do
  case $1 in
    --duration) need_value "$@"; need_number "$1" "$2"; duration=$2; shift 2 ;;
    --until-shown) need_value "$@"; until_shown=$2; shift 2 ;;
    --work-dir) need_value "$@"; work_dir=$2; shift 2 ;;
    --broker-port) need_value "$@"; need_number "$1" "$2"; broker_port=$2; shift 2 ;;
    --controller-port) need_value "$@"; need_number "$1" "$2"; controller_port=$2; shift 2 ;;
    --rest-port) need_value "$@"; need_number "$1" "$2"; rest_port=$2; shift 2 ;;
    --emulator-port) need_value "$@"; need_number "$1" "$2"; emulator_port=$2; shift 2 ;;
    --emulator-rate) need_value "$@"; need_number "$1" "$2"; emulator_rate=$2; shift 2 ;;
    --skip-build) skip_build=true; shift ;;
    --streams) streams=true; shift ;;
    --monitoring) monitoring=true; shift ;;
    --prometheus-port) need_value "$@"; need_number "$1" "$2"; prometheus_port=$2; shift 2 ;;
    --exporter-port) need_value "$@"; need_number "$1" "$2"; exporter_port=$2; shift 2 ;;
    --gateway) gateway=true; shift ;;
    --token) need_value "$@"; token=$2; gateway=true; shift 2 ;;
    --channel) need_value "$@"; channel=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done

if [[ $gateway == true && -z $token ]]; then
  die "the real gateway needs a StreamElements token: set ASTRO_TOKEN (or pass --token).
  Find it on https://streamelements.com/dashboard/account/channels under 'Show secrets' (JWT Token)."
fi
if [[ -n $channel && ! $channel =~ ^[A-Za-z0-9_-]+$ ]]; then
  die "--channel takes a channel id like 5f2b0c1e9a1d4c0012ab34cd, not '$channel'"
fi

mkdir -p "$work_dir"
work_dir=$(cd "$work_dir" && pwd)
run_dir=$work_dir/run
log_dir=$work_dir/logs
conf_dir=$work_dir/config
runtime_dir=$work_dir/runtime
mkdir -p "$run_dir" "$log_dir" "$conf_dir"

# ---------------------------------------------------------------------------------------------------------------
# Processes: each one started in the background, its PID in run/<name>.pid, stopped by that PID.

pid_of() {
  [[ -f $run_dir/$1.pid ]] && cat "$run_dir/$1.pid"
}

alive() {
  local pid
  pid=$(pid_of "$1") && kill -0 "$pid" 2>/dev/null
}

command_line() {
  if [[ -r /proc/$1/cmdline ]]; then
    tr '\0' ' ' <"/proc/$1/cmdline"
  else
    ps -o args= -p "$1" 2>/dev/null || true
  fi
}

# Asks a process to stop (SIGTERM: Kafka and Connect shut down cleanly), and kills it if it has not after $2 s.
stop_process() {
  local name=$1 timeout=$2 pid waited=0
  pid=$(pid_of "$name") || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && ((waited < timeout * 10)); do
      sleep 0.1
      waited=$((waited + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "quickstart: $name (pid $pid) did not stop within ${timeout}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    echo "quickstart: stopped $name (pid $pid)"
  fi
  wait "$pid" 2>/dev/null || true
  rm -f "$run_dir/$name.pid"
}

# A previous run killed with SIGKILL could not clean up: stop what it left, if it is still ours.
stop_leftovers() {
  local file pid name
  for file in "$run_dir"/*.pid; do
    [[ -e $file ]] || continue
    name=$(basename "$file" .pid)
    pid=$(<"$file")
    if kill -0 "$pid" 2>/dev/null && [[ $(command_line "$pid") == *"$work_dir"* ]]; then
      echo "quickstart: a previous run left $name running (pid $pid); stopping it"
      kill -TERM "$pid" 2>/dev/null || true
      for _ in {1..300}; do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$file"
  done
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  echo
  echo "quickstart: stopping everything it started"
  stop_process console 10
  stop_process prometheus 10
  stop_process streams 30
  stop_process connect 30
  stop_process emulator 10
  stop_process broker 30
  echo "quickstart: all stopped; logs are in $log_dir"
  exit "$status"
}

start_process() {
  local name=$1
  shift
  "$@" >"$log_dir/$name.log" 2>&1 </dev/null &
  echo $! >"$run_dir/$name.pid"
  echo "quickstart: started $name (pid $!), log $log_dir/$name.log"
}

port_open() {
  (: <"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

await_port() {
  local name=$1 port=$2 timeout=$3 waited=0
  until port_open "$port"; do
    if ! alive "$name"; then
      echo "quickstart: $name stopped while starting; the end of $log_dir/$name.log:" >&2
      tail -n 30 "$log_dir/$name.log" >&2 || true
      exit 1
    fi
    if ((waited >= timeout * 2)); then
      die "$name did not listen on port $port within ${timeout}s; see $log_dir/$name.log"
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
}

# A GET on 127.0.0.1 without curl: bash's /dev/tcp, HTTP/1.0 (the server closes when done); prints the body.
http_get() {
  local port=$1 path=$2 response
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$path" >&3
  response=$(cat <&3)
  exec 3<&-
  printf '%s' "${response#*$'\r\n\r\n'}"
}

# How many alert rules Prometheus has loaded.
alert_rules() {
  { http_get "$prometheus_port" /api/v1/rules 2>/dev/null || true; } | grep -o '"type":"alerting"' | wc -l | tr -d ' '
}

# The alerts' state: each pending or firing alert with its labels, or that none is.
print_alerts() {
  local alerts
  alerts=$(http_get "$prometheus_port" /api/v1/alerts 2>/dev/null) || { echo "quickstart: Prometheus did not answer"; return 0; }
  if [[ $alerts != *'"alertname"'* ]]; then
    echo "quickstart: Prometheus alerts: none pending or firing ($(alert_rules) alert rules loaded)"
    return 0
  fi
  echo "quickstart: Prometheus alerts, pending or firing ($(alert_rules) alert rules loaded):"
  grep -o '"labels":{[^}]*},"annotations":{[^}]*},"state":"[a-z]*"' <<<"$alerts" |
    sed -e 's/"annotations":{[^}]*},//' -e 's/"labels":{\([^}]*\)},"state":"\([a-z]*\)"/  \2: \1/' || true
}

# ---------------------------------------------------------------------------------------------------------------
# Checks before starting anything.

command -v java >/dev/null 2>&1 || die "java not found: install a Java 17 (or later) JDK"
command -v jar >/dev/null 2>&1 || die "jar not found: install a Java JDK, not only a runtime"
java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')
[[ ${java_major:-0} -ge 17 ]] || die "Java 17 or later needed, found ${java_major:-an unknown version}"

stop_leftovers
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ports=("broker:$broker_port" "controller:$controller_port" "rest:$rest_port")
[[ $gateway == true ]] || ports+=("emulator:$emulator_port")
[[ $monitoring == false ]] || ports+=("prometheus:$prometheus_port" "exporter:$exporter_port")
for entry in "${ports[@]}"; do
  if port_open "${entry#*:}"; then
    die "port ${entry#*:} (${entry%%:*}) is already in use on 127.0.0.1; choose another with --${entry%%:*}-port"
  fi
done

# ---------------------------------------------------------------------------------------------------------------
# Build, and the Kafka jars.

if [[ $skip_build == false ]]; then
  command -v "$MVN" >/dev/null 2>&1 || die "Maven ($MVN) not found"
  echo "quickstart: building the plugin (mvn package -DskipTests; the first build downloads dependencies)"
  if ! (cd "$ROOT" && "$MVN" -B -ntp -DskipTests package >"$log_dir/build.log" 2>&1); then
    tail -n 40 "$log_dir/build.log" >&2
    die "the build failed; full log in $log_dir/build.log"
  fi
fi

newest() {
  # shellcheck disable=SC2012 # names are ours, without newlines
  ls -t "$@" 2>/dev/null | head -n 1
}
plugin_zip=$(newest "$ROOT"/target/components/*.zip)
emulator_jar=$(newest "$ROOT"/target/kafka-connect-astro-*-emulator.jar)
console_jar=$(newest "$ROOT"/target/kafka-connect-astro-*-quickstart-console.jar)
[[ -n $plugin_zip && -n $emulator_jar && -n $console_jar ]] ||
  die "no plugin archive or quick start jars in $ROOT/target: run without --skip-build (or mvn package)"

# The Kafka Streams example is a Maven project of its own; its jar and libraries go to its target/.
streams_dir=$ROOT/examples/tip-totals
if [[ $streams == true ]]; then
  if [[ $skip_build == false ]]; then
    echo "quickstart: building the Kafka Streams example (examples/tip-totals)"
    if ! "$MVN" -B -ntp -DskipTests -f "$streams_dir/pom.xml" package dependency:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory="$streams_dir/target/lib" >"$log_dir/build-streams.log" 2>&1; then
      tail -n 40 "$log_dir/build-streams.log" >&2
      die "the Kafka Streams example did not build; full log in $log_dir/build-streams.log"
    fi
  fi
  streams_jar=$(newest "$streams_dir"/target/kafka-connect-astro-example-tip-totals-*.jar)
  [[ -n $streams_jar && -d $streams_dir/target/lib ]] ||
    die "the Kafka Streams example is not built in $streams_dir/target: run without --skip-build"
fi

# Cached in the work dir; fetched again only when quickstart/runtime/pom.xml changes.
runtime_lib=$runtime_dir/lib
if [[ -d $runtime_lib ]] && cmp -s "$ROOT/quickstart/runtime/pom.xml" "$runtime_dir/pom.xml"; then
  echo "quickstart: Kafka jars are up to date in $runtime_lib"
else
  command -v "$MVN" >/dev/null 2>&1 || die "Maven ($MVN) not found"
  echo "quickstart: fetching Kafka's jars from Maven (about 55 MB, once) into $runtime_lib"
  rm -rf "$runtime_dir"
  mkdir -p "$runtime_dir"
  if ! "$MVN" -B -ntp -q -f "$ROOT/quickstart/runtime/pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$runtime_dir/lib.partial" >"$log_dir/runtime.log" 2>&1; then
    tail -n 40 "$log_dir/runtime.log" >&2
    die "could not fetch Kafka's jars; full log in $log_dir/runtime.log"
  fi
  mv "$runtime_dir/lib.partial" "$runtime_lib"
  cp "$ROOT/quickstart/runtime/pom.xml" "$runtime_dir/pom.xml"
fi

# Monitoring: the JMX exporter agent (from Maven, cached) and Prometheus (Debian's package, unpacked; see
# deploy/prometheus/get-prometheus.sh), both kept across runs.
if [[ $monitoring == true ]]; then
  agent_jar=$runtime_dir/agent/jmx_prometheus_javaagent-1.0.1.jar
  if [[ ! -f $agent_jar ]]; then
    echo "quickstart: fetching the Prometheus JMX exporter agent from Maven"
    if ! "$MVN" -B -ntp -q dependency:copy -Dartifact=io.prometheus.jmx:jmx_prometheus_javaagent:1.0.1 \
        -DoutputDirectory="$runtime_dir/agent" >"$log_dir/agent.log" 2>&1; then
      tail -n 20 "$log_dir/agent.log" >&2
      die "could not fetch the JMX exporter agent; full log in $log_dir/agent.log"
    fi
  fi
  prometheus_home=$ROOT/.tools/prometheus
  "$ROOT/deploy/prometheus/get-prometheus.sh" "$prometheus_home" ||
    die "no Prometheus: see deploy/prometheus/get-prometheus.sh"
fi

# ---------------------------------------------------------------------------------------------------------------
# Configuration: fresh data and plugin on every run, so that a second run starts like the first.

rm -rf "$work_dir/data" "$work_dir/plugins"
mkdir -p "$work_dir/data" "$work_dir/plugins"
(cd "$work_dir/plugins" && jar xf "$plugin_zip")

cat >"$conf_dir/log4j2.properties" <<'EOF'
# Kafka and Connect log to stdout, which quickstart.sh sends to logs/<process>.log.
status = warn
appender.stdout.type = Console
appender.stdout.name = STDOUT
appender.stdout.layout.type = PatternLayout
appender.stdout.layout.pattern = [%d] %p %X{connector.context}%m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.stdout.ref = STDOUT
logger.astro.name = io.github.kafkaconnectastro
logger.astro.level = INFO
EOF

cat >"$conf_dir/log4j2-console.properties" <<'EOF'
# The console prints records on stdout; the Kafka client may only interrupt them with errors.
status = warn
appender.stderr.type = Console
appender.stderr.name = STDERR
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = %p %m (%c)%n
rootLogger.level = ERROR
rootLogger.appenderRef.stderr.ref = STDERR
EOF

cat >"$conf_dir/server.properties" <<EOF
# A single-node KRaft cluster: this process is both broker and controller.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$broker_port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$broker_port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$work_dir/data/kafka
num.partitions=1
# One broker: every internal topic has one replica.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF

cat >"$conf_dir/connect-distributed.properties" <<EOF
bootstrap.servers=127.0.0.1:$broker_port
group.id=astro-quickstart
config.storage.topic=astro-quickstart-configs
offset.storage.topic=astro-quickstart-offsets
status.storage.topic=astro-quickstart-status
config.storage.replication.factor=1
offset.storage.replication.factor=1
offset.storage.partitions=1
status.storage.replication.factor=1
status.storage.partitions=1
offset.flush.interval.ms=5000
key.converter=org.apache.kafka.connect.storage.StringConverter
value.converter=org.apache.kafka.connect.json.JsonConverter
value.converter.schemas.enable=false
listeners=http://127.0.0.1:$rest_port
rest.advertised.host.name=127.0.0.1
rest.advertised.port=$rest_port
# The unpacked plugin archive, as an operator installs it.
plugin.path=$work_dir/plugins
# Plugins are found through their META-INF/services manifests: no class path scan, a faster start.
plugin.discovery=service_load
# The real gateway's token comes from the worker's environment (\${env:ASTRO_TOKEN}), never from the
# connector config, so it is not written to the config topic.
config.providers=env
config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider
EOF

# The connector, from config/, pointed at this run's emulator port or the chosen channel.
connector_json=$conf_dir/connector.json
if [[ $gateway == true ]]; then
  source_json=$ROOT/config/astro-source-gateway.json
  if [[ -n $channel ]]; then
    topics=$(sed -n 's/.*"astro\.subscriptions": *"\([^"]*\)".*/\1/p' "$source_json")
    pairs=$(tr ',' '\n' <<<"$topics" | sed "s/\$/:$channel/" | paste -s -d ',' -)
    sed "s|\"astro\.subscriptions\": *\"[^\"]*\"|\"astro.subscriptions\": \"$pairs\"|" "$source_json" >"$connector_json"
  else
    cp "$source_json" "$connector_json"
  fi
else
  source_json=$ROOT/config/astro-source-quickstart.json
  sed "s|ws://127\.0\.0\.1:17070|ws://127.0.0.1:$emulator_port|" "$source_json" >"$connector_json"
fi
connector_name=$(sed -n 's/^ *"name": *"\([^"]*\)".*/\1/p' "$connector_json" | head -n 1)

# ---------------------------------------------------------------------------------------------------------------
# Start: broker, emulator, worker, then the console that creates the connector and shows the records.

kafka_java=(java -Xms128m -Xmx512m -Djava.awt.headless=true
  "-Dlog4j2.configurationFile=file:$conf_dir/log4j2.properties" -cp "$runtime_lib/*")

# A URL-safe base64 id, as Kafka's own random-uuid makes; like Kafka, draw again when it starts with '-', which
# the storage tool would read as an option (1 run in 64 failed to format).
cluster_id=-
while [[ "$cluster_id" == -* ]]; do
  cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
done
if ! "${kafka_java[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$conf_dir/server.properties" \
    >"$log_dir/format.log" 2>&1; then
  cat "$log_dir/format.log" >&2
  die "could not format the broker's storage"
fi

start_process broker "${kafka_java[@]}" kafka.Kafka "$conf_dir/server.properties"
if [[ $gateway == false ]]; then
  start_process emulator java -Xmx128m -jar "$emulator_jar" --port "$emulator_port" --rate "$emulator_rate" \
    --token quickstart-token
fi
await_port broker "$broker_port" 120
if [[ $gateway == true ]]; then
  # The worker resolves ${env:ASTRO_TOKEN}; an environment is only readable by its own user, unlike arguments.
  export ASTRO_TOKEN=$token
else
  await_port emulator "$emulator_port" 60
fi
connect_java=("${kafka_java[@]}")
if [[ $monitoring == true ]]; then
  connect_java+=("-javaagent:$agent_jar=127.0.0.1:$exporter_port:$ROOT/deploy/prometheus/astro-jmx-exporter.yaml")
fi
start_process connect "${connect_java[@]}" \
  org.apache.kafka.connect.cli.ConnectDistributed "$conf_dir/connect-distributed.properties"

if [[ $monitoring == true ]]; then
  cat >"$conf_dir/prometheus.yml" <<EOF
# Scrapes the worker's JMX exporter agent and evaluates the connector's alert rules.
global:
  scrape_interval: 5s
  evaluation_interval: 5s
rule_files:
  - $ROOT/deploy/prometheus/astro-alerts.yaml
scrape_configs:
  - job_name: kafka-connect
    static_configs:
      - targets: ['127.0.0.1:$exporter_port']
EOF
  start_process prometheus "$prometheus_home/usr/bin/prometheus" "--config.file=$conf_dir/prometheus.yml" \
    "--storage.tsdb.path=$work_dir/data/prometheus" "--web.listen-address=127.0.0.1:$prometheus_port"
  await_port prometheus "$prometheus_port" 60
  # The port opens before the configuration and the alert rules are loaded; /-/ready answers "… is Ready." once
  # they are, so that the summary below counts the rules loaded.
  ready_waits=0
  until [[ $(http_get "$prometheus_port" /-/ready 2>/dev/null) == *"is Ready."* ]]; do
    alive prometheus || die "Prometheus stopped while starting; see $log_dir/prometheus.log"
    ((ready_waits < 120)) || die "Prometheus was not ready within 60s; see $log_dir/prometheus.log"
    sleep 0.5
    ready_waits=$((ready_waits + 1))
  done
fi

if [[ $streams == true ]]; then
  # Kafka Streams stops when its input topics are missing, and the connector creates them only with its first
  # records: create them first (the broker creates the output topics on first use).
  for topic in astro.channel.tips astro.channel.activities; do
    if ! "${kafka_java[@]}" org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$broker_port" \
        --create --if-not-exists --topic "$topic" >>"$log_dir/topics.log" 2>&1; then
      cat "$log_dir/topics.log" >&2
      die "could not create $topic for the Kafka Streams example"
    fi
  done
  start_process streams java -Xmx256m -cp "$streams_jar:$streams_dir/target/lib/*" \
    io.github.kafkaconnectastro.examples.tiptotals.TipTotalsApp "bootstrap.servers=127.0.0.1:$broker_port" \
    "state.dir=$work_dir/data/streams"
fi

cat <<EOF

  Kafka broker      127.0.0.1:$broker_port (KRaft; controller on $controller_port)
  Connect REST API  http://127.0.0.1:$rest_port   e.g. curl http://127.0.0.1:$rest_port/connectors/$connector_name/status
EOF
if [[ $gateway == true ]]; then
  echo "  Astro gateway     wss://astro.streamelements.com, channel ${channel:-of the token}"
else
  echo "  Astro emulator    ws://127.0.0.1:$emulator_port, $emulator_rate notifications/s"
fi
cat <<EOF
  Connector config  $connector_json (from ${source_json#"$ROOT"/})
EOF
if [[ $monitoring == true ]]; then
  cat <<EOF
  Prometheus        http://127.0.0.1:$prometheus_port (alerts: /alerts), scraping the worker's exporter on
                    http://127.0.0.1:$exporter_port/metrics; $(alert_rules) alert rules loaded
EOF
fi
if [[ $streams == true ]]; then
  cat <<EOF
  Streams example   examples/tip-totals: per-minute tip totals in astro.tip-totals.per-minute and follows in
                    astro.follows.per-minute, printed among the records once each minute has closed
EOF
fi
cat <<EOF
  Kafka's tools     java -cp '$runtime_lib/*' org.apache.kafka.tools.consumer.ConsoleConsumer \\
                      --bootstrap-server 127.0.0.1:$broker_port --topic astro.channel.tips --from-beginning
  Logs              $log_dir
  Stop              Ctrl-C stops everything this script started

EOF

# On a terminal, values are cut to fit its width; piped, they are printed whole.
value_width=0
if [[ -t 1 ]]; then
  columns=$(stty size </dev/tty 2>/dev/null | cut -d ' ' -f 2) || columns=
  value_width=$((${columns:-160} - 82))
  ((value_width >= 40)) || value_width=40
fi
console_args=(--rest "http://127.0.0.1:$rest_port/" --bootstrap "127.0.0.1:$broker_port"
  --connector "$connector_json" --duration "$duration" --value-width "$value_width")
[[ -z $until_shown ]] || console_args+=(--until-shown "$until_shown")
# Not through start_process: the console's output is what the user came for, so it goes to this terminal.
java -Xmx256m "-Dlog4j2.configurationFile=file:$conf_dir/log4j2-console.properties" \
  -cp "$console_jar:$runtime_lib/*" io.github.kafkaconnectastro.quickstart.QuickstartConsole "${console_args[@]}" \
  </dev/null &
echo $! >"$run_dir/console.pid"

# Watch the processes until the console is done (duration over, or the connector failed).
while alive console; do
  for name in broker connect emulator streams prometheus; do
    if [[ -f $run_dir/$name.pid ]] && ! alive "$name"; then
      echo "quickstart: $name stopped unexpectedly; the end of $log_dir/$name.log:" >&2
      tail -n 30 "$log_dir/$name.log" >&2 || true
      exit 1
    fi
  done
  sleep 1
done
console_status=0
wait "$(pid_of console)" || console_status=$?
[[ $monitoring == false ]] || print_alerts

case $console_status in
  0) ;;
  4)
    if [[ $gateway == true ]]; then
      echo "quickstart: no notification arrived: nothing happened on the channel meanwhile, or the token's account"
      echo "            is not the channel's (a JWT subscribes fine but receives nothing for another account)."
      console_status=0
    else
      echo "quickstart: no record arrived; see $log_dir/connect.log and $log_dir/emulator.log" >&2
    fi
    ;;
  3) echo "quickstart: the connector did not run; see $log_dir/connect.log" >&2 ;;
  *) echo "quickstart: the console stopped with status $console_status; see $log_dir/connect.log" >&2 ;;
esac
exit "$console_status"
