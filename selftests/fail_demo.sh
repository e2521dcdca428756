#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Fails on purpose (cargo xtask vm-test --fail-demo): the harness must report
# the run as failed.
. "$(dirname "$0")/lib.sh"

ktap_plan 1
check "deliberate failure (--fail-demo)" false
ktap_finished
