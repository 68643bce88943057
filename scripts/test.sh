#!/usr/bin/env bash
# The test command: installs what the tests need, builds, runs every test project, and ends with one
# line "N passed, N failed, N skipped". Long fault and soak runs are opt-in: LEDGER_LONG_TESTS=1.
set -uo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
# The transport tests probe every listener with curl (plain HTTP/1.1, h2c, https) and openssl s_client.
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
# The explorer's browser tests drive Debian's Chromium (never a downloaded browser); its pages are Chinese first.
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || need_apt+=(fonts-noto-cjk)
# Verification reports embed DejaVu (Latin) and Droid Sans Fallback (Chinese); the tests read them back with poppler.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt+=(fonts-dejavu-core)
[ -f /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ] || need_apt+=(fonts-droid-fallback)
command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
# The analytics tests start throw-away clusters of Debian's PostgreSQL (initdb, pg_ctl), never a mock.
{ command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; } || need_apt+=(postgresql)
# The .deb tests: dpkg-deb builds it, systemd-analyze checks its units, adduser and runuser run it as its user.
command -v systemd-analyze >/dev/null 2>&1 || need_apt+=(systemd)
command -v adduser >/dev/null 2>&1 || need_apt+=(adduser)
command -v runuser >/dev/null 2>&1 || need_apt+=(util-linux)
# The node's unit reloads with procps's /bin/kill (the package depends on procps).
[ -x /bin/kill ] || need_apt+=(procps)
# The explorer's JavaScript libraries come from npm at build time.
command -v npm >/dev/null 2>&1 || need_apt+=(nodejs npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing: ${need_apt[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "missing: ${need_apt[*]} (run as root, or install them)" >&2
  fi
fi

# The alert rules' test runs promtool (check rules, test rules): Debian's prometheus package holds it; only the
# promtool binary is taken from it (apt-get download, no server installed or started), into .cache/tools.
if ! command -v promtool >/dev/null 2>&1 && [ -z "${LEDGER_PROMTOOL:-}" ]; then
  if [ ! -x .cache/tools/promtool ] && [ "$(id -u)" = 0 ]; then
    mkdir -p .cache/tools/prometheus-deb
    (cd .cache/tools/prometheus-deb && { apt-get download prometheus >/dev/null 2>&1 || { apt-get update -qq && apt-get download prometheus >/dev/null 2>&1; }; } \
      && dpkg-deb -x prometheus_*.deb x && cp x/usr/bin/promtool ../promtool) || echo "could not get promtool (the promtool test will be skipped)" >&2
    rm -rf .cache/tools/prometheus-deb
  fi
  [ -x .cache/tools/promtool ] && export LEDGER_PROMTOOL="$PWD/.cache/tools/promtool"
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
filter="Category!=Long"
[ "${LEDGER_LONG_TESTS:-0}" = 1 ] && filter=""

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! dotnet build Ledger.sln -c Release -nologo -v q 2>&1 | tee "$log" | grep -E "error|Build succeeded|Warn" ; then
  :
fi
if grep -qE "^Build FAILED|[1-9][0-9]* Error\(s\)" "$log"; then
  echo "build failed"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

# The JavaScript client's packages (clients/js, exact versions from package-lock.json); its E2E test runs it.
if ! (cd clients/js && npm ci --no-audit --no-fund --prefer-offline >/dev/null 2>&1); then
  echo "npm ci in clients/js failed (the JS client test will say why)" >&2
fi

# The independent JavaScript verifier's packages (verifiers/js, from package-lock.json); Ledger.Client.Tests runs it.
if ! (cd verifiers/js && npm ci --no-audit --no-fund --prefer-offline >/dev/null 2>&1); then
  echo "npm ci in verifiers/js failed (JsVerifierAgreementTests will say why)" >&2
fi

# The anchoring contract's compiler and the local EVM node (anchor/, pinned solc and ganache); Ledger.Anchor.Tests and
# the anchoring E2E tests start ganache from there.
if ! (cd anchor && npm ci --no-audit --no-fund --prefer-offline >/dev/null 2>&1); then
  echo "npm ci in anchor/ failed (the anchor tests will say why)" >&2
fi

dotnet test Ledger.sln -c Release --no-build -nologo ${filter:+--filter "$filter"} 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# One summary line per test assembly: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ..."
read -r passed failed skipped < <(grep -E "^(Passed|Failed)! +- Failed: " "$log" | awk -F'[:,]' \
  '{ f += $2; p += $4; s += $6 } END { printf "%d %d %d\n", p, f, s }')
assemblies=$(grep -cE "^(Passed|Failed)! +- Failed: " "$log")
if [ "$status" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then failed=1; fi   # a crash or a runner error still fails
if [ "${assemblies:-0}" -eq 0 ]; then failed=$(( ${failed:-0} + 1 )); fi
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
[ "${failed:-0}" -eq 0 ]
