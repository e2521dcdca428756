#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the sample UMD tests (umd_*.sh); source after lib.sh.

umd_file=/sys/kernel/security/sample_umd
umd_timeout=/sys/module/umd_mgmt/parameters/timeout_ms

# umd_write OFFSET: one request through the sample manager; 0 if the reply
# was right. The error text (e.g. "Broken pipe") goes to stderr.
umd_write()
{
	echo "$1" > "$umd_file"
}

# umd_pid: the running handler's pid (0: none), as the manager reports it.
umd_pid()
{
	cat "$umd_file"
}

# umd_handlers: pids of every process named sample_umd (the handler).
umd_handlers()
{
	for c in /proc/[0-9]*/comm; do
		[ "$(cat "$c" 2>/dev/null)" = sample_umd ] || continue
		p=${c#/proc/}
		echo "${p%/comm}"
	done
}

# umd_no_handler: no handler process exists.
umd_no_handler()
{
	[ -z "$(umd_handlers)" ]
}

# umd_gone PID: wait up to 5 s for PID to disappear.
umd_gone()
{
	_i=0
	while [ -d "/proc/$1" ] && [ $_i -lt 500 ]; do
		sleep 0.01
		_i=$((_i + 1))
	done
	[ ! -d "/proc/$1" ]
}

# umd_unload_all: remove every sample and library module (loaders first).
umd_unload_all()
{
	for m in sample_umd_loader sample_umd_loader_test sample_umd_noexec \
		sample_umd_mgr umd_mgmt; do
		if is_loaded "$m"; then
			rmmod "$m" || return 1
		fi
	done
	return 0
}

# umd_none_loaded: no sample or library module is loaded.
umd_none_loaded()
{
	! grep -q -e '^sample_umd' -e '^umd_mgmt ' /proc/modules
}

# umd_now_ms: milliseconds since boot.
umd_now_ms()
{
	awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime
}

# umd_rchar PID: bytes PID has read (/proc/PID/io).
umd_rchar()
{
	awk '/^rchar:/ { print $2 }' "/proc/$1/io" 2>/dev/null
}

# umd_status_field PID FIELD: a field of /proc/PID/status.
umd_status_field()
{
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}
