#!/bin/sh
# Entry point of the vfo Kafka image: a single-node KRaft broker+controller on 127.0.0.1 (the
# container runs with --network host), ports from the environment.
#   KAFKA_BROKER_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_HEAP_OPTS, KAFKA_JVM_OPTS
# Like the official apache/kafka image, any other KAFKA_SOME_NAME=value becomes the property
# some.name=value and wins over the defaults below: the test harness passes
# dev.vfo.schemas.broker.EmbeddedKafka.singleNodeConfig() that way, so both test modes run the
# same broker configuration. The defaults serve a plain `docker run --network host`.
set -eu
BROKER_PORT=${KAFKA_BROKER_PORT:-9092}
CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
DATA=/var/lib/kafka/data
CONFIG=/tmp/server.properties

# Storage was formatted at image build time with static voters (no ports inside). An empty data
# directory (a fresh volume) gets that formatted copy; a used one is kept as it is.
if [ ! -f "$DATA/meta.properties" ]; then
  cp -a /opt/kafka/formatted/. "$DATA/"
fi

cat >"$CONFIG" <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$BROKER_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$BROKER_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DATA
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
min.insync.replicas=1
default.replication.factor=1
group.initial.rebalance.delay.ms=0
PROPERTIES
env | sed -n 's/^KAFKA_\([A-Z0-9_]*\)=\(.*\)$/\1 \2/p' | while read -r name value; do
  case "$name" in
    BROKER_PORT|CONTROLLER_PORT|HEAP_OPTS|JVM_OPTS) ;;
    *) echo "$(echo "$name" | tr 'A-Z_' 'a-z.')=$value" >>"$CONFIG" ;;
  esac
done

# The class-data archive build-image.sh trained on this image, if there is one.
CDS=
if [ -f /opt/kafka/kafka.jsa ]; then CDS=-XX:SharedArchiveFile=/opt/kafka/kafka.jsa; fi

# Serial GC and C1 only: a test broker on a shared 2-core machine starts faster this way.
# log4j-core is not in the image; log4j-api's simple context keeps its "no implementation" error quiet.
exec java ${KAFKA_HEAP_OPTS:--Xms128m -Xmx512m} \
  -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto $CDS \
  -Dlogback.configurationFile=/opt/kafka/config/logback.xml \
  -Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory \
  ${KAFKA_JVM_OPTS:-} \
  -cp '/opt/kafka/libs/*' kafka.Kafka "$CONFIG"
