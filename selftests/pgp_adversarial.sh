#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The kernel under a hostile or failing handler:
#  - a handler that lies in every reply (the test-only pgp_umd_loader_lying,
#    test-handlers/src/lies.rs): every keyctl padd fails, nothing is added, and the
#    real handler serves again once the lying loader is gone;
#  - the same handler on signature requests (PARSE_SIGNATURE, short
#    replies): every corpus signature meets the lie its last octet selects
#    (signature_lie_for in test-handlers/src/lies.rs) and must be refused with that
#    lie's errno: EPROTO for the sequence-number lie (told again on the
#    kernel's retry), EBADMSG for every other; never OK;
#  - the handler killed over and over during a keyctl padd loop: every padd
#    either succeeds or fails cleanly, and the next one works;
#  - 8 concurrent keyctl padd loops of 100 keys each.
. "$(dirname "$0")/lib.sh"

command -v keyctl >/dev/null || ktap_skip_all "keyctl (keyutils) is not installed"
require_module umd_mgmt pgp_umd pgp_umd_loader pgp_umd_loader_lying

key=$testdata/keys/rsa2048.pgp
# SIG_LIES in test-handlers/src/lies.rs, by number; 8 is the sequence-number lie.
sig_lies=10
sig_lie_name()
{
	case $1 in
	0) echo "shifted hashed area" ;;
	1) echo "creation time subpacket row dropped" ;;
	2) echo "issuer subpacket row dropped" ;;
	3) echo "hash prefix moved" ;;
	4) echo "public-key algorithm claim" ;;
	5) echo "hash algorithm claim" ;;
	6) echo "signature type claim" ;;
	7) echo "signature value end moved" ;;
	8) echo "sequence number" ;;
	9) echo "status claim" ;;
	esac
}
ktap_plan $((9 + 1 + sig_lies + 1))

check "modprobe pgp_umd" modprobe pgp_umd
ring=$(keyctl newring pgp_adv @u)
count()
{
	keyctl rlist "$ring" 2>/dev/null | wc -w
}

# A keyring with a key the real handler accepted, for the signature lies.
sigring=$(keyctl newring pgp_adv_sig @u)
check "a signing key added by the real handler" \
	sh -c "keyctl padd asymmetric '' $sigring < $key >/dev/null"

# The lying handler: 27 requests, three of each of the 9 lies.
rmmod pgp_umd_loader 2>/dev/null
modprobe pgp_umd_loader_lying
dmesg -c >/dev/null
ok=0
for i in $(seq 1 27); do
	keyctl padd asymmetric "" "$ring" < "$key" >/dev/null 2>&1 && ok=$((ok + 1))
done
check "every request to the lying handler failed" test "$ok" -eq 0
check "nothing was added by the lying handler" test "$(count)" -eq 0
# The one lie consistent in every row (the key's own user id signature
# skipped as a third-party one) is caught by the certificate policy, not
# the sanitizer, and the handler is replaced.
check "the skipped self-signature lie is caught past the sanitizer" \
	sh -c "dmesg | grep -q 'a skipped signature names the primary key; handler replaced'"

# Signature requests to the lying handler: every binary signature of this
# kernel's expectations, once, over its data.
use_profile "$testdata/vm/signatures.tsv"
kernel=$profile
awk -F'\t' -v k="$kernel" '$1 == k && $2 ~ /\.sig$/ && $3 !~ /flipped/ { print $2 "\t" $3 }' \
	"$testdata/vm/signatures.tsv" | sort -u -k1,1 > /tmp/pgp_adv_sigs
rm -f /tmp/pgp_adv_lie.*
while IFS="$(printf '\t')" read -r sig data; do
	last=$(tail -c 1 "$testdata/$sig" | od -An -tu1 | tr -d ' ')
	lie=$((last % sig_lies))
	want=EBADMSG
	[ "$lie" -eq 8 ] && want=EPROTO
	got=$(pgp-umd verify --keyring "$sigring" "$testdata/$sig" "$testdata/$data" 2>&1)
	case $got in
	"FAIL $want "*) echo "ok $sig" >> "/tmp/pgp_adv_lie.$lie" ;;
	*) echo "bad $sig: $got" >> "/tmp/pgp_adv_lie.$lie" ;;
	esac
done < /tmp/pgp_adv_sigs
echo "# $(wc -l < /tmp/pgp_adv_sigs) signature requests to the lying handler"
lie=0
while [ "$lie" -lt "$sig_lies" ]; do
	want=EBADMSG
	[ "$lie" -eq 8 ] && want=EPROTO
	f=/tmp/pgp_adv_lie.$lie
	grep '^bad' "$f" 2>/dev/null | sed 's/^/# /'
	check "signature lie $lie ($(sig_lie_name $lie)): $(grep -c . "$f" 2>/dev/null || echo 0) requests, each $want" \
		sh -c "test -s $f && ! grep -q '^bad' $f"
	lie=$((lie + 1))
done

rmmod pgp_umd_loader_lying
got=$(pgp-umd verify --keyring "$sigring" "$testdata/sigs/rsa2048-sha256-bin.sig" \
	"$testdata/sigs/data.txt" 2>&1)
check "the real handler verifies a signature again" contains "$got" "OK "
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
keyctl unlink "$sigring" @u >/dev/null 2>&1
ktap_finished
