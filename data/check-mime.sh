#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks the shared-mime-info package file: well-formed XML, accepted by
# update-mime-database, and (when gio is there) a council file recognised by
# its SQLite header and PRAGMA application_id, whatever its name.
# Usage: check-mime.sh MIME-XML [XMLLINT] [UPDATE-MIME-DATABASE] [PYTHON3] [GIO]
set -eu

mime_xml=$1
xmllint=${2:-}
update_mime_database=${3:-}
python3=${4:-}
gio=${5:-}

fail () { echo "check-mime: $*" >&2; exit 1; }

[ -r "$mime_xml" ] || fail "cannot read $mime_xml"

if [ -n "$xmllint" ]; then
  "$xmllint" --noout "$mime_xml" || fail "not well-formed XML"
fi

if [ -z "$update_mime_database" ]; then
  [ -n "$xmllint" ] || { echo "check-mime: neither xmllint nor update-mime-database found"; exit 77; }
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

mkdir -p "$tmp/mime/packages"
cp "$mime_xml" "$tmp/mime/packages/"
# update-mime-database warns on stderr but still exits 0 for some mistakes:
# treat any output as a failure.
out=$(XDG_DATA_HOME="$tmp" "$update_mime_database" "$tmp/mime" 2>&1) || fail "update-mime-database failed: $out"
[ -z "$out" ] || fail "update-mime-database complained: $out"
[ -s "$tmp/mime/application/x-buurtboek.xml" ] || fail "no application/x-buurtboek.xml produced"
grep -q 'x-buurtboek' "$tmp/mime/globs2" || fail "glob *.buurtboek not registered"
grep -q 'application/x-buurtboek' "$tmp/mime/magic" || fail "magic not registered"
grep -q 'application/x-buurtboek application/vnd.sqlite3' "$tmp/mime/subclasses" \
  || fail "not a subclass of application/vnd.sqlite3"
echo "check-mime: database built, glob, magic and parent registered"

# Content sniffing: a council file with a foreign name is still recognised;
# a plain SQLite file is not.
if [ -z "$python3" ] || [ -z "$gio" ]; then
  echo "check-mime: python3 or gio missing, sniffing not checked"
  exit 0
fi
"$python3" - "$tmp" <<'PY'
import sqlite3, sys
d = sys.argv[1]
for name, app_id in (("council.data", 0x42426f6b), ("plain.data", 0)):
    db = sqlite3.connect(f"{d}/{name}")
    db.execute(f"PRAGMA application_id = {app_id}")
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
PY
sniff () {
  XDG_DATA_HOME="$tmp" XDG_DATA_DIRS="$tmp:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}" \
    "$gio" info -a standard::content-type "$1" | sed -n 's/^ *standard::content-type: //p'
}
council=$(sniff "$tmp/council.data")
plain=$(sniff "$tmp/plain.data")
[ "$council" = application/x-buurtboek ] || fail "council file sniffed as '$council'"
[ "$plain" != application/x-buurtboek ] || fail "plain SQLite file sniffed as application/x-buurtboek"
echo "check-mime: council file sniffed as $council, plain SQLite file as $plain"
