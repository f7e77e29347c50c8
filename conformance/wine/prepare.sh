#!/usr/bin/env bash
# Prepares Wine for running GOOS=windows Go programs and tests on Linux, so the
# qwave bindings can be exercised against Wine's qwave.dll.
#
#   eval "$(conformance/wine/prepare.sh)"   prepare, then export the environment
#   conformance/wine/prepare.sh --stop      stop the persistent wineserver
#
# Steps (each skipped when already done, so a second run takes milliseconds):
#   1. create the Wine prefix (default <repo>/.wine, override with
#      WINQOS_WINEPREFIX);
#   2. link bcryptprimitives.def into the prefix's system32 (Go programs do not
#      start on Wine 8.0 without it);
#   3. start a persistent wineserver detached from this script's output.
#
# Only the export line for the caller's shell is printed on stdout; every
# other message goes to stderr.
set -euo pipefail

here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
repo="$(cd -- "$here/../.." && pwd -P)"

wine_dir=/usr/lib/wine
wine64="$wine_dir/wine64"
wineserver="$wine_dir/wineserver"
mingw_ld=x86_64-w64-mingw32-ld
apt_hint="apt-get install -y --no-install-recommends wine64 binutils-mingw-w64-x86-64"

prefix="${WINQOS_WINEPREFIX:-$repo/.wine}"
def="$here/bcryptprimitives.def"
wrapper="$here/go_windows_amd64_exec"
system32="$prefix/drive_c/windows/system32"
forwarder="$system32/bcryptprimitives.dll"
marker="$prefix/.winqos-wineboot-done"
log="$prefix/prepare.log"

say() { printf 'prepare.sh: %s\n' "$*" >&2; }
die() {
	say "error: $*"
	exit 1
}

usage() {
	cat >&2 <<EOF
usage: $0           prepare Wine and print an export line for eval
       $0 --stop    stop the persistent wineserver of the prefix
EOF
}

mode=prepare
case $# in
0) ;;
1)
	case $1 in
	--stop) mode=stop ;;
	-h | --help)
		usage
		exit 0
		;;
	*)
		usage
		exit 2
		;;
	esac
	;;
*)
	usage
	exit 2
	;;
esac

case $prefix in
/*) ;;
*) die "WINQOS_WINEPREFIX must be an absolute path, got '$prefix'" ;;
esac
[[ -f $repo/go.mod ]] || die "no go.mod in $repo; the script must stay in <repo>/conformance/wine"

export WINEPREFIX="$prefix"
export WINEDEBUG=-all

missing=()
[[ -x $wine64 ]] || missing+=("$wine64")
[[ -x $wineserver ]] || missing+=("$wineserver")
if [[ $mode == prepare ]] && ! command -v "$mingw_ld" >/dev/null 2>&1; then
	missing+=("$mingw_ld")
fi
if ((${#missing[@]})); then
	die "missing ${missing[*]}; install with: $apt_hint"
fi

if [[ $mode == stop ]]; then
	if [[ -d $prefix ]] && "$wineserver" -k </dev/null >/dev/null 2>&1; then
		say "stopped the wineserver for $prefix"
	else
		say "no wineserver running for $prefix"
	fi
	exit 0
fi

# 1. Prefix. wineboot starts its own short-lived wineserver and Wine's service
# processes; their output goes to a log file, never to this script's stdout or
# stderr, which they could otherwise hold open indefinitely. `wineserver -k`
# afterwards writes the registry to disk and stops them.
if [[ ! -f $marker ]]; then
	say "creating Wine prefix $prefix ($("$wine64" --version 2>/dev/null || echo 'unknown Wine version'))"
	mkdir -p "$prefix"
	# Stop a server left running for a half-made prefix.
	"$wineserver" -k </dev/null >/dev/null 2>&1 || true
	# mscoree and mshtml off: no attempt to install Wine Mono or Gecko.
	if ! WINEDLLOVERRIDES="mscoree,mshtml=" "$wine64" wineboot --init </dev/null >"$log" 2>&1; then
		cat "$log" >&2 || true
		"$wineserver" -k </dev/null >/dev/null 2>&1 || true
		die "wineboot --init failed (log: $log)"
	fi
	"$wineserver" -k </dev/null >>"$log" 2>&1 || true
	[[ -f $prefix/system.reg && -d $system32 ]] || die "wineboot did not create $prefix properly (log: $log)"
	touch "$marker"
fi

# 2. bcryptprimitives.dll forwarder, relinked when the .def changes.
if [[ ! -f $forwarder || $def -nt $forwarder ]]; then
	say "linking $forwarder"
	tmp="$forwarder.tmp.$$"
	if ! "$mingw_ld" -shared --no-insert-timestamp -o "$tmp" "$def" >&2; then
		rm -f "$tmp"
		die "linking $def failed"
	fi
	mv -f "$tmp" "$forwarder"
fi

# 3. Persistent wineserver, and Wine's service processes started by a program
# whose output goes to the log: whichever program starts them first hands them
# its stdout and stderr, which they keep open for as long as they live.
# `wineserver -p` exits with 0 when it started a server and with 2 when one was
# already running. go_windows_amd64_exec does the same under the same lock; fd
# 9 is closed for every child so that no long-lived process keeps the lock.
{
	flock 9 || die "cannot lock $prefix/.wineserver.lock"
	status=0
	"$wineserver" -p </dev/null >/dev/null 2>&1 9>&- || status=$?
	case $status in
	0)
		say "started a persistent wineserver (stop it with: $0 --stop)"
		"$wine64" cmd.exe /c exit 0 </dev/null >>"$log" 2>&1 9>&- ||
			die "a trivial Windows program failed to run under Wine (log: $log)"
		;;
	2) ;;
	*) die "wineserver -p failed with exit status $status" ;;
	esac
} 9>>"$prefix/.wineserver.lock"

[[ -x $wrapper ]] || chmod +x "$wrapper" || die "cannot make $wrapper executable"

# shellcheck disable=SC2016 # $PATH is expanded by the caller's eval
printf 'export WINEPREFIX=%q; export WINEDEBUG=-all; export PATH=%q:"$PATH"\n' "$prefix" "$here"
