#!/usr/bin/env bash
# Builds the vfo Kafka broker image without any image registry:
#   1. the broker's jars from Maven Central (./mvnw dependency:copy-dependencies on ./pom.xml),
#   2. a base image: a jlink'd JRE from the host JDK, the libraries ldd lists, a static busybox
#      and a minimal /etc/passwd, imported with `docker import`,
#   3. KRaft storage formatted on the host (static voters, so no ports inside),
#   4. `docker build` with COPY only (the engine has no network),
#   5. an AppCDS archive from one broker run in a --network none container, COPY'd on top.
# Skips everything when the image exists with the same inputs (label dev.vfo.inputs).
#
# usage: deploy/docker/kafka/build-image.sh [image]     (FORCE=1 rebuilds)
# The image name defaults to $VFO_KAFKA_IMAGE, else vfo/kafka:<kafka.version of the root pom>:
# the same setting the test harness (dev.vfo.schemas.testkit.KafkaBroker) reads.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
WORK=$HERE/target
DOCKER=${DOCKER:-$( [ -x /usr/bin/docker ] && echo /usr/bin/docker || echo docker )}
export DOCKER_HOST=${DOCKER_HOST:-unix:///var/run/docker.sock}
# The legacy builder uses the local base image as it is; BuildKit would ask a registry about it.
export DOCKER_BUILDKIT=0
JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
BUSYBOX=${BUSYBOX:-/bin/busybox}
# What the broker loads (Kafka, Scala, Jackson, JMX, SASL/JAAS, compression natives via jdk.unsupported).
JRE_MODULES=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.management.rmi,java.naming,java.net.http,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.management.agent,jdk.naming.dns,jdk.net,jdk.security.auth,jdk.security.jgss,jdk.unsupported,jdk.zipfs

started=$(date +%s%N)
log() { local ms=$(( ($(date +%s%N) - started) / 1000000 )); printf '[build-image %3d.%ds] %s\n' $((ms / 1000)) $((ms % 1000 / 100)) "$*" >&2; }
sha() { sha256sum | cut -c1-16; }

kafka_version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$ROOT/pom.xml" | head -n 1)
IMAGE=${1:-${VFO_KAFKA_IMAGE:-vfo/kafka:$kafka_version}}

[ -x "$BUSYBOX" ] && "$BUSYBOX" --list >/dev/null 2>&1 || { echo "static busybox missing: apt-get install busybox-static" >&2; exit 1; }
[ -d "$JAVA_HOME/jmods" ] || { echo "no jmods in $JAVA_HOME: need a full JDK for jlink" >&2; exit 1; }
"$DOCKER" info >/dev/null 2>&1 || { echo "no Docker engine answers at $DOCKER_HOST (see .ci/docker-engine.sh start)" >&2; exit 1; }

java_version=$("$JAVA_HOME/bin/java" -version 2>&1)
busybox_version=$("$BUSYBOX" 2>&1 | sed -n 1p)
base_hash=$(printf '%s\n' "$java_version" "$busybox_version" "$JRE_MODULES" "$(sed -n '/^build_base()/,/^}/p' "$0")" | sha)
BASE=vfo/kafka-base:$base_hash
# Root pom: only its version properties matter here (other edits must not force a rebuild).
inputs_hash=$( { cat "$HERE/Dockerfile" "$HERE/start-kafka.sh" "$HERE/logback.xml" "$HERE/pom.xml" "$0";
                 grep -E '^\s*<[A-Za-z.-]+\.version>' "$ROOT/pom.xml"; echo "$BASE"; } | sha)

current=$("$DOCKER" image inspect -f '{{ index .Config.Labels "dev.vfo.inputs" }}' "$IMAGE" 2>/dev/null || true)
if [ "$current" = "$inputs_hash" ] && [ -z "${FORCE:-}" ]; then
  log "$IMAGE is up to date (inputs $inputs_hash)"
  exit 0
fi

build_base() {
  local rootfs=$WORK/rootfs
  rm -rf "$rootfs"; mkdir -p "$rootfs"/{bin,etc,tmp,opt,var/lib/kafka/data}
  "$JAVA_HOME/bin/jlink" --module-path "$JAVA_HOME/jmods" --add-modules "$JRE_MODULES" \
    --strip-debug --no-header-files --no-man-pages --compress=2 --generate-cds-archive \
    --output "$rootfs/opt/jre"
  # The host libraries the JRE links against, at the same paths, plus the dynamic loader.
  find "$rootfs/opt/jre" -type f \( -name java -o -name '*.so' \) -print0 \
    | xargs -0 -n 1 ldd 2>/dev/null \
    | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u \
    | while read -r lib; do cp -L --parents "$lib" "$rootfs/"; done
  cp "$BUSYBOX" "$rootfs/bin/busybox"
  for applet in $("$BUSYBOX" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$rootfs/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nkafka:x:1000:1000:kafka:/var/lib/kafka:/bin/sh\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nkafka:x:1000:\n' >"$rootfs/etc/group"
  chmod 1777 "$rootfs/tmp"
  chown -R 1000:1000 "$rootfs/var/lib/kafka"
  tar --numeric-owner -C "$rootfs" -c . | "$DOCKER" import \
    --change 'ENV PATH=/opt/jre/bin:/bin' --change "LABEL dev.vfo.base=$base_hash" - "$BASE" >/dev/null
  rm -rf "$rootfs"
}

mkdir -p "$WORK"
if "$DOCKER" image inspect "$BASE" >/dev/null 2>&1; then
  log "base $BASE exists"
else
  log "building base $BASE (jlink JRE from $JAVA_HOME, busybox, libraries)"
  build_base
  log "base $BASE imported ($("$DOCKER" image inspect -f '{{.Size}}' "$BASE" | awk '{printf "%.0f MB", $1/1e6}'))"
fi

context=$WORK/context
rm -rf "$context"; mkdir -p "$context/formatted"
log "resolving Kafka $kafka_version jars"
(cd "$ROOT" && ./mvnw -q -B -f "$HERE/pom.xml" dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$context/libs")
log "$(ls "$context/libs" | wc -l) jars, $(du -sh "$context/libs" | cut -f1)"

# Format with the same static-voter layout the start script writes, so the container starts
# without a formatting JVM. A Kafka cluster id is 16 random bytes in URL-safe base64.
cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | cut -c 1-22)
cat >"$WORK/format.properties" <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:9093
listeners=PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093
controller.listener.names=CONTROLLER
log.dirs=$context/formatted
PROPERTIES
"$JAVA_HOME/bin/java" -Dlogback.configurationFile="$HERE/logback.xml" \
  -Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory \
  -cp "$context/libs/*" kafka.tools.StorageTool format -t "$cluster_id" -c "$WORK/format.properties" >/dev/null
log "KRaft storage formatted (cluster $cluster_id)"

cp "$HERE/Dockerfile" "$HERE/start-kafka.sh" "$HERE/logback.xml" "$context/"
plain=$("$DOCKER" build -q --build-arg "BASE=$BASE" "$context")
log "broker image built; training its class-data archive"

# AppCDS: one broker run (no network at all) records the classes it loads; the image then maps
# them at start instead of parsing ~40 MB of jars, which roughly halves start-to-ready. Without
# the archive the image still works (the start script uses it only if present).
cds=$WORK/cds
rm -rf "$cds"; mkdir -p "$cds"
trainer=$("$DOCKER" run -d --network none -e KAFKA_JVM_OPTS=-XX:ArchiveClassesAtExit=/tmp/kafka.jsa "$plain")
for _ in $(seq 1 240); do
  "$DOCKER" logs "$trainer" 2>&1 | grep -q 'Kafka Server started' && break
  sleep 0.5
done
"$DOCKER" stop -t 60 "$trainer" >/dev/null
if "$DOCKER" cp "$trainer:/tmp/kafka.jsa" "$cds/kafka.jsa" 2>/dev/null; then
  printf 'ARG IMAGE\nFROM ${IMAGE}\nCOPY kafka.jsa /opt/kafka/kafka.jsa\n' >"$cds/Dockerfile"
  "$DOCKER" build -q --build-arg "IMAGE=$plain" --label "dev.vfo.inputs=$inputs_hash" -t "$IMAGE" "$cds" >/dev/null
  log "class-data archive: $(du -h "$cds/kafka.jsa" | cut -f1)"
else
  log "no class-data archive was written (trainer log below); the image starts without it"
  "$DOCKER" logs "$trainer" 2>&1 | tail -n 20 >&2
  printf 'FROM %s\n' "$plain" | "$DOCKER" build -q --label "dev.vfo.inputs=$inputs_hash" -t "$IMAGE" - >/dev/null
fi
"$DOCKER" rm -f "$trainer" >/dev/null
rm -rf "$cds"
# The image this one replaced is now untagged: drop it (and any other untagged vfo build).
"$DOCKER" image prune -f --filter label=dev.vfo.inputs >/dev/null
rm -rf "$context"
log "built $IMAGE ($("$DOCKER" image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1/1e6}'), inputs $inputs_hash)"
