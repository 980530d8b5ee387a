#!/usr/bin/env bash
# deploy/uninstall.sh: stops and removes what install.sh installed. Keeps the data and configuration
# (/var/spool/zwgk, /var/lib/zwgk, /etc/zwgk) and the zwgk user unless PURGE=1.
set -euo pipefail
PREFIX=${PREFIX:-/usr/local}
if [ -d /run/systemd/system ]; then systemctl disable --now zwgk.service 2>/dev/null || true; fi
rm -f /etc/systemd/system/zwgk.service /usr/lib/sysusers.d/zwgk.conf /usr/lib/tmpfiles.d/zwgk.conf \
    /usr/lib/systemd/catalog/zwgk.catalog "$PREFIX/bin/zwgk"
rm -rf "$PREFIX/lib/zwgk" "$PREFIX/share/doc/zwgk"
journalctl --update-catalog 2>/dev/null || true
if [ "${PURGE:-0}" = 1 ]; then
    rm -rf /var/spool/zwgk /var/lib/zwgk /etc/zwgk
    userdel zwgk 2>/dev/null || true
    groupdel zwgk-submit 2>/dev/null || true
fi
if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
echo "zwgk removed$([ "${PURGE:-0}" = 1 ] && echo ', data purged' || echo '; data kept in /var/spool/zwgk, /var/lib/zwgk, /etc/zwgk')"
