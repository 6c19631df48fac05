#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into tests/fuzz/corpus/.

The seeds come from the tests: SOAP bodies as tests/integration/ssdp.py
soap_body() sends them (with the arguments of test_portmap.sh), config
snippets of tests/unit/check_config.c and etc/igd2d.conf, and hand-made
operation sequences for the binary formats of fuzz_pmlist and
fuzz_portmap.  Reproducers of findings (corpus/*/crash-* or named ones)
are kept beside them and not touched here.  Run from anywhere:
    python3 tests/fuzz/make_seeds.py
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(HERE, "corpus")


def w(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# --- fuzz_config ------------------------------------------------------------
def config():
    with open(os.path.join(TOP, "etc", "igd2d.conf"), "rb") as f:
        w("fuzz_config", "igd2d.conf", f.read())
    w("fuzz_config", "minimal", "lan_interface = br0\nwan_interface = eth0\n")
    w("fuzz_config", "full",
      "lan_interface = br-lan\nwan_interface = eth0.2\n"
      "http_port = 8080\t# tab before the comment\n"
      "friendly_name = \"My \\\"Gateway\\\" \\\\ #1\"\n"
      "manufacturer = ACME Networks\n"
      "manufacturer_url = http://acme.example/\n"
      "model_description = A gateway for the home\n"
      "model_name = \"HG\"# glued comment\nmodel_number = 1.2.3\n"
      "model_url = http://acme.example/hg1\nserial_number = SN-0042\n"
      "uuid = uuid:0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0\n"
      "ssdp_max_age = 86400\nstate_dir = /var/lib/x\nruntime_dir = /run/x\n"
      "pid_file = /run/x/igd2d.pid\nigd_version = 1\nlog_level = debug\n"
      "wan_guard = no\nfw_chain_prefix = MYUPNP\nfw_hook = off\n"
      "lan_wait = 0\nmax_mappings = 65535\nhairpin = false\n")
    w("fuzz_config", "crlf", "lan_interface = br0\r\nwan_interface = eth0\r\n"
      "model_name = \"HG\"\r\n# comment\r\n\r\n")
    w("fuzz_config", "errors",
      "http_port = 8080\ncolour = blue\nlan_interface = br0\n"
      "ssdp_max_age = 10\n# comment\nwan_interface = eth0\n"
      "log_level = loud\nlan_wait = 5\nhttp_port = 1e3\nhttp_port = 0x10\n"
      "friendly_name = \"unterminated\nuuid = 123\nstate_dir = relative\n"
      "model_name = \"x\" y\n= value\nkey value\nigd_version = 3\n"
      "lan_interface = a/b\nserial_number = \"\\q\"\n")
    w("fuzz_config", "nul-and-long",
      b"lan_interface = br0\nwan_interface = eth\x000\n"
      b"friendly_name = " + b"x" * 1100 + b"\n")
    w("fuzz_config", "acl",
      "lan_interface = br0\nwan_interface = eth0\n"
      "allow 80 192.168.1.10 80\ndeny 0-1023 0.0.0.0/0 0-65535\n"
      "allow = 1024-65535 192.168.1.0/24 1024-65535\n"
      "manager 192.168.1.20\nmanager = 10.0.0.0/255.0.0.0\n"
      "allow 2000-1000 0.0.0.0/0 1-2\ndeny 1 10.0.0.0/40 1\n"
      "manager 10.0.0\nallow 1 2\n")
    w("fuzz_config", "option",
      "max_mappings=100\nlan_interface=br0\nwan_interface=wan\nlog_level=info")
    w("fuzz_config", "connection",
      "lan_interface = br0\nwan_interface = ppp0\nwan_mode = emulate\n"
      "connect_delay = 2\nconnecting_timeout = 3600\n"
      "disconnect_delay = 0\nexternal_ip = 203.0.113.1\n"
      "open_connection_control = yes\nwan_mode = monitor\n"
      "external_ip = 1.2.3\n")
    w("fuzz_config", "limits",
      "lan_interface = eth0\nwan_interface = eth0\nmax_description = 64\n"
      "max_mappings_per_client = 8\nmax_soap_body = 1024\nssdp_rate = 0\n"
      "ssdp_burst = 1\n")


# --- fuzz_soap ---------------------------------------------------------------
ST = "urn:schemas-upnp-org:service:WANIPConnection:2"


def body(action, args, stype=ST):
    """tests/integration/ssdp.py soap_body()"""
    inner = "".join("<%s>%s</%s>" % (k, v, k) for k, v in args)
    b = ('<?xml version="1.0"?>\r\n'
         '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"'
         ' s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">'
         '<s:Body><u:%s xmlns:u="%s">%s</u:%s></s:Body></s:Envelope>\r\n'
         % (action, stype, inner, action)).encode()
    if len(b) % 2:          # even size: fuzz_soap's CP is 192.168.1.10
        b += b" "
    return b


def add(action, eport, desc="test", ic="192.168.1.10", lease="3600", rh="",
        proto="TCP", stype=ST):
    return body(action, [
        ("NewRemoteHost", rh), ("NewExternalPort", eport),
        ("NewProtocol", proto), ("NewInternalPort", eport),
        ("NewInternalClient", ic), ("NewEnabled", "1"),
        ("NewPortMappingDescription", desc), ("NewLeaseDuration", lease)],
        stype)


def soap():
    t = "fuzz_soap"
    w(t, "add", add("AddPortMapping", "20000"))
    w(t, "add-any", add("AddAnyPortMapping", "8080", desc="any", lease="0"))
    w(t, "add-escaped", add("AddPortMapping", "20001",
      desc="&lt;&amp;&gt;&quot;&apos; ]]&gt; caf\u00e9", rh="203.0.113.2",
      proto="UDP"))
    w(t, "add-v1-cdata", add("AddPortMapping", "20002",
      desc="<![CDATA[cdata]]>", lease="604800",
      stype="urn:schemas-upnp-org:service:WANIPConnection:1"))
    w(t, "add-extra-arg", body("AddPortMapping", [
        ("NewRemoteHost", ""), ("NewExternalPort", "25001"),
        ("NewProtocol", "TCP"), ("NewInternalPort", "25001"),
        ("NewInternalClient", "192.168.1.10"), ("NewEnabled", "1"),
        ("NewPortMappingDescription", "x"), ("NewLeaseDuration", "0"),
        ("NewFoo", "1")]))
    w(t, "add-bad-numbers", body("AddPortMapping", [
        ("NewRemoteHost", "*"), ("NewExternalPort", "65536"),
        ("NewProtocol", "tcp"), ("NewInternalPort", "-1"),
        ("NewInternalClient", "gateway.lan"), ("NewEnabled", "yes"),
        ("NewPortMappingDescription", ""), ("NewLeaseDuration", "1e3")]))
    w(t, "get-specific", body("GetSpecificPortMappingEntry", [
        ("NewRemoteHost", ""), ("NewExternalPort", "20000"),
        ("NewProtocol", "TCP")]))
    w(t, "get-generic", body("GetGenericPortMappingEntry",
                             [("NewPortMappingIndex", "0")]))
    w(t, "list", body("GetListOfPortMappings", [
        ("NewStartPort", "1"), ("NewEndPort", "65535"),
        ("NewProtocol", "TCP"), ("NewManage", "0"),
        ("NewNumberOfPorts", "10")]))
    w(t, "list-endpoint", body("GetListOfPortMappings", [
        ("NewStartPort", "1024"), ("NewEndPoint", "65535"),
        ("NewProtocol", "UDP"), ("NewManage", " true "),
        ("NewNumberOfPorts", "0")]))
    w(t, "delete", body("DeletePortMapping", [
        ("NewRemoteHost", ""), ("NewExternalPort", "20000"),
        ("NewProtocol", "TCP")]))
    w(t, "delete-range", body("DeletePortMappingRange", [
        ("NewStartPort", "20000"), ("NewEndPort", "20010"),
        ("NewProtocol", "TCP"), ("NewManage", "1")]))
    w(t, "get-external-ip", body("GetExternalIPAddress", []))
    w(t, "bare-action",
      '<u:GetGenericPortMappingEntry xmlns:u="%s"><NewPortMappingIndex>1'
      '</NewPortMappingIndex></u:GetGenericPortMappingEntry>' % ST)


# --- fuzz_pmlist -------------------------------------------------------------
def s(x):
    if isinstance(x, str):
        x = x.encode()
    return bytes([len(x)]) + x


def ent(rh, proto, ic, desc, ep, ip, en, lease):
    return (s(rh) + s(proto) + s(ic) + s(desc) +
            struct.pack(">HHBI", ep, ip, en, lease))


def pmlist():
    t = "fuzz_pmlist"
    w(t, "one", bytes([1]) +
      ent("", "TCP", "192.168.1.10", "test", 20000, 20000, 1, 3600))
    w(t, "specials", bytes([2]) +
      ent("203.0.113.2", "UDP", "192.168.1.11", "<&>\"' ]]> ]]]]>>",
          1, 65535, 0, 0) +
      ent("", "TCP", "192.168.1.10", "  padded \t", 65535, 1, 1, 604800))
    w(t, "blank-and-cr", bytes([2]) +
      ent("", "TCP", "192.168.1.10", " \t\r\n", 1024, 1024, 1, 1) +
      ent("", "TCP", "192.168.1.10", "a\r\nb", 1025, 1025, 1, 4294967295))
    w(t, "utf8", bytes([1]) + ent("", "TCP", "192.168.1.10",
      "caf\u00e9 \u20ac \U0001f600", 3000, 3000, 1, 10))
    w(t, "invalid", bytes([1]) + ent("", "TCP", "192.168.1.10",
      b"\x01\xff\xfe\xc0\x80", 3001, 3001, 1, 10))
    w(t, "max-desc", bytes([1]) +
      ent("", "UDP", "255.255.255.255", "d" * 255, 9, 9, 1, 7))


# --- fuzz_portmap ------------------------------------------------------------
def portmap():
    t = "fuzz_portmap"
    clock = lambda v: struct.pack(">I", v)
    # op byte % 12: 0-2 add, 3-4 add_any, 5 delete, 6 delete_range,
    # 7 list, 8 expire, 9 replace, 10 set_max, 11 get
    w(t, "adds-deletes", bytes([16]) + clock(1000) + bytes([
        0, 0, 5, 0, 0, 4, 1,  0, 1, 5, 1, 0, 4, 1,
        3, 0, 0, 0, 0, 4, 1, 0,  5, 1, 0,  7, 0, 0, 11, 0, 1, 0,
        8, 5, 0,  11, 0, 5, 0]))
    w(t, "near-max-clock", bytes([4]) + clock(0xfffffff0) + bytes([
        0, 0, 5, 1, 0, 4, 2,  1, 1, 6, 2, 0x21, 4, 3,
        8, 0xf0, 0, 0, 0, 40, 0,  11, 0, 5, 1]))
    w(t, "foreign-conflict", bytes([8]) + clock(7) + bytes([
        0, 0, 7, 0, 0xc0, 7, 1, 0,  0, 0, 7, 0, 1, 7, 1,
        0, 0, 7, 1, 0, 7, 1,  3, 0, 7, 0, 1, 7, 0, 1, 0, 0, 0xff,
        6, 0, 0, 10, 1, 3]))
    w(t, "full-table", bytes([2]) + clock(0) + bytes(
        [0, 0, 1, 0, 0, 4, 1,  0, 0, 2, 0, 0, 4, 1,  0, 0, 3, 0, 0, 4, 1,
         4, 0, 3, 0, 0, 4, 1, 0,  10, 3,  4, 0, 3, 0, 0, 4, 1, 1, 9, 9, 0,
         9, 0, 0, 0, 0, 4, 0, 1, 0, 1, 0]))


# --- fuzz_ctl: request lines as igd2ctl and tests/integration/test_ctl.sh
# send them -----------------------------------------------------------------
def ctl():
    t = "fuzz_ctl"
    w(t, "simple", "status\nlist\nflush\nreload\nwan up\nwan down\n"
      "wan address=203.0.113.9\n")
    w(t, "add", "add proto=TCP eport=80 client=192.168.77.10 iport=8080 "
      "lease=0 enabled=1 desc=web%20server\n"
      "add proto=UDP eport=5353 client=192.168.77.11 iport=5353 lease=120 "
      "remote=203.0.113.2 enabled=0 desc=lease%3D120%20%25%20100\n")
    w(t, "delete", "delete proto=TCP eport=80\n"
      "delete proto=udp eport=53 remote=198.51.100.1\n")
    w(t, "malformed", "frobnicate\n"
      "add proto=TCP eport=99999 client=1.2.3.4 iport=1\n"
      "add proto=TCP proto=UDP\nstatus x=1\nadd desc=%zz\nlist\n")


# --- fuzz_lease: lease files as src/persist.c writes them ------------------
def lease():
    t = "fuzz_lease"
    head = "# igd2d lease file: written by igd2d, do not edit while it runs\n"
    line = ("map proto=%s eport=%d remote=%s client=192.168.77.10 iport=%d "
            "enabled=1 origin=%s creator=%s expires=%d desc=%s\n")
    good = head + "".join([
        line % ("TCP", 40000, "", 40000, "upnp", "192.168.77.10",
                1000000600, "upnpc%200"),
        line % ("UDP", 5353, "203.0.113.2", 5353, "admin", "0.0.0.0", 0,
                "lease%3D120%20%25"),
        line % ("TCP", 41000, "", 41000, "upnp", "192.168.77.10",
                999999999, "expired"),
    ])
    w(t, "good", good)
    w(t, "damaged", good.replace("proto=UDP", "proto=XTP")[:-25])
    w(t, "bad-lines", head + "mop x=1\nmap proto=TCP eport=1\n"
      "map proto=TCP eport=2 client=10.0.0.1 iport=1 origin=config "
      "expires=0\n\n   \n#c\n")


# --- fuzz_ssdp: a search, a NUL, a description --------------------------------
def ssdp():
    t = "fuzz_ssdp"
    desc = {}
    for v in (1, 2):
        with open(os.path.join(TOP, "xml", "rootDesc%d.xml" % v)) as f:
            text = f.read()
        for i, k in enumerate(("@UDN_ROOT@", "@UDN_WAN@", "@UDN_WANCONN@")):
            text = text.replace(k, "uuid:11111111-2222-3333-4444-5555555555%02d"
                                % i)
        desc[v] = text
    urn = "urn:schemas-upnp-org:"
    searches = {
        "rootdevice": "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
                      "MAN: \"ssdp:discover\"\r\nMX: 1\r\n"
                      "ST: upnp:rootdevice\r\n\r\n",
        "xp": "M-SEARCH * HTTP/1.1\r\nHost:239.255.255.250:1900\r\n"
              "ST:upnp:rootdevice\r\nMan:\"ssdp:discover\"\r\nMX:3\r\n\r\n\r\n",
        "all": "M-SEARCH * HTTP/1.1\nMAN: \"ssdp:discover\"\nMX: 5\n"
               "ST: ssdp:all\n\n",
        "v1": "M-SEARCH * HTTP/1.1\r\nMAN: \"ssdp:discover\"\r\nMX: 2\r\n"
              "ST: " + urn + "service:WANIPConnection:1\r\n\r\n",
        "uuid": "M-SEARCH * HTTP/1.1\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\n"
                "ST: uuid:11111111-2222-3333-4444-555555555501\r\n\r\n",
        "notify": "NOTIFY * HTTP/1.1\r\nNTS: ssdp:alive\r\n\r\n",
    }
    for name, msg in searches.items():
        w(t, name + "-v2", msg + "\0" + desc[2])
    w(t, "v1-v1", searches["v1"] + "\0" + desc[1])


if __name__ == "__main__":
    ssdp()
    config()
    soap()
    pmlist()
    portmap()
    ctl()
    lease()
