#!/usr/bin/env bash
# Builds the vfo container images vfo/coordinator:<version> and vfo/agent:<version> from
# deploy/target/vfo-all.jar, with COPY only, without any registry.
#
#   1. the jar: built through deploy/bin/vfo when missing or older than the sources
#      (VFO_MVN_ARGS=-o keeps that build offline);
#   2. the base image: $VFO_BASE_IMAGE if set, else the newest local vfo/kafka-base:<hash> (the
#      jlink'd JRE + busybox base that deploy/docker/kafka/build-image.sh imports; not the broker
#      image built on it, which carries the same label); no registry is ever asked (the legacy
#      builder uses local images as they are);
#   3. `docker build` of deploy/images/<name>/Dockerfile on a context holding only the jar and
#      the image's /etc/passwd and /etc/group.
#
# usage: deploy/images/build.sh [coordinator|agent...]    (default: both)
# Environment: VFO_BASE_IMAGE, VFO_IMAGE_TAG (default: the root pom's version), DOCKER.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DOCKER=${DOCKER:-$( [ -x /usr/bin/docker ] && echo /usr/bin/docker || echo docker )}
# BuildKit would ask a registry about the base image; the legacy builder takes the local one.
export DOCKER_BUILDKIT=0
JAR=$ROOT/deploy/target/vfo-all.jar

if [ $# -eq 0 ]; then
  set -- coordinator agent
fi
for name in "$@"; do
  [ -f "$HERE/$name/Dockerfile" ] || { echo "build: no image named '$name' (deploy/images/$name/Dockerfile)" >&2; exit 2; }
done

"$DOCKER" info >/dev/null 2>&1 || { echo "build: no Docker engine answers (DOCKER_HOST=${DOCKER_HOST:-default})" >&2; exit 1; }

# The launcher rebuilds the jar when it is missing or stale, and --version proves it starts.
version_line=$("$ROOT/deploy/bin/vfo" --version)
version_line=${version_line%%$'\n'*}
[ -f "$JAR" ] || { echo "build: $JAR is missing after the launcher ran" >&2; exit 1; }

base=${VFO_BASE_IMAGE:-$("$DOCKER" images --filter reference=vfo/kafka-base --filter label=dev.vfo.base \
  --format '{{.Repository}}:{{.Tag}}' | head -n 1)}
if [ -z "$base" ]; then
  echo "build: no base image. Set VFO_BASE_IMAGE to a local image with java 17+ on its PATH, or run" \
       "deploy/docker/kafka/build-image.sh once (it imports the dev.vfo.base image)." >&2
  exit 1
fi
"$DOCKER" image inspect "$base" >/dev/null 2>&1 || { echo "build: base image $base is not in the local engine" >&2; exit 1; }

tag=${VFO_IMAGE_TAG:-$(sed -n 's:^  <version>\(.*\)</version>.*:\1:p' "$ROOT/pom.xml" | head -n 1)}
revision=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
for name in "$@"; do
  rm -rf "${context:?}"/*
  cp "$JAR" "$context/vfo-all.jar"
  cp "$HERE/$name/Dockerfile" "$context/Dockerfile"
  printf 'root:x:0:0:root:/root:/bin/sh\nvfo:x:1000:1000:vfo:/opt/vfo:/bin/sh\n' >"$context/passwd"
  printf 'root:x:0:\nvfo:x:1000:\n' >"$context/group"
  mkdir "$context/state"
  image=vfo/$name:$tag
  "$DOCKER" build -q --build-arg "VFO_BASE_IMAGE=$base" \
    --label "org.opencontainers.image.title=vfo-$name" \
    --label "org.opencontainers.image.version=$tag" \
    --label "org.opencontainers.image.revision=$revision" \
    --label "org.opencontainers.image.base.name=$base" \
    -t "$image" "$context" >/dev/null
  # The image this one replaced is now untagged: drop it (dangling images of this name only).
  "$DOCKER" image prune -f --filter "label=org.opencontainers.image.title=vfo-$name" >/dev/null
  echo "built $image from $base ($version_line, $("$DOCKER" image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}'))"
done
