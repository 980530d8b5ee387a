#!/usr/bin/env bash
# deploy/install.sh: builds zwgk in release mode and installs it on a Debian 12 machine with systemd:
# binary and rubric under $PREFIX/lib/zwgk, a `zwgk` command in $PREFIX/bin, the service unit, its
# system user (sysusers.d) and folders (tmpfiles.d), the journal catalog, and — only when absent —
# /etc/zwgk/zwgk.toml and /etc/zwgk/units.toml. Then: systemctl enable --now zwgk
#
# Variables: PREFIX (default /usr/local); DESTDIR (stage into a folder, touching nothing else);
# ZWGK_BINARY (install this already-built binary, with its resource bundle beside it, instead of building).
set -euo pipefail
cd "$(dirname "$0")/.."
PREFIX=${PREFIX:-/usr/local}
DESTDIR=${DESTDIR:-}
if [ -z "${ZWGK_BINARY:-}" ]; then
    scripts/setup
    swift build -c release --product zwgk --static-swift-stdlib
    ZWGK_BINARY="$(swift build -c release --show-bin-path)/zwgk"
fi
bundle="$(dirname "$ZWGK_BINARY")/zwgk_RubricEngine.resources"
[ -x "$ZWGK_BINARY" ] && [ -d "$bundle" ] || { echo "install: $ZWGK_BINARY or its $bundle is missing" >&2; exit 1; }

lib="$DESTDIR$PREFIX/lib/zwgk"
install -d "$lib" "$DESTDIR$PREFIX/bin" "$DESTDIR$PREFIX/share/doc/zwgk" "$DESTDIR/etc/zwgk" \
    "$DESTDIR/etc/systemd/system" "$DESTDIR/usr/lib/sysusers.d" "$DESTDIR/usr/lib/tmpfiles.d" "$DESTDIR/usr/lib/systemd/catalog"
install -m 0755 "$ZWGK_BINARY" "$lib/zwgk"
rm -rf "$lib/zwgk_RubricEngine.resources"
cp -R "$bundle" "$lib/zwgk_RubricEngine.resources"
printf '#!/bin/sh\nexec %s/lib/zwgk/zwgk "$@"\n' "$PREFIX" > "$DESTDIR$PREFIX/bin/zwgk"
chmod 0755 "$DESTDIR$PREFIX/bin/zwgk"
sed "s|/usr/local|$PREFIX|g" deploy/zwgk.service > "$DESTDIR/etc/systemd/system/zwgk.service"
chmod 0644 "$DESTDIR/etc/systemd/system/zwgk.service"
install -m 0644 deploy/sysusers.d/zwgk.conf "$DESTDIR/usr/lib/sysusers.d/zwgk.conf"
install -m 0644 deploy/tmpfiles.d/zwgk.conf "$DESTDIR/usr/lib/tmpfiles.d/zwgk.conf"
install -m 0644 deploy/zwgk.catalog "$DESTDIR/usr/lib/systemd/catalog/zwgk.catalog"
install -m 0644 README.md "$DESTDIR$PREFIX/share/doc/zwgk/README.md"
[ -e "$DESTDIR/etc/zwgk/zwgk.toml" ] || install -m 0644 deploy/zwgk.toml "$DESTDIR/etc/zwgk/zwgk.toml"
[ -e "$DESTDIR/etc/zwgk/units.toml" ] || install -m 0644 deploy/units.example.toml "$DESTDIR/etc/zwgk/units.toml"

if [ -z "$DESTDIR" ]; then
    systemd-sysusers zwgk.conf
    systemd-tmpfiles --create zwgk.conf
    journalctl --update-catalog || true
    if [ -d /run/systemd/system ]; then
        systemctl daemon-reload
        echo "installed; start with: systemctl enable --now zwgk"
    else
        echo "installed (systemd is not running here, so nothing was started)"
    fi
fi
