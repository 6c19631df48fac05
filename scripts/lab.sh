#!/bin/bash
# Quick start 1: a lab gateway emulator.  Installs what is missing, builds,
# creates three network namespaces (a LAN host, the gateway, a WAN host),
# starts igd2d in the gateway, shows it working from the LAN host with
# upnpc, then keeps the daemon in the foreground until Ctrl-C and removes
# the lab.  Must run as root.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
scripts/deps.sh
scripts/build.sh >/dev/null
export IGD2D=$top/build/src/igd2d PYTHON3=/usr/bin/python3
LAB_ID=lab
# shellcheck source=../tests/integration/lib.sh
. "$top/tests/integration/lib.sh"
set +e
lab_require upnpc
lab_setup
daemon_start
echo
echo "== igd2d runs in namespace $NS_GW (LAN $GW_LAN_IF $GW_LAN_IP, WAN $GW_WAN_IF $GW_WAN_IP)"
echo "== from the LAN host ($NS_LAN, $LAN_IP): upnpc -i -s"
in_lan timeout 20 upnpc -i -s
echo
echo "== try it yourself, e.g.:"
echo "   ip netns exec $NS_LAN upnpc -i -s"
echo "   ip netns exec $NS_LAN upnpc -i -l"
echo "== daemon log follows; Ctrl-C stops the daemon and removes the lab"
tail -n +1 -f "$WORK/daemon.log" &
TAIL=$!
trap 'echo; daemon_stop; echo "igd2d exited with $?"; kill $TAIL; lab_teardown' INT TERM
wait "$DAEMON_PID"
kill $TAIL
