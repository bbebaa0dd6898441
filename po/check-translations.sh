#!/usr/bin/env bash
# Fails when a translatable string has no Dutch translation, a translation
# is fuzzy, or a source file with translatable strings is missing from
# POTFILES.in. Extracts the strings afresh, so nl.po cannot silently fall
# behind the code.
set -euo pipefail
srcdir=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$srcdir"

status=0
# Every file that marks strings for translation must be listed.
for f in $(grep -rlE '(_\(|N_\(|C_\(|translatable="yes")' src data --include='*.c' --include='*.ui' --include='*.in' | sort); do
  if ! grep -qx "$f" po/POTFILES.in; then
    echo "not in po/POTFILES.in: $f"
    status=1
  fi
done
while read -r f; do
  case "$f" in ''|\#*) continue ;; esac
  [ -f "$f" ] || { echo "listed in po/POTFILES.in but missing: $f"; status=1; }
done < po/POTFILES.in

xgettext --from-code=UTF-8 --add-comments --package-name=buurtboek \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 \
  --files-from=<(grep -v '^#' po/POTFILES.in | grep -v '^$') \
  -o "$tmp/buurtboek.pot" 2>"$tmp/xgettext.log" || { cat "$tmp/xgettext.log"; exit 1; }

msgmerge --quiet --no-fuzzy-matching -o "$tmp/nl.po" po/nl.po "$tmp/buurtboek.pot"
msgfmt --check -o /dev/null po/nl.po
stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$tmp/nl.po" 2>&1)
echo "nl: $stats"
case "$stats" in
  *untranslated*|*fuzzy*)
    echo "Untranslated or fuzzy:"
    # Collected first: with pipefail, head closing the pipe would end the script.
    missing=$( { msgattrib --untranslated "$tmp/nl.po"; msgattrib --only-fuzzy "$tmp/nl.po"; } | grep -E '^msgid ' | grep -v 'msgid ""' || true)
    printf '%s\n' "$missing" | sed -n '1,80p'
    status=1
    ;;
esac
exit $status
