#!/usr/bin/env bash
# Builds ledger_VERSION_ARCH.deb with dpkg-deb: the published `ledger` (framework-dependent ledger.dll) with the .NET
# runtime it needs bundled under /usr/lib/ledger/dotnet (Debian, Kylin and UOS archives carry no .NET 10 runtime, and a
# bureau's servers often reach no feed but their distribution's mirror), /usr/bin/ledger, systemd units for the node,
# the signer and the explorer, and the maintainer scripts (deploy/debian). Prints the .deb's path on its last line.
#
#   scripts/package-deb.sh [--out DIR] [--version VERSION] [--compress xz|gzip|none] [--no-build]
#   (--no-build: publish the Release build already made, e.g. by scripts/test.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

out=dist
version=""
compress=xz
build=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --version) version=$2; shift 2 ;;
    --compress) compress=$2; shift 2 ;;
    --no-build) build=(--no-build); shift ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "package-deb.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$compress" in xz|gzip|none) ;; *) echo "package-deb.sh: --compress is xz, gzip or none" >&2; exit 2 ;; esac
command -v dpkg-deb >/dev/null || { echo "package-deb.sh: dpkg-deb not found (a Debian-family system is needed)" >&2; exit 2; }
if [ -z "$version" ]; then
  version="0.1.0~git$(git log -1 --format=%cd --date=format:%Y%m%d 2>/dev/null || date -u +%Y%m%d).$(git rev-parse --short=10 HEAD 2>/dev/null || echo local)"
fi
arch=$(dpkg --print-architecture)

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root="$stage/root"
app="$root/usr/lib/ledger/app"
mkdir -p "$app" "$root/usr/bin" "$root/lib/systemd/system" "$root/usr/share/doc/ledger" "$root/DEBIAN"

# The app, framework-dependent and portable: the same build the tests run.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet publish tools/Ledger.Cli/Ledger.Cli.csproj -c Release -nologo -v q -p:UseAppHost=false ${build[@]+"${build[@]}"} -o "$app" >&2
# Native libraries (RocksDB's) for other systems than this package's: not shipped.
case "$arch" in amd64) rid=linux-x64 ;; arm64) rid=linux-arm64 ;; *) rid=linux-$arch ;; esac
if [ -d "$app/runtimes" ]; then
  for dir in "$app"/runtimes/win* "$app"/runtimes/osx* "$app"/runtimes/linux-*; do
    [ -d "$dir" ] && [ "$(basename "$dir")" != "$rid" ] && rm -rf "$dir"
  done
fi

# The runtime it targets, copied from the .NET installation that built it: the host, hostfxr and the two shared
# frameworks of the app's version (runtimeconfig.json names them).
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
major=$(grep -o '"version": *"[0-9]*' "$app/ledger.runtimeconfig.json" | head -1 | grep -o '[0-9]*$')
runtime=$(dotnet --list-runtimes | awk -v m="$major" '$1 == "Microsoft.NETCore.App" && index($2, m ".") == 1 { v = $2 } END { print v }')
aspnet=$(dotnet --list-runtimes | awk -v r="$runtime" '$1 == "Microsoft.AspNetCore.App" && $2 == r { print $2 }')
[ -n "$runtime" ] && [ -n "$aspnet" ] || { echo "package-deb.sh: no Microsoft.NETCore.App and Microsoft.AspNetCore.App of one version under $dotnet_root" >&2; exit 2; }
fxr=$(ls "$dotnet_root/host/fxr" | sort -V | tail -1)
bundle="$root/usr/lib/ledger/dotnet"
mkdir -p "$bundle/host/fxr" "$bundle/shared/Microsoft.NETCore.App" "$bundle/shared/Microsoft.AspNetCore.App"
cp "$dotnet_root/dotnet" "$bundle/"
cp -r "$dotnet_root/host/fxr/$fxr" "$bundle/host/fxr/"
cp -r "$dotnet_root/shared/Microsoft.NETCore.App/$runtime" "$bundle/shared/Microsoft.NETCore.App/"
cp -r "$dotnet_root/shared/Microsoft.AspNetCore.App/$runtime" "$bundle/shared/Microsoft.AspNetCore.App/"
for notice in LICENSE.txt ThirdPartyNotices.txt; do
  [ -f "$dotnet_root/$notice" ] && cp "$dotnet_root/$notice" "$root/usr/share/doc/ledger/dotnet-$notice"
done

install -m 0755 deploy/debian/ledger.sh "$root/usr/bin/ledger"
install -m 0644 deploy/systemd/ledger-node.service deploy/systemd/ledger-signer.service deploy/systemd/ledger-ca.service deploy/systemd/ledger-explorer.service "$root/lib/systemd/system/"
install -m 0644 docs/operations.md "$root/usr/share/doc/ledger/operations.md"
install -m 0644 deploy/prometheus/ledger-alerts.yml "$root/usr/share/doc/ledger/ledger-alerts.yml"
install -m 0755 deploy/debian/postinst deploy/debian/prerm deploy/debian/postrm "$root/DEBIAN/"
chmod -R u+rwX,go+rX,go-w "$root/usr"

installed=$(du -sk "$root/usr" "$root/lib" | awk '{ s += $1 } END { print s }')
cat > "$root/DEBIAN/control" <<CONTROL
Package: ledger
Version: $version
Architecture: $arch
Maintainer: Ledger consortium operators <ops@ledger.invalid>
Installed-Size: $installed
Section: net
Priority: optional
Depends: adduser, procps, libc6 (>= 2.31), libgcc-s1, libstdc++6, zlib1g, libssl3 | libssl1.1, libicu76 | libicu74 | libicu72 | libicu71 | libicu70 | libicu67 | libicu66 | libicu63
Recommends: chrony | systemd-timesyncd | ntp, fonts-dejavu-core, fonts-droid-fallback
Homepage: https://ledger.invalid/
Description: permissioned ledger for electronic labour contracts (node, signer, explorer)
 The ledger command: a QBFT validator node (ledger node), a city bureau's signer
 service (ledger signer), its city CA process (ledger ca serve), the block
 explorer (ledger explorer), node backup and
 restore, proof verification and the integrator helpers. Bundles the .NET
 runtime $runtime it runs on (/usr/lib/ledger/dotnet). Config under /etc/ledger,
 data under /var/lib/ledger, systemd units ledger-node, ledger-signer,
 ledger-ca and ledger-explorer, run as the ledger system user.
CONTROL

mkdir -p "$out"
deb="$out/ledger_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Z"$compress" --build "$root" "$deb" >&2
echo "$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")"
