#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The sample UMD through umd_mgmt.ko: lazy start through request_module, the
# handler's privileges and channel, bad requests, rmmod of the loader while
# its handler runs, and 20 load/unload cycles.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/umd_lib.sh"

require_module umd_mgmt sample_umd_mgr sample_umd_loader
ktap_plan 20
umd_unload_all 2>/dev/null

first_write_loads_loader()
{
	! is_loaded sample_umd_loader && umd_write 0 && is_loaded sample_umd_loader
}

same_handler_answers()
{
	for o in 1 4095 65536 131071; do
		umd_write $o || return 1
	done
	[ "$(umd_pid)" = "$1" ]
}

caps_zero()
{
	for f in CapInh CapPrm CapEff CapBnd CapAmb; do
		v=$(umd_status_field "$1" $f)
		echo "# $f: $v"
		[ "$v" = 0000000000000000 ] || return 1
	done
}

sealed_unprivileged()
{
	echo "# Uid: $(umd_status_field "$1" Uid) Gid: $(umd_status_field "$1" Gid) Seccomp: $(umd_status_field "$1" Seccomp)" \
		"NoNewPrivs: $(umd_status_field "$1" NoNewPrivs)"
	[ "$(umd_status_field "$1" Uid)" = 65534 ] &&
		[ "$(umd_status_field "$1" Gid)" = 65534 ] &&
		[ "$(umd_status_field "$1" Seccomp)" = 2 ] &&
		[ "$(umd_status_field "$1" NoNewPrivs)" = 1 ]
}

channel_is_one_socket()
{
	l0=$(readlink "/proc/$1/fd/0")
	l1=$(readlink "/proc/$1/fd/1")
	echo "# fd 0: $l0, fd 1: $l1"
	case $l0 in
	socket:*) [ "$l0" = "$l1" ] ;;
	*) false ;;
	esac
}

# cwd_is_blob_mount PID: the handler's working directory is the root of the
# private tmpfs holding its blob (the one file there, named after the
# driver): what umd_core.c's copy of set_fs_pwd() sets, on every kernel's
# fs_struct layout (pgp_umd_compat.h).
cwd_is_blob_mount()
{
	l=$(ls -a "/proc/$1/cwd" 2>&1 | grep -v '^\.\.\?$' | tr '\n' ' ')
	echo "# cwd of $1 holds: $l"
	[ "$l" = "sample_umd " ]
}

no_visible_mount()
{
	! grep -q sample_umd /proc/self/mountinfo "/proc/$1/mountinfo"
}

refused()
{
	! umd_write "$1" 2>/dev/null && [ "$(umd_pid)" = "$2" ]
}

comes_back()
{
	umd_write 77 && is_loaded sample_umd_loader &&
		[ "$(umd_pid)" -gt 0 ] && [ "$(umd_pid)" != "$1" ]
}

cycles()
{
	i=0
	while [ $i -lt 20 ]; do
		modprobe sample_umd_loader || { echo "# cycle $i: modprobe"; return 1; }
		p=$(umd_pid)
		[ "$p" -gt 0 ] || { echo "# cycle $i: no handler"; return 1; }
		umd_write $((i * 6553)) || { echo "# cycle $i: write"; return 1; }
		umd_unload_all || { echo "# cycle $i: unload"; return 1; }
		umd_gone "$p" || { echo "# cycle $i: handler $p remains"; return 1; }
		i=$((i + 1))
	done
}

check "modprobe sample_umd_mgr (loader not loaded)" modprobe sample_umd_mgr
check "$umd_file exists" test -f "$umd_file"
check "no handler before the first request" test "$(umd_pid)" = 0
check "the first write loads the loader through request_module" first_write_loads_loader
pid=$(umd_pid)
check "a handler runs (pid $pid)" test "$pid" -gt 0 -a -d "/proc/$pid"
check "it is the only handler process" test "$(umd_handlers)" = "$pid"
check "offsets 1, 4095, 65536, 131071: right replies, same handler" same_handler_answers "$pid"
check "the handler has no capabilities (Inh, Prm, Eff, Bnd, Amb)" caps_zero "$pid"
check "the handler is uid and gid 65534, seccomp-filtered, no_new_privs" sealed_unprivileged "$pid"
check "its stdin and stdout are one socket (no path to open)" channel_is_one_socket "$pid"
check "the private tmpfs is in no mount table" no_visible_mount "$pid"
check "its cwd is the private tmpfs holding only its blob" cwd_is_blob_mount "$pid"
check "offset 131072 is refused, handler untouched" refused 131072 "$pid"
check "a non-number is refused" refused abc "$pid"
check "\"stall\" is refused without test_ops" refused stall "$pid"
check "rmmod sample_umd_loader while its handler runs" rmmod sample_umd_loader
check "the handler is gone" umd_gone "$pid"
check "the next write brings the loader and a new handler back" comes_back "$pid"
umd_unload_all
check "20 cycles: modprobe loader (+ manager, library), write, rmmod all" cycles
check "no handler process and no module left" eval 'umd_no_handler && umd_none_loaded'
ktap_finished
