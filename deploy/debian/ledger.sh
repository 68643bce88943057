#!/bin/sh
# /usr/bin/ledger: the framework-dependent ledger.dll on the .NET runtime bundled beside it (/usr/lib/ledger/dotnet).
export DOTNET_ROOT=/usr/lib/ledger/dotnet
export DOTNET_CLI_TELEMETRY_OPTOUT=1
exec /usr/lib/ledger/dotnet/dotnet /usr/lib/ledger/app/ledger.dll "$@"
