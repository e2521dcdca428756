#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs the kernel's scripts/checkpatch.pl (--no-tree -f) over every C file
# and header under kmod/ that is built into a module or shared with one
# (the user/ directories hold user-space test drivers and are left out) and fails
# unless the findings per file and type are exactly those listed, with
# their reason, in checkpatch-allow.tsv.
#
# checkpatch.pl comes from $CHECKPATCH, else from Debian's linux-source-6.12
# package, downloaded once with apt-get (no install) into
# target/checkpatch/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
allow="$here/checkpatch-allow.tsv"

if [ -z "${CHECKPATCH:-}" ]; then
	cache="$root/target/checkpatch"
	CHECKPATCH="$cache/scripts/checkpatch.pl"
	if [ ! -x "$CHECKPATCH" ]; then
		echo "checkpatch: fetching Debian's linux-source-6.12 for scripts/checkpatch.pl"
		rm -rf "$cache" && mkdir -p "$cache/deb"
		(cd "$cache/deb" && apt-get download -q linux-source-6.12 >/dev/null 2>&1 ||
			{ apt-get update -q >/dev/null && apt-get download -q linux-source-6.12; })
		dpkg-deb --fsys-tarfile "$cache"/deb/linux-source-6.12_*.deb |
			tar -xO --wildcards './usr/src/linux-source-6.12.tar.xz' |
			tar -xJ -C "$cache" --strip-components=1 \
				linux-source-6.12/scripts/checkpatch.pl \
				linux-source-6.12/scripts/spelling.txt \
				linux-source-6.12/scripts/const_structs.checkpatch
		rm -rf "$cache/deb"
	fi
fi

cd "$root"
status=0
checked=0
while IFS= read -r f; do
	checked=$((checked + 1))
	# "file:line: TYPE:NAME: message" per finding. checkpatch.pl exits 1
	# when it finds something; anything above that is checkpatch failing.
	rc=0
	out=$(perl "$CHECKPATCH" --no-tree -f --terse --show-types --no-summary "$f") || rc=$?
	if [ $rc -gt 1 ]; then
		echo "checkpatch: checkpatch.pl failed on $f (exit $rc)" >&2
		status=1
	fi
	printf '%s\n' "$out" | grep -E ': (ERROR|WARNING|CHECK):' || true
done < <(git ls-files 'kmod/*.c' 'kmod/*.h' | grep -v '/user/') > target/checkpatch.out
# Each allowed (file, type) pair is listed with the exact number of findings
# it has: a new finding of an allowed type, or a finding that went away,
# fails until the list is updated.
while IFS= read -r line; do
	file=${line%%:*}
	type=$(printf '%s\n' "$line" | sed -E 's/^[^:]+:[0-9]+: (ERROR|WARNING|CHECK):([A-Z_]+):.*/\2/')
	printf '%s\t%s\n' "$file" "$type"
	echo "checkpatch: $line" >&2
done < target/checkpatch.out | sort | uniq -c | awk '{ print $2 "\t" $3 "\t" $1 }' > target/checkpatch.counts
cut -f1-3 "$allow" | sort > target/checkpatch.allowed
if ! diff -u target/checkpatch.allowed <(sort target/checkpatch.counts); then
	echo "checkpatch: findings differ from checkpatch-allow.tsv (file, type, count): fix them, or justify them there"
	status=1
fi
echo "checkpatch: $checked files, $(wc -l < target/checkpatch.out) findings, status $status"
exit $status
