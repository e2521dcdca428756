#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A module built from the project's sources loads with modprobe, shows in
# lsmod and sysfs, and unloads.
. "$(dirname "$0")/lib.sh"

require_module pgpumd_smoke
ktap_plan 6
rmmod pgpumd_smoke 2>/dev/null

check "modprobe pgpumd_smoke" modprobe pgpumd_smoke
check "lsmod lists pgpumd_smoke" sh -c 'lsmod | grep -q "^pgpumd_smoke "'
check "/sys/module/pgpumd_smoke exists" test -d /sys/module/pgpumd_smoke
check "rmmod pgpumd_smoke" rmmod pgpumd_smoke
check "lsmod no longer lists pgpumd_smoke" sh -c '! lsmod | grep -q "^pgpumd_smoke "'
check "modprobe of a module that does not exist fails" \
	sh -c '! modprobe pgpumd_no_such_module 2>/dev/null'
ktap_finished
