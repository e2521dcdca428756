#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Loads a module that WARNs on load (cargo xtask vm-test --warn-demo). With
# panic_on_warn=1 the kernel panics; the harness must report the run as failed
# from the kernel log alone. If the kernel survives, this test fails too.
. "$(dirname "$0")/lib.sh"

require_module pgpumd_warn
ktap_plan 1
modprobe pgpumd_warn
ktap_not_ok "the kernel survived a WARN (panic_on_warn=1 not in effect?)"
ktap_finished
