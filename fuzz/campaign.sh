#!/usr/bin/env bash
# The campaign recorded in docs/fuzzing.md: one job at a time, nice 19.
# Seconds per target; most time to the request/parser and differential targets.
set -u
cd "$(dirname "$0")"
./run.sh 1200 request_structured
./run.sh 720 parse_key
./run.sh 600 parse_signature
./run.sh 600 request_bytes
./run.sh 480 validator
./run.sh 240 packet_framing
./run.sh 240 armor
./run.sh 1920 differential
./run.sh 300 --asan request_structured
./run.sh 240 --asan parse_key
./run.sh 240 --asan parse_signature
./run.sh 180 --asan request_bytes
./run.sh 270 --asan validator
echo CAMPAIGN DONE
