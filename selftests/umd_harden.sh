#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The handler process and the UMD core under a handler that went bad
# (docs/threat-model.md):
#  - the real handler runs unprivileged: ids 65534, no groups, no
#    capabilities, seccomp filter mode, no_new_privs;
#  - a handler that does not seal itself (pgp_umd_loader_unsealed, built
#    with `insecure-skip-seccomp`) is refused: the loader fails with EIO;
#  - a handler that sends bytes after its reply, or that answers a
#    well-formed refusal to everything after one poison input
#    (pgp_umd_loader_misbehaving, test-handlers/src/misbehave.rs), is replaced:
#    the reply is refused, the pid changes, the next honest request works;
#  - a handler's life is bounded (umd_mgmt max_requests, max_age_s);
#  - a blob file replaced through /proc/PID/cwd is never run;
#  - a handler frozen by the cgroup v1 freezer neither hangs callers nor
#    rmmod; a caught signal during add_key fails nothing.
. "$(dirname "$0")/lib.sh"

command -v keyctl >/dev/null || ktap_skip_all "keyctl (keyutils) is not installed"
command -v add_key_signals >/dev/null || ktap_skip_all "add_key_signals is not in the initramfs"
require_module umd_mgmt pgp_umd pgp_umd_loader pgp_umd_loader_unsealed \
	pgp_umd_loader_misbehaving
ktap_plan 25

key=$testdata/keys/rsa2048.pgp
key2=$testdata/keys/rsa3072.pgp
params=/sys/module/umd_mgmt/parameters
EBADMSG="Bad message"
EPROTO="Protocol error"

check "modprobe pgp_umd" modprobe pgp_umd
ring=$(keyctl newring umd_harden @u)
count()
{
	keyctl rlist "$ring" 2>/dev/null | wc -w
}
padd()
{
	keyctl padd asymmetric "" "$ring" < "$1" 2>&1
}
added()
{
	contains "$(keyctl describe "$1" 2>&1)" "asymmetric: PGP: "
}
handler()
{
	pidof pgp-umd
}
field()
{
	awk -v f="$2:" '$1 == f { $1 = ""; sub(/^ /, ""); print }' "/proc/$1/status"
}

# --- 1. the handler's credentials and seal ---
id=$(padd "$key")
check "padd through the real handler" added "$id"
pid=$(handler)
creds_ok()
{
	for f in Uid Gid; do
		v=$(field "$pid" $f)
		echo "# $f: $v"
		[ "$v" = "65534 65534 65534 65534" ] || return 1
	done
	v=$(field "$pid" Groups)
	echo "# Groups: '$v'"
	[ -z "$v" ] || return 1
	for f in CapInh CapPrm CapEff CapBnd CapAmb; do
		v=$(field "$pid" $f)
		echo "# $f: $v"
		[ "$v" = 0000000000000000 ] || return 1
	done
	echo "# Seccomp: $(field "$pid" Seccomp) NoNewPrivs: $(field "$pid" NoNewPrivs)"
	[ "$(field "$pid" Seccomp)" = 2 ] && [ "$(field "$pid" NoNewPrivs)" = 1 ]
}
check "handler: uid/gid 65534, no groups, no capabilities, Seccomp 2, NoNewPrivs 1" creds_ok

# An unsealed handler: the loader's start fails (EIO after timeout_ms).
rmmod pgp_umd_loader
old_timeout=$(cat $params/timeout_ms)
echo 1000 > $params/timeout_ms
dmesg -c >/dev/null
out=$(modprobe pgp_umd_loader_unsealed 2>&1)
rc=$?
echo "# modprobe: rc $rc: $out"
check "a loader whose handler does not seal itself is refused" \
	sh -c "[ $rc -ne 0 ] && ! grep -q '^pgp_umd_loader_unsealed ' /proc/modules"
check "the refusal is logged: not sealed" sh -c "dmesg | grep -q 'not sealed'"
check "no handler is left running" test -z "$(handler)"
echo "$old_timeout" > $params/timeout_ms

# --- 2. a handler that misbehaves is replaced ---
modprobe pgp_umd_loader_misbehaving
keyctl clear "$ring"
id=$(padd "$key")
check "misbehaving handler: the first key is added" added "$id"
out=$(padd "$key2")
echo "# second key: $out"
check "a reply followed by bytes is refused (EPROTO), nothing added" \
	sh -c "echo '$out' | grep -qF '$EPROTO' && [ $(count) -eq 1 ]"
id=$(padd "$key2")
check "the next request meets a fresh handler and works" added "$id"
pid=$(handler)
# A public-key packet (tag 6, 19 bytes) holding the poison.
printf '\306\023PGP-UMD-TEST-POISON' > /tmp/umd_poison
out=$(padd /tmp/umd_poison)
echo "# poison: $out"
check "the poison input is refused (EBADMSG)" contains "$out" "$EBADMSG"
id=$(padd "$key")
check "after a refusal the handler was replaced: the next honest request works" \
	added "$id"
