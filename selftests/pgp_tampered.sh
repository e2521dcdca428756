#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# keyctl padd asymmetric with tampered certificates (testdata/tampered/,
# made by make-tampered.sh): a foreign subkey spliced in with its own
# binding, with the victim's binding, or with none; a signing subkey whose
# back-signature is another key's, altered, or missing. For each file, with
# no selector and with each key's fingerprint, the outcome must be the one
# expected.tsv gives (from gpg's verdicts: gpg drops the foreign subkey and
# refuses signatures by a subkey with a bad cross-certification): the
# tampered key is refused with EKEYREJECTED and nothing is added, the other
# signing keys of the same file are still added, and without a selector the
# key chosen is never the tampered one. Binary and armored.
. "$(dirname "$0")/lib.sh"

command -v keyctl >/dev/null || ktap_skip_all "keyctl (keyutils) is not installed"
require_module umd_mgmt pgp_umd pgp_umd_loader

dir=$testdata/tampered
rows=$(grep -vc '^#' "$dir/expected.tsv")
auto=$(awk -F'\t' '$2 == "-"' "$dir/expected.tsv" | wc -l)
# modprobe, each row, the armored twin of each auto row, the final count.
ktap_plan $((1 + rows + auto + 1))

check "modprobe pgp_umd" modprobe pgp_umd
ring=$(keyctl newring pgp_tampered @u)
count()
{
	keyctl rlist "$ring" 2>/dev/null | wc -w
}

# try FILE SELECTOR EXPECTED TAMPERED
try()
{
	local file=$1 sel=$2 want=$3 tampered=$4 before out rc fpr by_fpr by_tampered
	[ "$sel" = "-" ] && sel=""
	before=$(count)
	out=$(keyctl padd asymmetric "$sel" "$ring" < "$dir/$file" 2>&1)
	rc=$?
	case $want in
	ok\ *)
		fpr=${want#ok }
		by_fpr=$(keyctl search "$ring" asymmetric "id:$fpr" 2>/dev/null)
		by_tampered=$(keyctl search "$ring" asymmetric "id:$tampered" 2>/dev/null)
		# An empty id would make the search for the tampered key vacuous.
		if [ $rc -eq 0 ] && [ -n "$tampered" ] && [ "$by_fpr" = "$out" ] &&
			[ -z "$by_tampered" ] &&
			[ "$(count)" -eq $((before + 1)) ]; then
			ktap_ok "$file [$sel] added $fpr, not the tampered $tampered"
		else
			echo "# rc=$rc out=$out by_fpr=$by_fpr by_tampered=$by_tampered"
			ktap_not_ok "$file [$sel] added $fpr, not the tampered $tampered"
		fi
		keyctl unlink "$out" "$ring" >/dev/null 2>&1
		;;
	EKEYREJECTED)
		if [ $rc -ne 0 ] && contains "$out" "Key was rejected by service" &&
			[ "$(count)" = "$before" ]; then
			ktap_ok "$file [$sel] refused: EKEYREJECTED, nothing added"
		else
			echo "# rc=$rc out=$out keys before=$before after=$(count)"
			ktap_not_ok "$file [$sel] refused: EKEYREJECTED, nothing added"
			[ $rc -eq 0 ] && keyctl unlink "$out" "$ring" >/dev/null 2>&1
		fi
		;;
	*)
		ktap_not_ok "$file [$sel]: unknown expectation $want"
		;;
	esac
}

grep -v '^#' "$dir/expected.tsv" > /tmp/pgp_tampered.rows
while IFS="$(printf '\t')" read -r file sel want; do
	tampered=$(awk -F'\t' -v f="$file" '$1 == f { print $3 }' "$dir/manifest.tsv")
	try "$file" "$sel" "$want" "$tampered"
	if [ "$sel" = "-" ]; then
		try "${file%.pgp}.asc" "$sel" "$want" "$tampered"
	fi
done < /tmp/pgp_tampered.rows

check "the keyring is empty after every refusal and unlink" test "$(count)" -eq 0
keyctl unlink "$ring" @u >/dev/null 2>&1
ktap_finished
