#!/bin/bash
# The command line: exit codes and one-line errors (no root needed).
set -u
IGD2D=${IGD2D:-$(pwd)/src/igd2d}
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

expect() {	# status description command...
	local want=$1 what=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	local rc=$?
	[ $rc -eq "$want" ] || { cat "$T/out" "$T/err"; fail "$what: exit $rc, want $want"; }
}
one_line() {	# the error output is one line matching a pattern
	[ "$(wc -l <"$T/err")" -eq 1 ] || { cat "$T/err"; fail "$1: not one line"; }
	grep -q -- "$2" "$T/err" || { cat "$T/err"; fail "$1: no \"$2\""; }
}

expect 0 "--help" "$IGD2D" --help
grep -q -- "--check-config" "$T/out" || fail "--help does not list options"
expect 0 "--version" "$IGD2D" --version
grep -q "^igd2d [0-9]" "$T/out" || fail "--version"

expect 2 "unknown option" "$IGD2D" --bogus
one_line "unknown option" "unknown option"
expect 2 "missing argument" "$IGD2D" --lan
one_line "missing argument" "missing argument"
expect 2 "stray argument" "$IGD2D" -n --lan a --wan b extra
one_line "stray argument" "unexpected argument"
expect 2 "-o without =" "$IGD2D" -o http_port
one_line "-o without =" "expected key=value"
expect 2 "-o bad value" "$IGD2D" -F -f /dev/null --lan a --wan b -o http_port=x
grep -q 'command line: http_port: "x" is not a number in 0..65535' "$T/err" ||
    { cat "$T/err"; fail "-o bad value message"; }
expect 2 "-o unknown key" "$IGD2D" -F -f /dev/null --lan a --wan b -o nope=1
grep -q 'command line: unknown key "nope"' "$T/err" || fail "-o unknown key"
echo "ok - usage errors: one line, exit 2"

printf 'lan_interface = eth1\nwan_interface = eth0\nhttp_port = 50000\n' \
    >"$T/good.conf"
expect 0 "--check-config good" "$IGD2D" --check-config -f "$T/good.conf"
grep -q "^http_port = 50000$" "$T/out" || fail "effective settings not printed"
grep -q "^# configuration OK" "$T/out" || fail "no 'configuration OK'"
expect 0 "-o wins over the file" "$IGD2D" -n -f "$T/good.conf" -o http_port=50001
grep -q "^http_port = 50001$" "$T/out" || fail "-o does not win"
expect 0 "--lan wins over the file" "$IGD2D" -n -f "$T/good.conf" --lan br0
grep -q "^lan_interface = br0$" "$T/out" || fail "--lan does not win"
expect 0 "low http_port" "$IGD2D" -n -f "$T/good.conf" -o http_port=8080
grep -q "^http_port = 8080$" "$T/out" || fail "a low http_port is not kept"
grep -q "^# http_port" "$T/out" && fail "a comment on a set http_port"
expect 0 "http_port 0" "$IGD2D" -n -f "$T/good.conf" -o http_port=0
grep -q "^# http_port: the first free port from 49152$" "$T/out" ||
    fail "--check-config does not say which port 0 means"
echo "ok - --check-config prints the effective settings; command line wins"

printf 'lan_interface = eth1\nwan_interface = eth0\nhttp_port = 99999\nfoo = 1\n' \
    >"$T/bad.conf"
expect 1 "--check-config bad" "$IGD2D" -n -f "$T/bad.conf"
grep -q "$T/bad.conf:3: http_port: \"99999\" is not a number in 0..65535" \
    "$T/err" || { cat "$T/err"; fail "file:line for http_port"; }
grep -q "$T/bad.conf:4: unknown key \"foo\"" "$T/err" || fail "file:line foo"
expect 1 "start with a bad file" "$IGD2D" -F -f "$T/bad.conf"
grep -q "not starting" "$T/err" || fail "starts with a bad file"
expect 1 "-f missing file" "$IGD2D" -n -f "$T/none.conf"
grep -q "none.conf: No such file" "$T/err" || fail "missing -f file"
expect 1 "no interfaces" "$IGD2D" -n -f /dev/null
grep -q "lan_interface: not set" "$T/err" || fail "missing lan_interface"
expect 1 "same interfaces" "$IGD2D" -n -f /dev/null --lan x --wan x
grep -q "must differ" "$T/err" || fail "lan == wan"
echo "ok - configuration errors: file:line and key, exit 1, no start"

expect 0 "sample config" "$IGD2D" -n -f "$top_srcdir/etc/igd2d.conf" \
    --lan eth1 --wan eth0
echo "ok - etc/igd2d.conf parses"
for k in $("$IGD2D" -n -f /dev/null --lan a --wan b | sed -n 's/^\([a-z_]*\) = .*/\1/p'); do
	grep -q "^\.It Cm $k\b" "$top_srcdir/doc/igd2d.conf.5" ||
	    fail "key $k is not documented in igd2d.conf(5)"
	grep -q "^#* *$k *=" "$top_srcdir/etc/igd2d.conf" ||
	    fail "key $k is not in etc/igd2d.conf"
done
echo "ok - every key is documented in igd2d.conf(5) and etc/igd2d.conf"

# igd2ctl: usage errors exit 2 before any connection; an absent daemon 1.
IGD2CTL=${IGD2CTL:-$(dirname "$IGD2D")/igd2ctl}
expect 0 "igd2ctl --help" "$IGD2CTL" --help
grep -q "wan address" "$T/out" || fail "igd2ctl --help does not list commands"
expect 2 "igd2ctl without a command" "$IGD2CTL"
one_line "igd2ctl without a command" "no command"
expect 2 "igd2ctl unknown command" "$IGD2CTL" frob
one_line "igd2ctl unknown command" "frob: unknown command"
expect 2 "igd2ctl add, too few words" "$IGD2CTL" add TCP 80
one_line "igd2ctl add, too few words" "add PROTO EXTPORT CLIENT INTPORT"
expect 2 "igd2ctl -l outside add" "$IGD2CTL" -l 60 list
one_line "igd2ctl -l outside add" "are for add"
expect 1 "igd2ctl, no daemon" "$IGD2CTL" -s "$T/none.sock" status
one_line "igd2ctl, no daemon" "none.sock: No such file or directory"
echo "ok - igd2ctl: usage errors exit 2, an unreachable daemon 1"
