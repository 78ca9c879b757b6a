#!/usr/bin/env bash
# Prints the Strimzi resources one hypervisor host needs, for `kubectl apply -f -`:
#   - KafkaTopic vfo.commands.<host id> (1 partition: the host's commands stay in order);
#   - KafkaUser agent-<host id>: READ on exactly that topic (LITERAL, so no other host's
#     commands), WRITE on vfo.device-events, IdempotentWrite, and its own consumer group.
# That is how Kafka enforces that an agent reads only its own commands.
#
# usage: deploy/kubernetes/strimzi/agent-host.sh <host id> [tls|tls-external|scram-sha-512]
#   tls           the User Operator issues the agent's certificate into Secret agent-<host id>
#                 (copy user.p12 and user.password to the host's /etc/vfo/tls/)
#   tls-external  your PKI issues it, subject CN=agent-<Kubernetes name>; no Secret is created
#   scram-sha-512 a generated password in Secret agent-<host id> (SASL_SSL on the host)
# The host id must be what the agent's VFO_HOST_ID says: letters, digits, . _ - only.
set -euo pipefail

host=${1:-}
auth=${2:-tls}
case "$host" in
  *[!A-Za-z0-9._-]*|'') echo "agent-host.sh: host id '$host' may use only A-Z a-z 0-9 . _ -" >&2; exit 2 ;;
esac
case "$auth" in
  tls|tls-external|scram-sha-512) ;;
  *) echo "agent-host.sh: authentication '$auth' is not tls, tls-external or scram-sha-512" >&2; exit 2 ;;
esac
# Kubernetes names: lower case, no '_' or '.'. Host ids that differ only there (a.b, a_b, A-B)
# would share one KafkaUser: do not use such ids side by side.
k8s=$(printf '%s' "$host" | tr 'A-Z_.' 'a-z--')
# Kafka's topic name limit (249) minus "vfo.commands."; the KafkaUser name becomes a CN (64).
[ ${#host} -le 50 ] || { echo "agent-host.sh: host id '$host' is longer than 50 characters" >&2; exit 2; }

cat <<YAML
apiVersion: kafka.strimzi.io/v1beta2
kind: KafkaTopic
metadata:
  name: vfo-commands-$k8s
  labels:
    strimzi.io/cluster: vfo-kafka
    app.kubernetes.io/part-of: vfo
    vfo.dev/host-id: "$k8s"
spec:
  topicName: vfo.commands.$host
  partitions: 1
  replicas: 3
  config:
    # 7 days: commands have deadlines; the coordinator log is their durable record.
    cleanup.policy: delete
    retention.ms: 604800000
    min.insync.replicas: 2
---
apiVersion: kafka.strimzi.io/v1beta2
kind: KafkaUser
metadata:
  name: agent-$k8s
  labels:
    strimzi.io/cluster: vfo-kafka
    app.kubernetes.io/part-of: vfo
    vfo.dev/host-id: "$k8s"
spec:
  authentication:
    type: $auth
  authorization:
    type: simple
    acls:
      # Its own commands only: LITERAL, never PREFIXED.
      - resource: {type: topic, name: vfo.commands.$host, patternType: literal}
        operations: [Read, Describe]
      - resource: {type: group, name: vfo-agent-$host, patternType: literal}
        operations: [Read, Describe]
      # Its reports. Kafka cannot check that the key or hostId is this host's; the coordinator
      # does (docs/security.md).
      - resource: {type: topic, name: vfo.device-events, patternType: literal}
        operations: [Write, Describe]
      # Commands it cannot decode go to the dead letters with their bytes.
      - resource: {type: topic, name: vfo.dead-letters, patternType: literal}
        operations: [Write, Describe]
      - resource: {type: cluster}
        operations: [IdempotentWrite]
YAML
