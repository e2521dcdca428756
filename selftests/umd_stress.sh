#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Sample UMD stress: 500 writes of random offsets in [0, 128 KiB) with rmmod
# of the loader every 50 (the manager brings it back through
# request_module), then 4 concurrent writers x 200 writes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/umd_lib.sh"

require_module umd_mgmt sample_umd_mgr sample_umd_loader
ktap_plan 6
umd_unload_all 2>/dev/null

seed=${UMD_SEED:-$(awk '{ printf "%d\n", $1 * 100 }' /proc/uptime)}
echo "# random seed $seed (UMD_SEED=$seed reproduces the offsets)"

# offsets N SEED: N random offsets in [0, 131072), one per line.
offsets()
{
	awk -v n="$1" -v s="$2" 'BEGIN { srand(s); for (i = 0; i < n; i++) print int(rand() * 131072) }'
}

random_writes_with_rmmod()
{
	i=0
	reloads=0
	for o in $(offsets 500 "$seed"); do
		if [ $i -gt 0 ] && [ $((i % 50)) -eq 0 ]; then
			rmmod sample_umd_loader || { echo "# rmmod at $i failed"; return 1; }
			reloads=$((reloads + 1))
		fi
		umd_write "$o" || { echo "# write $i (offset $o) failed"; return 1; }
		i=$((i + 1))
	done
	echo "# $i writes, $reloads loader reloads through request_module"
	[ $i -eq 500 ] && [ $reloads -eq 9 ]
}

writer()
{
	fails=0
	for o in $(offsets 200 "$2"); do
		umd_write "$o" 2>/dev/null || fails=$((fails + 1))
	done
	echo "$fails" > "/tmp/umd_writer.$1"
}

concurrent_writers()
{
	rm -f /tmp/umd_writer.*
	for w in 1 2 3 4; do
		writer $w $((seed + w)) &
	done
	wait
	total=0
	for w in 1 2 3 4; do
		f=$(cat "/tmp/umd_writer.$w" 2>/dev/null || echo missing)
		echo "# writer $w: $f failed"
		[ "$f" = 0 ] || return 1
	done
}

check "modprobe sample_umd_mgr" modprobe sample_umd_mgr
check "500 random writes, rmmod of the loader every 50" random_writes_with_rmmod
pid=$(umd_pid)
check "4 concurrent writers x 200 writes, all right" concurrent_writers
check "one handler served them all (pid $pid)" test "$(umd_pid)" = "$pid" -a "$(umd_handlers)" = "$pid"
check "unload loader, manager, library" umd_unload_all
check "no handler process left" umd_gone "$pid"
ktap_finished
