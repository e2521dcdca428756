#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Sample UMD faults: kill -9 of the handler between writes and during a
# write, a handler that never answers (the timeout), and a blob that fails
# to exec. The stalls are deterministic: the test loader's handler never
# answers the request "stall" (manager parameter test_ops=1), and the test
# waits until the handler has read it (/proc/PID/io) before killing it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/umd_lib.sh"

require_module umd_mgmt sample_umd_mgr sample_umd_loader_test sample_umd_noexec
ktap_plan 18
umd_unload_all 2>/dev/null

big_exchanges()
{
	p=$(umd_pid)
	i=0
	while [ $i -lt 20 ]; do
		umd_write big || return 1
		i=$((i + 1))
	done
	[ "$(umd_pid)" = "$p" ]
}

killed_between_writes()
{
	old=$(umd_pid)
	kill -9 "$old" && umd_gone "$old" || return 1
	umd_write 1234 || return 1
	new=$(umd_pid)
	echo "# pid $old killed, next write served by pid $new"
	[ "$new" -gt 0 ] && [ "$new" != "$old" ]
}

# wait_rchar PID N: wait up to 10 s until PID has read N bytes.
wait_rchar()
{
	_i=0
	while [ "$(umd_rchar "$1")" != "$2" ] && [ $_i -lt 1000 ]; do
		sleep 0.01
		_i=$((_i + 1))
	done
	echo "# pid $1 has read $(umd_rchar "$1") bytes"
	[ "$(umd_rchar "$1")" = "$2" ]
}

killed_during_write()
{
	old=$(umd_pid)
	before=$(umd_rchar "$old")
	t0=$(umd_now_ms)
	(umd_write stall 2> /tmp/umd_stall.err; echo $? > /tmp/umd_stall.rc) &
	writer=$!
	# The handler has read the 4-byte request: the write is in flight.
	wait_rchar "$old" $((before + 4)) || return 1
	kill -9 "$old"
	wait $writer
	t1=$(umd_now_ms)
	echo "# write returned $(cat /tmp/umd_stall.rc) after $((t1 - t0)) ms:" \
		"$(cat /tmp/umd_stall.err)"
	[ "$(cat /tmp/umd_stall.rc)" != 0 ] &&
		contains "$(cat /tmp/umd_stall.err)" "Broken pipe" &&
		[ $((t1 - t0)) -lt 20000 ] && umd_gone "$old"
}

next_write_new_handler()
{
	umd_write 4321 && [ "$(umd_pid)" -gt 0 ] && [ "$(umd_pid)" != "$1" ]
}

times_out()
{
	old=$(umd_pid)
	echo 1000 > "$umd_timeout" || return 1
	t0=$(umd_now_ms)
	umd_write stall 2> /tmp/umd_stall.err
	rc=$?
	t1=$(umd_now_ms)
	echo 60000 > "$umd_timeout"
	echo "# write returned $rc after $((t1 - t0)) ms: $(cat /tmp/umd_stall.err)"
	[ $rc != 0 ] && contains "$(cat /tmp/umd_stall.err)" "timed out" &&
		[ $((t1 - t0)) -ge 900 ] && [ $((t1 - t0)) -lt 10000 ] && umd_gone "$old"
}

bad_timeouts_refused()
{
	! (echo 0 > "$umd_timeout") 2>/dev/null &&
		! (echo 600001 > "$umd_timeout") 2>/dev/null &&
		[ "$(cat "$umd_timeout")" = 60000 ]
}

exec_fails_cleanly()
{
	out=$(modprobe sample_umd_noexec 2>&1)
	rc=$?
	echo "# modprobe sample_umd_noexec: rc $rc: $out"
	# busybox modprobe words ENOEXEC "invalid module format"; the
	# library logs the exec error itself (-8 = -ENOEXEC).
	[ $rc != 0 ] && {
		contains "$out" "Exec format error" ||
			contains "$out" "invalid module format"
	} && contains "$(dmesg | tail -5)" "starting the handler failed: -8" &&
		! is_loaded sample_umd_noexec && umd_no_handler
}

lazy_exec_failure()
{
	out=$( (umd_write 5) 2>&1)
	rc=$?
	echo "# write with loader=sample_umd_noexec: rc $rc: $out"
	[ $rc != 0 ] && contains "$out" "Protocol not available" &&
		! is_loaded sample_umd_noexec && umd_no_handler
}

check "modprobe sample_umd_mgr loader=sample_umd_loader_test test_ops=1" \
	modprobe sample_umd_mgr loader=sample_umd_loader_test test_ops=1
check "timeout_ms is 5000 by default; set it to 60000" \
	eval '[ "$(cat "$umd_timeout")" = 5000 ] && echo 60000 > "$umd_timeout"'
check "the first write starts the test handler" \
	eval 'umd_write 1 && is_loaded sample_umd_loader_test && [ "$(umd_pid)" -gt 0 ]'
check "PGP-sized exchanges: 4 + 24 + 1 MiB - 1 in, 58144 bytes out, 20 times" big_exchanges
check "kill -9 between writes: next write succeeds with a new pid" killed_between_writes
pid=$(umd_pid)
check "kill -9 during a write: the write fails (EPIPE) at once" killed_during_write
check "the next write succeeds with a new handler" next_write_new_handler "$pid"
pid=$(umd_pid)
check "a handler that never answers: ETIMEDOUT after timeout_ms (1 s), handler killed" times_out
check "the next write succeeds with a new handler" next_write_new_handler "$pid"
check "timeout_ms 0 and > 600000 are refused" bad_timeouts_refused
check "one handler process" test "$(umd_handlers)" = "$(umd_pid)"
check "unload everything" umd_unload_all
check "no handler process left" umd_no_handler

check "modprobe sample_umd_noexec fails with ENOEXEC, nothing left running" exec_fails_cleanly
check "the manager and the library still unload" \
	eval 'umd_unload_all && umd_none_loaded'
check "modprobe sample_umd_mgr loader=sample_umd_noexec" modprobe sample_umd_mgr loader=sample_umd_noexec
check "a write fails with ENOPROTOOPT (the loader's init failed)" lazy_exec_failure
check "the manager and the library still unload" \
	eval 'umd_unload_all && umd_none_loaded && umd_no_handler'
ktap_finished
