#!/bin/sh
# Stop every peer start.sh started.
PEERS=$1
[ -f "$PEERS/pids" ] || exit 0
while read -r pid; do
    kill "$pid" 2>/dev/null
done < "$PEERS/pids"
sleep 0.2
while read -r pid; do
    kill -9 "$pid" 2>/dev/null
done < "$PEERS/pids"
rm -f "$PEERS/pids"
exit 0
