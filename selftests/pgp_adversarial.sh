#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The kernel under a hostile or failing handler:
#  - a handler that lies in every reply (the test-only pgp_umd_loader_lying,
#    handler/src/lies.rs): every keyctl padd fails, nothing is added, and the
#    real handler serves again once the lying loader is gone;
#  - the handler killed over and over during a keyctl padd loop: every padd
#    either succeeds or fails cleanly, and the next one works;
#  - 8 concurrent keyctl padd loops of 100 keys each.
. "$(dirname "$0")/lib.sh"

command -v keyctl >/dev/null || ktap_skip_all "keyctl (keyutils) is not installed"
require_module umd_mgmt pgp_umd pgp_umd_loader pgp_umd_loader_lying

key=$testdata/keys/rsa2048.pgp
ktap_plan 8

check "modprobe pgp_umd" modprobe pgp_umd
ring=$(keyctl newring pgp_adv @u)
count()
{
	keyctl rlist "$ring" 2>/dev/null | wc -w
}

# The lying handler: 24 requests, three of each lie.
rmmod pgp_umd_loader 2>/dev/null
modprobe pgp_umd_loader_lying
ok=0
for i in $(seq 1 24); do
	keyctl padd asymmetric "" "$ring" < "$key" >/dev/null 2>&1 && ok=$((ok + 1))
done
check "every request to the lying handler failed" test "$ok" -eq 0
check "nothing was added by the lying handler" test "$(count)" -eq 0
rmmod pgp_umd_loader_lying
id=$(keyctl padd asymmetric "" "$ring" < "$key" 2>&1)
check "the real handler serves again (request_module)" \
	contains "$(keyctl describe "$id" 2>&1)" "asymmetric: PGP: "
keyctl clear "$ring"

# Killed during requests: a loop of 40 padds while another loop kills every
# handler it sees.
( for i in $(seq 1 40); do
	for pid in $(pidof pgp-umd); do kill -9 "$pid" 2>/dev/null; done
	sleep 0.05
done ) &
killer=$!
bad=0
for i in $(seq 1 40); do
	out=$(keyctl padd asymmetric "" "$ring" < "$key" 2>&1)
	case $out in
	[0-9]*) ;;
	*"Input/output error"*|*"Broken pipe"*|*"Protocol error"*) ;;
	*) bad=$((bad + 1)); echo "# unexpected: $out" ;;
	esac
done
wait "$killer"
check "padd under kills: each succeeded or failed with EIO" test "$bad" -eq 0
id=$(keyctl padd asymmetric "" "$ring" < "$key" 2>&1)
check "the next padd after the kills works" \
	contains "$(keyctl describe "$id" 2>&1)" "asymmetric: PGP: "
keyctl clear "$ring"

# 8 concurrent loops of 100 padds, each into its own keyring.
for j in 1 2 3 4 5 6 7 8; do
	(
		r=$(keyctl newring "pgp_loop$j" "$ring")
		n=0
		for i in $(seq 1 100); do
			keyctl padd asymmetric "" "$r" < "$key" >/dev/null 2>&1 && n=$((n + 1))
		done
		echo "$n" > "/tmp/pgp_loop$j"
	) &
done
wait
total=0
for j in 1 2 3 4 5 6 7 8; do
	total=$((total + $(cat "/tmp/pgp_loop$j")))
done
echo "# $total of 800 concurrent padds succeeded"
check "800 concurrent padds all succeeded" test "$total" -eq 800
check "one handler served them (no leftover handlers)" test "$(pidof pgp-umd | wc -w)" -le 1

keyctl unlink "$ring" @u >/dev/null 2>&1
ktap_finished
