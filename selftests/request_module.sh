#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's request_module() finds the project's modules: pgpumd_reqmod
# calls request_module("pgpumd_smoke") at init and then looks up a symbol of
# it (no link-time dependency, so modprobe does not load it for us). Init
# fails unless both worked.
. "$(dirname "$0")/lib.sh"

require_module pgpumd_reqmod pgpumd_smoke
ktap_plan 7
rmmod pgpumd_reqmod 2>/dev/null
rmmod pgpumd_smoke 2>/dev/null

check "pgpumd_smoke is not loaded before" sh -c '! grep -q "^pgpumd_smoke " /proc/modules'
check "modprobe pgpumd_reqmod (request_module at init)" modprobe pgpumd_reqmod
check "request_module() returned 0" \
	test "$(cat /sys/module/pgpumd_reqmod/parameters/result 2>/dev/null)" = 0
check "the kernel loaded pgpumd_smoke" is_loaded pgpumd_smoke
check "rmmod pgpumd_reqmod pgpumd_smoke" sh -c 'rmmod pgpumd_reqmod && rmmod pgpumd_smoke'
check "request_module of a missing module makes init fail" \
	sh -c '! modprobe pgpumd_reqmod target=pgpumd_no_such_module 2>/dev/null'
check "nothing left loaded" sh -c '! grep -q -e "^pgpumd_smoke " -e "^pgpumd_reqmod " /proc/modules'
ktap_finished