echo "# handler before the refusal: $pid, now: $(handler)"
check "the handler's pid changed" sh -c "[ -n '$(handler)' ] && [ '$(handler)' != '$pid' ]"
rmmod pgp_umd_loader_misbehaving

# --- bounded life ---
check "max_requests and max_age_s can be set" \
	sh -c "echo 3 > $params/max_requests && echo 600 > $params/max_age_s"
padd "$key" >/dev/null
pids=$(handler)
padd "$key" >/dev/null
padd "$key" >/dev/null
pids="$pids $(handler)"
padd "$key" >/dev/null
pids="$pids $(handler)"
echo "# pids over 4 requests with max_requests=3: $pids"
set -- $pids
check "max_requests=3: 3 requests to one handler, the 4th to a new one" \
	sh -c "[ '$1' = '$2' ] && [ '$2' != '$3' ]"
echo 1000 > $params/max_requests
echo 1 > $params/max_age_s
pid=$(handler)
sleep 2
padd "$key" >/dev/null
echo "# max_age_s=1: $pid, then $(handler)"
check "max_age_s=1: a handler older than 1 s is replaced" \
	sh -c "[ -n '$(handler)' ] && [ '$(handler)' != '$pid' ]"
echo 600 > $params/max_age_s

# --- 3. the blob file replaced through /proc/PID/cwd ---
pid=$(handler)
mkdir -p /tmp/umd_swap && chmod 777 /tmp/umd_swap
rm -f /tmp/umd_swap/ran
printf '#!/bin/sh\necho ran > /tmp/umd_swap/ran\nexec sleep 600\n' > /tmp/umd_swap/fake
check "the blob file is reachable through /proc/PID/cwd" test -f "/proc/$pid/cwd/pgp-umd"
rm -f "/proc/$pid/cwd/pgp-umd"
cp /tmp/umd_swap/fake "/proc/$pid/cwd/pgp-umd"
chmod 555 "/proc/$pid/cwd/pgp-umd"
kill -9 "$pid"
echo 2000 > $params/timeout_ms
dmesg -c >/dev/null
out=$(padd "$key")
echo "# padd after the swap: $out"
sleep 1
check "the replaced file was not run" test ! -e /tmp/umd_swap/ran
check "the request is refused (EIO) and the change logged" \
	sh -c "echo '$out' | grep -qF 'Input/output error' && dmesg | grep -q 'blob file changed'"
for p in $(pidof sleep); do kill -9 "$p"; done
rmmod pgp_umd_loader
id=$(padd "$key")
check "a reloaded loader serves again" added "$id"

# --- 4. a frozen handler, a caught signal ---
freezer=/sys/fs/cgroup/freezer
mkdir -p $freezer 2>/dev/null || { mount -t tmpfs cgroup /sys/fs/cgroup && mkdir -p $freezer; }
mount -t cgroup -o freezer freezer $freezer
mkdir -p $freezer/umd
pid=$(handler)
echo "$pid" > $freezer/umd/tasks
echo FROZEN > $freezer/umd/freezer.state
echo 1000 > $params/timeout_ms
( padd "$key" > /tmp/umd_frozen_padd; echo done >> /tmp/umd_frozen_padd ) &
i=0
while [ $i -lt 30 ] && ! grep -q done /tmp/umd_frozen_padd 2>/dev/null; do
	sleep 1
	i=$((i + 1))
done
echo "# padd with the handler frozen ($i s): $(head -1 /tmp/umd_frozen_padd 2>/dev/null)"
check "a request to a frozen handler ends (timeout, then the handler is detached)" \
	grep -q done /tmp/umd_frozen_padd
id=$(padd "$key")
check "the next request works (a new handler) while the old one is frozen" added "$id"
( rmmod pgp_umd_loader; echo "rc $?" > /tmp/umd_frozen_rmmod ) &
i=0
while [ $i -lt 30 ] && [ ! -s /tmp/umd_frozen_rmmod ]; do
	sleep 1
	i=$((i + 1))
done
check "rmmod of the loader is not hung by a frozen handler" \
	grep -q "rc 0" /tmp/umd_frozen_rmmod
echo THAWED > $freezer/umd/freezer.state
sleep 1
check "the frozen handler exits once thawed" sh -c "! kill -0 $pid 2>/dev/null"
echo "$old_timeout" > $params/timeout_ms

out=$(add_key_signals 20 "$key" 2>&1)
rc=$?
echo "# $out"
check "add_key under a caught signal every 1 ms: no EINTR, every call succeeded" \
	test $rc -eq 0
id=$(padd "$key")
check "padd works after the signals" added "$id"

keyctl unlink "$ring" @u >/dev/null 2>&1
ktap_finished
