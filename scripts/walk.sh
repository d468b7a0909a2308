#!/usr/bin/env bash
# The whole migration in one command (docs/walk.md): installs PostgreSQL's server binaries when they are missing,
# then runs the migration walk with the given options (e.g. --fault, --phase-seconds 600).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-postgres.sh
dotnet run -c Release --project samples/Storage.MigrationWalk -- "$@"
