#!/usr/bin/env bash
# Makes sure a Redis answers on 127.0.0.1:6379 for the BullMQ tests: starts
# redis-server when nothing answers. With --install (CI), installs it from
# the Debian packages first when it is missing. Keeps nothing on disk.
set -euo pipefail

port="${REDIS_PORT:-6379}"
ping() { redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1; }

if command -v redis-cli >/dev/null && ping; then
  exit 0
fi

if ! command -v redis-server >/dev/null; then
  if [[ "${1:-}" != "--install" ]]; then
    echo "ensure-redis: redis-server is not installed. Install Redis" \
      "(e.g. apt-get install redis-server) or run: $0 --install" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server \
    >/dev/null
fi

echo "ensure-redis: starting redis-server on 127.0.0.1:$port" >&2
redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$port" \
  --save '' --appendonly no --dir /tmp --logfile ''

for _ in $(seq 50); do
  ping && exit 0
  sleep 0.1
done
echo "ensure-redis: redis-server did not answer on port $port" >&2
exit 1
