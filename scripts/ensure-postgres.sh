#!/usr/bin/env bash
# Installs PostgreSQL's server binaries (apt-get install postgresql) when they are missing; sourced by test.sh and
# walk.sh, whose throwaway servers start from them.

have_postgres() {
    command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ] && return 0
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
}

if ! have_postgres; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "PostgreSQL server binaries not found: installing them (apt-get install postgresql)" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    else
        echo "PostgreSQL server binaries not found; install them with: sudo apt-get install postgresql" >&2
    fi
fi
