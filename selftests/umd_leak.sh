#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Nothing leaks across 10 load/use/unload cycles of the sample UMD: after five
# warm-up cycles (caches and per-CPU page lists fill up during the first
# ones), /proc/meminfo and the object counts of the slab caches a handler's
# life touches must not grow beyond the tolerances below, chosen so that
# leaking one of anything per cycle fails (docs/umd_mgmt.md, "Leak test").
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/umd_lib.sh"

require_module umd_mgmt sample_umd_mgr sample_umd_loader
ktap_plan 6
umd_unload_all 2>/dev/null

# Caches a start/stop allocates from (absent ones are skipped).
caches="task_struct mm_struct signal_cache sighand_cache files_cache fs_cache
cred_jar pid UNIX sock_inode_cache shmem_inode_cache filp dentry
vm_area_struct"
# Tolerances over 10 cycles, in objects or KiB. One leaked object per cycle
# is 10 objects; one leaked blob (tmpfs) 10 x 1.1 MiB of Shmem; one leaked
# task 10 x 16 KiB of KernelStack. MemAvailable is judged together with the
# pages on the per-CPU free lists (/proc/zoneinfo "count:"): they are free but
# not in MemFree, and alone moved plain MemAvailable by up to 4 MiB while the
# sum moved 12 KiB. PageTables moves by up to 76 KiB either way between
# runs on 7.3 with no leak (the page tables of the shell's short-lived
# helpers): -60, +64, -56 and +76 in four runs of this script on
# 7.3.4+deb13. 128 KiB stays below one leaked handler per cycle (10 x at
# least 16 KiB of page tables), and such a leak also shows in the
# task_struct and mm_struct counts.
obj_tol=8
tol_Shmem=512
tol_SUnreclaim=512
tol_KernelStack=64
tol_PageTables=128
tol_VmallocUsed=512
tol_MemAvailable=1024

cycle()
{
	modprobe sample_umd_loader || return 1
	for o in 0 100 131071; do
		umd_write $o || return 1
	done
	p=$(umd_pid)
	umd_unload_all || return 1
	umd_gone "$p"
}

settle()
{
	sync
	echo 3 > /proc/sys/vm/drop_caches
	sleep 1
}

meminfo() { awk -v f="$1:" '$1 == f { print $2 }' /proc/meminfo; }

# Free pages on the per-CPU lists, in KiB.
pcp_kb() { awk '$1 == "count:" { s += $2 } END { print s * 4 }' /proc/zoneinfo; }

snapshot()
{
	settle
	echo "MemAvailable+pcp $(($(meminfo MemAvailable) + $(pcp_kb)))"
	for f in MemAvailable Shmem SUnreclaim KernelStack PageTables VmallocUsed; do
		echo "$f $(meminfo $f)"
	done
	for c in $caches; do
		awk -v c="$c" '$1 == c { print "slab:" c, $2 }' /proc/slabinfo
	done
}

compare()
{
	ok=0
	while read -r name before; do
		after=$(awk -v n="$name" '$1 == n { print $2 }' "$2")
		d=$((after - before))
		case $name in
		MemAvailable+pcp) bad=$(( -d > tol_MemAvailable )) ;;
		MemAvailable) bad=0 ;;	# shown for information
		slab:*) bad=$(( d > obj_tol )) ;;
		*) eval "bad=\$(( d > tol_$name ))" ;;
		esac
		echo "# $name: $before -> $after ($d)$([ $bad = 1 ] && echo '  <-- too much')"
		[ $bad = 1 ] && ok=1
	done < "$1"
	return $ok
}

warm_up() { cycle && cycle && cycle && cycle && cycle; }
ten_cycles()
{
	i=0
	while [ $i -lt 10 ]; do
		cycle || { echo "# cycle $i failed"; return 1; }
		i=$((i + 1))
	done
}

check "five warm-up cycles" warm_up
snapshot > /tmp/umd_before
check "10 cycles: modprobe loader, 3 writes, unload loader, manager, library" ten_cycles
snapshot > /tmp/umd_after
check "/proc/slabinfo is readable" grep -q task_struct /proc/slabinfo
check "meminfo and slab counts within tolerance" compare /tmp/umd_before /tmp/umd_after
check "no handler process left" umd_no_handler
check "no module left" umd_none_loaded
ktap_finished
