#!/usr/bin/python3
"""Check igd2d's service and device descriptions against the WANIPConnection:2 spec.

Usage: check_scpd.py [--spec SPEC_TXT] [--model MODEL_JSON] XML_DIR
       check_scpd.py --spec SPEC_TXT --export MODEL_JSON [XML_DIR]
       check_scpd.py SPEC_TXT XML_DIR                     (old form = --spec)

SPEC_TXT is the WANIPConnection:2 (2010) text converted to markdown
(shared/spec/WANIPConnection-2-2010.txt), which lives outside the repository.
MODEL_JSON (tests/data/wanipconnection2-model.json) is the reference model
this script derives from SPEC_TXT, committed so that a clean checkout, CI and
make distcheck can run without the spec.  XML_DIR holds WANIPConnection2.xml,
WANIPConnection1.xml, WANCommonInterfaceConfig1.xml, rootDesc2.xml and
rootDesc1.xml.

Modes:
  --spec          the model is built from the spec text (below).  With
                  --model as well, the JSON file must be byte for byte what
                  --export would write from that spec, so it cannot drift.
  --model only    the model is read from the JSON file; every check below
                  runs except the ones on the raw spec text (extraction, and
                  the listing/tables cross-check).
  --export FILE   write the spec-derived model (errata applied) to FILE
                  as sorted, indented JSON; needs --spec.  XML_DIR is then
                  optional: given, the XML is checked too.

What is checked:
  * The chapter-4 SCPD listing is extracted from the spec text (page-break and
    markdown artefacts are tolerated), the VC-32 errata are applied to it, and
    it is compared structurally with WANIPConnection2.xml.
  * The same is done with the model rebuilt from Tables 2-2 ... 2-49, so the
    XML has to agree with both the listing and the tables (--spec only; the
    exported model is the listing, which must agree with the tables).
  * The REQUIRED/OPTIONAL columns of Tables 2-2 and 2-10 (from the spec, or
    as exported) match the checklist's lists.
  * WANIPConnection1.xml must be the v2 SCPD minus the v2-only actions and
    variables, with PortMappingLeaseDuration a plain ui4 (no range/default).
  * WANCommonInterfaceConfig1.xml must declare the expected IGD:1 subset.
  * rootDesc2.xml / rootDesc1.xml must be well-formed templates (also after
    placeholder substitution), with the expected device tree and identical
    service IDs, control/event URLs and UDN placeholders.

Prints one "check_scpd: ..." line per failure and exits 1 on any failure;
otherwise prints a one-line summary and exits 0 (2 on bad usage).
Standard library only.
"""

import argparse
import copy
import difflib
import html
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

PROG = "check_scpd"
NS_SVC = "urn:schemas-upnp-org:service-1-0"
NS_DEV = "urn:schemas-upnp-org:device-1-0"

FAILURES = []


def fail(msg):
    FAILURES.append(msg)
    print("%s: %s" % (PROG, msg))


# --------------------------------------------------------------------------
# Expectations that do not come from the spec text itself
# --------------------------------------------------------------------------

# WIC-005: the 14 REQUIRED actions, as listed in the checklist.
REQUIRED_ACTIONS = [
    "SetConnectionType", "GetConnectionTypeInfo", "RequestConnection",
    "ForceTermination", "GetStatusInfo", "GetNATRSIPStatus",
    "GetGenericPortMappingEntry", "GetSpecificPortMappingEntry",
    "AddPortMapping", "AddAnyPortMapping", "DeletePortMapping",
    "DeletePortMappingRange", "GetExternalIPAddress", "GetListOfPortMappings",
]
# WIC-006: the 7 OPTIONAL actions and 3 OPTIONAL variables.  igd2d's SCPD
# declares all of them; this script checks the declarations only.
OPTIONAL_ACTIONS = [
    "RequestTermination", "SetAutoDisconnectTime", "SetIdleDisconnectTime",
    "SetWarnDisconnectDelay", "GetAutoDisconnectTime", "GetIdleDisconnectTime",
    "GetWarnDisconnectDelay",
]
OPTIONAL_VARS = ["AutoDisconnectTime", "IdleDisconnectTime", "WarnDisconnectDelay"]

# WIC-040: exactly these five variables are evented.
EVENTED_V2 = {"PossibleConnectionTypes", "ConnectionStatus", "ExternalIPAddress",
              "PortMappingNumberOfEntries", "SystemUpdateID"}

# v2-only parts of WANIPConnection, absent from WANIPConnection:1.
V2_ONLY_ACTIONS = ["AddAnyPortMapping", "DeletePortMappingRange", "GetListOfPortMappings"]
V2_ONLY_VARS = ["SystemUpdateID", "A_ARG_TYPE_Manage", "A_ARG_TYPE_PortListing"]

# The IGD:1 WANIPConnection:1 action set igd2d publishes.
V1_ACTIONS = [
    "SetConnectionType", "GetConnectionTypeInfo", "RequestConnection",
    "RequestTermination", "ForceTermination", "SetAutoDisconnectTime",
    "SetIdleDisconnectTime", "SetWarnDisconnectDelay", "GetStatusInfo",
    "GetAutoDisconnectTime", "GetIdleDisconnectTime", "GetWarnDisconnectDelay",
    "GetNATRSIPStatus", "GetGenericPortMappingEntry", "GetSpecificPortMappingEntry",
    "AddPortMapping", "DeletePortMapping", "GetExternalIPAddress",
]

# Data types from the checklist's section 1.2 summary (an independent source
# from the spec text), with the requirement each one proves.
CHECKLIST_TYPES = {
    "Uptime": ("ui4", "Table 2-2"),
    "PortMappingNumberOfEntries": ("ui2", "Table 2-2"),
    "PortMappingLeaseDuration": ("ui4", "WIC-025"),
    "ExternalPort": ("ui2", "WIC-027"),
    "InternalPort": ("ui2", "WIC-028"),
    "SystemUpdateID": ("ui4", "WIC-032"),
    "A_ARG_TYPE_Manage": ("boolean", "WIC-033"),
    "A_ARG_TYPE_PortListing": ("string", "WIC-034"),
}

# WANCommonInterfaceConfig:1 (IGD:1 standard), the subset igd2d declares.
CIC_EXPECTED = {
    "actions": {
        "GetCommonLinkProperties": [
            ("NewWANAccessType", "out", "WANAccessType"),
            ("NewLayer1UpstreamMaxBitRate", "out", "Layer1UpstreamMaxBitRate"),
            ("NewLayer1DownstreamMaxBitRate", "out", "Layer1DownstreamMaxBitRate"),
            ("NewPhysicalLinkStatus", "out", "PhysicalLinkStatus")],
        "GetEnabledForInternet": [("NewEnabledForInternet", "out", "EnabledForInternet")],
        "SetEnabledForInternet": [("NewEnabledForInternet", "in", "EnabledForInternet")],
        "GetTotalBytesSent": [("NewTotalBytesSent", "out", "TotalBytesSent")],
        "GetTotalBytesReceived": [("NewTotalBytesReceived", "out", "TotalBytesReceived")],
        "GetTotalPacketsSent": [("NewTotalPacketsSent", "out", "TotalPacketsSent")],
        "GetTotalPacketsReceived": [("NewTotalPacketsReceived", "out", "TotalPacketsReceived")],
    },
    "vars": {},
}


def _var(dt, ev, default=None, allowed=None, rng=None):
    return {"dataType": dt, "sendEvents": "yes" if ev else "no",
            "default": default, "allowed": allowed, "range": rng}


CIC_EXPECTED["vars"] = {
    "WANAccessType": _var("string", False, allowed=["DSL", "POTS", "Cable", "Ethernet"]),
    "Layer1UpstreamMaxBitRate": _var("ui4", False),
    "Layer1DownstreamMaxBitRate": _var("ui4", False),
    "PhysicalLinkStatus": _var("string", True,
                               allowed=["Up", "Down", "Initializing", "Unavailable"]),
    "EnabledForInternet": _var("boolean", True),
    "TotalBytesSent": _var("ui4", False),
    "TotalBytesReceived": _var("ui4", False),
    "TotalPacketsSent": _var("ui4", False),
    "TotalPacketsReceived": _var("ui4", False),
}

# UDA 1.0 data types.
UDA_TYPES = {"ui1", "ui2", "ui4", "i1", "i2", "i4", "int", "r4", "r8", "number",
             "fixed.14.4", "float", "char", "string", "date", "dateTime",
             "dateTime.tz", "time", "time.tz", "boolean", "bin.base64",
             "bin.hex", "uri", "uuid"}

# Root-description placeholders and the dummy (already XML-escaped) values
# substituted for the well-formedness check.
PLACEHOLDERS = {
    "@URL_BASE@": "http://192.0.2.1:49152",
    "@FRIENDLY_NAME@": "igd2d test &amp; &lt;gw&gt; &quot;x&quot;",
    "@MANUFACTURER@": "igd2d project",
    "@MANUFACTURER_URL@": "http://example.org/?a=1&amp;b=2",
    "@MODEL_DESCRIPTION@": "UPnP IGD:2 daemon",
    "@MODEL_NAME@": "igd2d",
    "@MODEL_NUMBER@": "0.1",
    "@MODEL_URL@": "http://example.org/igd2d",
    "@SERIAL_NUMBER@": "0000001",
    "@UDN_ROOT@": "uuid:00000000-0000-4000-8000-000000000001",
    "@UDN_WAN@": "uuid:00000000-0000-4000-8000-000000000002",
    "@UDN_WANCONN@": "uuid:00000000-0000-4000-8000-000000000003",
}

ROOT_EXPECT = {
    # version -> (root type, WANDevice type, WANConnectionDevice type,
    #             WANIPConnection service type, WANIPConnection SCPDURL)
    2: ("urn:schemas-upnp-org:device:InternetGatewayDevice:2",
        "urn:schemas-upnp-org:device:WANDevice:2",
        "urn:schemas-upnp-org:device:WANConnectionDevice:2",
        "urn:schemas-upnp-org:service:WANIPConnection:2",
        "/WANIPConnection2.xml"),
    1: ("urn:schemas-upnp-org:device:InternetGatewayDevice:1",
        "urn:schemas-upnp-org:device:WANDevice:1",
        "urn:schemas-upnp-org:device:WANConnectionDevice:1",
        "urn:schemas-upnp-org:service:WANIPConnection:1",
        "/WANIPConnection1.xml"),
}
CIC_SERVICE = {
    "serviceType": "urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1",
    "serviceId": "urn:upnp-org:serviceId:WANCommonIFC1",
    "SCPDURL": "/WANCommonInterfaceConfig1.xml",
    "controlURL": "/ctl/CmnIfCfg",
    "eventSubURL": "/evt/CmnIfCfg",
}
IPC_SERVICE = {
    "serviceId": "urn:upnp-org:serviceId:WANIPConn1",
    "controlURL": "/ctl/IPConn",
    "eventSubURL": "/evt/IPConn",
}


# --------------------------------------------------------------------------
# Model helpers.  A model is
#   {"actions": {name: [(arg, direction, relatedStateVariable), ...]},
#    "vars": {name: {"dataType", "sendEvents", "default", "allowed", "range"}}}
# with dicts in document order; "range" is (min, max, step) or None.
# --------------------------------------------------------------------------

def ws(s):
    """Collapse all whitespace runs and strip."""
    return " ".join((s or "").split())


# --------------------------------------------------------------------------
# Cleaning markdown artefacts
# --------------------------------------------------------------------------

_UNICODE_FIX = {
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u200b": "", "\u200c": "",
    "\u200d": "", "\ufeff": "", "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2033": '"', "\u2018": "'", "\u2019": "'", "\u2032": "'",
}
# Inline HTML that markdown converters leave behind; none of these names is an
# SCPD element, so they can be dropped even inside the XML listing.
_HTML_INLINE = re.compile(
    r"</?(?:a|u|i|b|em|strong|span|font|sub|br|p|small|code|mark|s|del|ins)\b[^<>]*>",
    re.I)


def clean_common(s):
    for bad, good in _UNICODE_FIX.items():
        s = s.replace(bad, good)
    s = s.replace("&nbsp;", " ")
    s = re.sub(r"<sup>.*?</sup>", "", s, flags=re.I | re.S)   # footnote marks
    s = _HTML_INLINE.sub("", s)
    s = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", s)             # [text](#) -> text
    s = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|])", r"\1", s)          # \_ \( \) ...
    s = s.replace("**", "").replace("__", "")
    return s


def clean_cell(s):
    s = clean_common(s)
    s = html.unescape(s)
    s = s.replace("*", "")          # leftover *italic* markers
    return ws(s)


# --------------------------------------------------------------------------
# Chapter-4 listing extraction
# --------------------------------------------------------------------------

_LEAVES = {"name", "direction", "relatedStateVariable", "dataType", "defaultValue",
           "allowedValue", "minimum", "maximum", "step", "major", "minor"}
_TOKEN = re.compile(r"<\s*(/)?\s*([A-Za-z_][\w.:-]*)([^<>]*?)(/?)\s*>|([^<>]+)")
_ATTR = re.compile(r"([A-Za-z_][\w.:-]*)\s*=\s*[\"']([^\"']*)[\"']")


def listing_text(spec):
    """Return the concatenated content of the fenced blocks of chapter 4."""
    m = re.search(r"^#+\s*4\.?\s+XML\s+Service\s+Description\s*$", spec, re.M | re.I)
    if not m:
        fail("spec: chapter 4 'XML Service Description' heading not found")
        return None
    chunks, cur, infence = [], [], False
    for line in spec[m.end():].splitlines():
        if re.match(r"^\s*(```|~~~)", line):
            if infence:
                chunks.append("\n".join(cur))
                cur = []
            infence = not infence
            continue
        if infence:
            cur.append(line)
        elif re.match(r"^#{1,6}\s", line):
            break                   # next chapter: the listing is over
    if infence and cur:             # unterminated last fence
        chunks.append("\n".join(cur))
    if not chunks:
        # No fences at all: fall back to the raw text from <scpd to </scpd>.
        tail = spec[m.end():]
        a, b = tail.find("<scpd"), tail.rfind("</scpd>")
        if a < 0 or b < 0:
            fail("spec: no SCPD listing found in chapter 4")
            return None
        chunks = [tail[a:b + 7]]
    return "\n".join(chunks)


def parse_listing(text):
    """Tolerant parse of the chapter-4 listing.

    The markdown conversion cut the listing at page breaks: some blocks end
    with invented closing tags (e.g. '</actionList></scpd>' after
    ForceTermination), others start in the middle of an element.  Opening
    tags and text are reliable, closing tags are not, so the model is built
    from opening tags and leaf text only; closing tags merely end a leaf.
    """
    text = clean_common(text)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"<\?.*?\?>", " ", text, flags=re.S)
    text = re.sub(r"<!DOCTYPE[^>]*>", " ", text, flags=re.I)

    actions, variables, spec_version = [], [], {}
    problems = []
    ctx = None                  # "action" | "argument" | "stateVariable"
    leaf, buf = None, []

    def flush():
        nonlocal leaf, buf
        if leaf is None:
            return
        val = ws("".join(buf))
        name, leaf, buf = leaf, None, []
        if name in ("major", "minor"):
            spec_version[name] = val
            return
        if name == "name":
            if ctx == "action":
                target = actions[-1]
            elif ctx == "argument":
                target = actions[-1]["args"][-1]
            elif ctx == "stateVariable":
                target = variables[-1]
            else:
                problems.append("<name>%s</name> outside action/argument/stateVariable" % val)
                return
            if target.get("name") is not None:
                problems.append("second <name> %r for %r" % (val, target["name"]))
            target["name"] = val
        elif name in ("direction", "relatedStateVariable"):
            if ctx != "argument":
                problems.append("<%s>%s</%s> outside an argument" % (name, val, name))
                return
            actions[-1]["args"][-1][name] = val
        elif name in ("dataType", "defaultValue"):
            if ctx != "stateVariable":
                problems.append("<%s> outside a stateVariable" % name)
                return
            variables[-1][name] = val
        elif name == "allowedValue":
            if ctx != "stateVariable":
                problems.append("<allowedValue> outside a stateVariable")
                return
            if variables[-1]["allowed"] is None:
                variables[-1]["allowed"] = []
            variables[-1]["allowed"].append(val)
        elif name in ("minimum", "maximum", "step"):
            if ctx != "stateVariable":
                problems.append("<%s> outside a stateVariable" % name)
                return
            if variables[-1]["range"] is None:
                variables[-1]["range"] = {}
            variables[-1]["range"][name] = val

    for m in _TOKEN.finditer(text):
        closing, tag, attrs, selfclose, txt = m.groups()
        if txt is not None:
            if leaf is not None:
                buf.append(txt)
            continue
        tag = tag.split(":")[-1]
        if closing:
            flush()
            continue
        flush()
        if tag == "action":
            actions.append({"name": None, "args": []})
            ctx = "action"
        elif tag == "argument":
            if not actions:
                problems.append("<argument> before any <action>")
                continue
            actions[-1]["args"].append({"name": None})
            ctx = "argument"
        elif tag == "stateVariable":
            a = dict(_ATTR.findall(attrs or ""))
            variables.append({"name": None, "sendEvents": a.get("sendEvents"),
                              "dataType": None, "defaultValue": None,
                              "allowed": None, "range": None})
            ctx = "stateVariable"
        elif tag == "allowedValueList" and ctx == "stateVariable":
            if variables[-1]["allowed"] is None:
                variables[-1]["allowed"] = []
        elif tag == "allowedValueRange" and ctx == "stateVariable":
            if variables[-1]["range"] is None:
                variables[-1]["range"] = {}
        elif tag in _LEAVES:
            leaf, buf = tag, []
            if selfclose:
                flush()
    flush()

    model = {"actions": {}, "vars": {}}
    for a in actions:
        if not a["name"]:
            problems.append("action without a name")
            continue
        if a["name"] in model["actions"]:
            problems.append("action %s appears twice" % a["name"])
        args = []
        for g in a["args"]:
            if not g.get("name") or not g.get("direction") or not g.get("relatedStateVariable"):
                problems.append("incomplete argument in %s: %r" % (a["name"], g))
                continue
            args.append((g["name"], g["direction"].lower(), g["relatedStateVariable"]))
        model["actions"][a["name"]] = args
    for v in variables:
        if not v["name"] or not v["dataType"]:
            problems.append("incomplete stateVariable %r" % v)
            continue
        if v["name"] in model["vars"]:
            problems.append("stateVariable %s appears twice" % v["name"])
        rng = None
        if v["range"] is not None:
            rng = (v["range"].get("minimum"), v["range"].get("maximum"), v["range"].get("step"))
        model["vars"][v["name"]] = {
            "dataType": v["dataType"], "sendEvents": (v["sendEvents"] or "yes").lower(),
            "default": v["defaultValue"], "allowed": v["allowed"], "range": rng}
    if spec_version != {"major": "1", "minor": "0"}:
        problems.append("specVersion in listing is %r" % spec_version)
    for p in problems:
        fail("spec listing extraction: " + p)
    return model


# --------------------------------------------------------------------------
# Tables 2-2 ... 2-49
# --------------------------------------------------------------------------

def read_tables(spec):
    """Return {table number: (caption, [row cells...])} for the Table 2-n captions."""
    lines = spec.splitlines()
    cap = re.compile(r"^[\W_]*Table\s+2-(\d+)\s*:\s*(.*)$")
    tables = {}
    for i, line in enumerate(lines):
        if "....." in line:         # list of tables
            continue
        m = cap.match(clean_common(line))
        if not m:
            continue
        num, caption = int(m.group(1)), clean_cell(m.group(2))
        rows, j = [], i + 1
        while j < len(lines):
            ln = lines[j]
            if not ln.strip():
                j += 1
                continue
            if "\t" not in ln:
                break
            cells = [clean_cell(c) for c in ln.split("\t")]
            first = next((c for c in cells if c), "")
            if first not in ("Variable Name", "Argument", "Value", "Name"):
                rows.append(cells)
            j += 1
        tables[num] = (caption, rows)
    return tables


def tables_model(spec):
    t = read_tables(spec)
    need = [2, 3, 4, 5, 6, 7, 8, 9, 10]
    for n in need:
        if n not in t or not t[n][1]:
            fail("spec: Table 2-%d not found or empty" % n)
            return None, None
    model = {"actions": {}, "vars": {}}
    ro = {"actions": {}, "vars": {}}

    # Table 2-2: variable names, R/O and data types.
    for row in t[2][1]:
        cells = [c for c in row if c]
        if len(cells) < 3 or cells[1] == "X":
            continue
        name, r_o, dtype = cells[0].replace(" ", "_"), cells[1], cells[2].split()[0]
        model["vars"][name] = {"dataType": dtype, "sendEvents": None, "default": None,
                               "allowed": None, "range": None}
        ro["vars"][name] = r_o

    # Tables 2-3 ... 2-8: allowed value lists and ranges.
    for n in range(3, 9):
        caption, rows = t[n]
        m = re.search(r"allowedValue(List|Range)\s+for\s+the\s+(\w+)\s+state\s+variable", caption)
        if not m or m.group(2) not in model["vars"]:
            fail("spec: cannot tell which variable Table 2-%d (%s) is for" % (n, caption))
            continue
        var = model["vars"][m.group(2)]
        if m.group(1) == "List":
            var["allowed"] = []
            for row in rows:
                cells = [c for c in row if c]
                if len(cells) < 2 or cells[-1] == "X":
                    continue        # vendor-defined placeholder row
                value = cells[0]
                if re.search(r"\(DEFAULT\)", value, re.I):
                    value = ws(re.sub(r"\(DEFAULT\)", "", value, flags=re.I))
                    var["default"] = value
                var["allowed"].append(value)
        else:
            rng = {}
            for row in rows:
                cells = [c for c in row if c]
                if len(cells) >= 2 and cells[0] in ("minimum", "maximum", "step", "default"):
                    rng[cells[0]] = cells[1]
            var["range"] = (rng.get("minimum"), rng.get("maximum"), rng.get("step"))
            if "default" in rng:
                var["default"] = rng["default"]

    # Table 2-9: eventing.
    for row in t[9][1]:
        cells = [c for c in row if c]
        if len(cells) >= 2 and cells[0] in model["vars"]:
            model["vars"][cells[0]]["sendEvents"] = "yes" if cells[1].upper() == "YES" else "no"
    for name, v in model["vars"].items():
        if v["sendEvents"] is None:
            fail("spec: Table 2-9 has no eventing row for %s" % name)

    # Table 2-10: actions and R/O.
    for row in t[10][1]:
        cells = [c for c in row if c]
        if len(cells) < 2 or cells[1] == "X":
            continue
        name = cells[0].replace("()", "").strip()
        model["actions"][name] = []
        ro["actions"][name] = cells[1]

    # "Arguments for X()" tables.
    for n, (caption, rows) in sorted(t.items()):
        m = re.match(r"Arguments\s+for\s+(\w+)\s*\(\)", caption)
        if not m:
            continue
        name = m.group(1)
        if name not in model["actions"]:
            fail("spec: Table 2-%d is for unknown action %s" % (n, name))
            continue
        for row in rows:
            cells = [c for c in row if c]
            if len(cells) < 3:
                continue
            model["actions"][name].append((cells[0], cells[1].lower(), cells[2]))
    return model, ro


# --------------------------------------------------------------------------
# VC-32 errata, applied to a spec-derived model
# --------------------------------------------------------------------------

def apply_errata(model):
    applied = 0
    # Erratum 1 -- VC-32 / WIC-009: the chapter-4 listing names the second
    # argument of GetListOfPortMappings "NewEndPoint"; Table 2-49 and
    # DeletePortMappingRange use "NewEndPort".  Rename it.
    args = model["actions"].get("GetListOfPortMappings", [])
    for i, (n, d, r) in enumerate(args):
        if n == "NewEndPoint":
            args[i] = ("NewEndPort", d, r)
            applied += 1
    # Erratum 2 -- VC-32 / WIC-009 / WIC-025: PortMappingLeaseDuration's
    # defaultValue is the literal "Vendor-defined" (listing) or
    # "Vendor-defined (RECOMMENDED value is 3600)" (Table 2-6); igd2d uses 3600.
    v = model["vars"].get("PortMappingLeaseDuration")
    if v is not None and v["default"] is not None and not v["default"].isdigit():
        if v["default"].lower().startswith("vendor-defined"):
            v["default"] = "3600"
            applied += 1
    # Erratum 3 -- VC-32 / WIC-016: Table 2-5 spells "ERROR_ISP_DISCONNECT."
    # with a trailing period; the value is ERROR_ISP_DISCONNECT.
    v = model["vars"].get("LastConnectionError")
    if v is not None and v["allowed"]:
        for i, val in enumerate(v["allowed"]):
            if val == "ERROR_ISP_DISCONNECT.":
                v["allowed"][i] = "ERROR_ISP_DISCONNECT"
                applied += 1
    return applied


# --------------------------------------------------------------------------
# Reading our XML files
# --------------------------------------------------------------------------

def check_file_text(path, label):
    """Plain ASCII, UTF-8 XML declaration, no tabs, 2-space indentation."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        fail("%s: cannot read: %s" % (label, e))
        return None
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError as e:
        fail("%s: not plain ASCII (%s)" % (label, e))
        text = raw.decode("utf-8", "replace")
    first = text.split("\n", 1)[0].strip()
    if not re.fullmatch(r'<\?xml version="1\.0" encoding="(utf|UTF)-8"\?>', first):
        fail("%s: first line is not the UTF-8 XML declaration: %r" % (label, first))
    if "\t" in text:
        fail("%s: contains tab characters" % label)
    if "\r" in text:
        fail("%s: contains CR characters" % label)
    depth = 0
    for no, line in enumerate(text.split("\n")[1:], start=2):
        s = line.strip()
        if not s:
            continue
        indent = len(line) - len(line.lstrip(" "))
        closing_first = s.startswith("</")
        want = 2 * (depth - 1 if closing_first else depth)
        if indent != want:
            fail("%s:%d: indentation %d, expected %d (2 spaces per level)"
                 % (label, no, indent, want))
            break
        opens = len(re.findall(r"<[A-Za-z_][^<>]*?(?<!/)>", s))
        closes = len(re.findall(r"</[A-Za-z_]", s))
        depth += opens - closes
    return text


def parse_scpd(path, label):
    """Parse an SCPD file and check the UDA 1.0 shape; return a model."""
    text = check_file_text(path, label)
    if text is None:
        return None
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        fail("%s: not well-formed XML: %s" % (label, e))
        return None
    q = "{%s}" % NS_SVC
    # WIC-007: <scpd xmlns="urn:schemas-upnp-org:service-1-0"> with specVersion 1.0.
    if root.tag != q + "scpd":
        fail("%s: root element is %s, expected {%s}scpd" % (label, root.tag, NS_SVC))
        return None
    major = ws(root.findtext(q + "specVersion/" + q + "major"))
    minor = ws(root.findtext(q + "specVersion/" + q + "minor"))
    if (major, minor) != ("1", "0"):
        fail("%s: specVersion is %s.%s, expected 1.0" % (label, major, minor))
    for child in root:
        if child.tag.startswith("{") and not child.tag.startswith(q):
            fail("%s: element %s outside the service-1-0 namespace" % (label, child.tag))

    model = {"actions": {}, "vars": {}}
    for a in root.findall(q + "actionList/" + q + "action"):
        name = ws(a.findtext(q + "name"))
        if not name:
            fail("%s: action without name" % label)
            continue
        if name in model["actions"]:
            fail("%s: action %s declared twice" % (label, name))
        args = []
        for g in a.findall(q + "argumentList/" + q + "argument"):
            args.append((ws(g.findtext(q + "name")), ws(g.findtext(q + "direction")),
                         ws(g.findtext(q + "relatedStateVariable"))))
        model["actions"][name] = args
    for sv in root.findall(q + "serviceStateTable/" + q + "stateVariable"):
        name = ws(sv.findtext(q + "name"))
        if not name:
            fail("%s: stateVariable without name" % label)
            continue
        if name in model["vars"]:
            fail("%s: stateVariable %s declared twice" % (label, name))
        avl = sv.find(q + "allowedValueList")
        allowed = None
        if avl is not None:
            allowed = [ws(x.text) for x in avl.findall(q + "allowedValue")]
        avr = sv.find(q + "allowedValueRange")
        rng = None
        if avr is not None:
            rng = tuple((ws(avr.findtext(q + k)) or None) for k in ("minimum", "maximum", "step"))
        dflt = sv.find(q + "defaultValue")
        model["vars"][name] = {
            "dataType": ws(sv.findtext(q + "dataType")),
            "sendEvents": sv.get("sendEvents", "yes"),
            "default": ws(dflt.text) if dflt is not None else None,
            "allowed": allowed, "range": rng}

    # UDA 1.0 consistency rules.
    for name, args in model["actions"].items():
        seen_out = False
        argnames = set()
        for an, d, rv in args:
            if an in argnames:
                fail("%s: %s: argument %s declared twice" % (label, name, an))
            argnames.add(an)
            if d not in ("in", "out"):
                fail("%s: %s/%s: direction %r is not in/out" % (label, name, an, d))
            if d == "out":
                seen_out = True
            elif seen_out:
                fail("%s: %s/%s: in argument after an out argument" % (label, name, an))
            if rv not in model["vars"]:
                fail("%s: %s/%s: relatedStateVariable %r is not declared"
                     % (label, name, an, rv))
    for name, v in model["vars"].items():
        if v["dataType"] not in UDA_TYPES:
            fail("%s: %s: dataType %r is not a UDA 1.0 type" % (label, name, v["dataType"]))
        if v["sendEvents"] not in ("yes", "no"):
            fail("%s: %s: sendEvents=%r" % (label, name, v["sendEvents"]))
        if v["allowed"] is not None:
            if v["dataType"] != "string":
                fail("%s: %s: allowedValueList on a non-string" % (label, name))
            if not v["allowed"] or len(set(v["allowed"])) != len(v["allowed"]):
                fail("%s: %s: empty or duplicated allowedValueList" % (label, name))
            if v["default"] is not None and v["default"] not in v["allowed"]:
                fail("%s: %s: defaultValue %r not in allowedValueList"
                     % (label, name, v["default"]))
        if v["range"] is not None:
            lo, hi = v["range"][0], v["range"][1]
            if lo is None or hi is None or not lo.isdigit() or not hi.isdigit() \
                    or int(lo) > int(hi):
                fail("%s: %s: bad allowedValueRange %r" % (label, name, v["range"]))
            elif v["default"] is not None and (not v["default"].isdigit()
                                               or not int(lo) <= int(v["default"]) <= int(hi)):
                fail("%s: %s: defaultValue %r outside allowedValueRange"
                     % (label, name, v["default"]))
    return model


# --------------------------------------------------------------------------
# Structural comparison
# --------------------------------------------------------------------------

def compare(expected, actual, label, ordered_allowed=True):
    """Compare two models.  Action order is free; argument order is not.

    WIC-008: any action, variable or allowed value beyond the standard
    ones fails, so igd2d has no vendor extension to name wrongly."""
    ea, aa = expected["actions"], actual["actions"]
    for n in ea:
        if n not in aa:
            fail("%s: action %s missing" % (label, n))
    for n in aa:
        if n not in ea:
            fail("%s: unexpected action %s" % (label, n))
    for n in ea:
        if n not in aa:
            continue
        exp, got = ea[n], aa[n]
        if [x[0] for x in exp] != [x[0] for x in got]:
            fail("%s: %s: arguments %s, expected %s (names and order)"
                 % (label, n, [x[0] for x in got], [x[0] for x in exp]))
            continue
        for (en, ed, er), (gn, gd, gr) in zip(exp, got):
            if ed != gd:
                fail("%s: %s/%s: direction %s, expected %s" % (label, n, en, gd, ed))
            if er != gr:
                fail("%s: %s/%s: relatedStateVariable %s, expected %s"
                     % (label, n, en, gr, er))
    ev, av = expected["vars"], actual["vars"]
    for n in ev:
        if n not in av:
            fail("%s: stateVariable %s missing" % (label, n))
    for n in av:
        if n not in ev:
            fail("%s: unexpected stateVariable %s" % (label, n))
    for n in ev:
        if n not in av:
            continue
        e, g = ev[n], av[n]
        for key in ("dataType", "sendEvents", "default"):
            if e[key] != g[key]:
                fail("%s: %s: %s %r, expected %r" % (label, n, key, g[key], e[key]))
        ea_l, ga_l = e["allowed"], g["allowed"]
        if (ea_l is None) != (ga_l is None):
            fail("%s: %s: allowedValueList %r, expected %r" % (label, n, ga_l, ea_l))
        elif ea_l is not None:
            same = ea_l == ga_l if ordered_allowed else sorted(ea_l) == sorted(ga_l)
            if not same:
                fail("%s: %s: allowedValueList %r, expected %r" % (label, n, ga_l, ea_l))
        if e["range"] != g["range"]:
            fail("%s: %s: allowedValueRange %r, expected %r" % (label, n, g["range"], e["range"]))


# --------------------------------------------------------------------------
# WANIPConnection:2 specific checks
# --------------------------------------------------------------------------

def check_v2_specifics(m, label):
    acts, vs = m["actions"], m["vars"]
    # WIC-005: all 14 REQUIRED actions; WIC-006: all 7 OPTIONAL ones.
    for n in REQUIRED_ACTIONS:
        if n not in acts:
            fail("%s: REQUIRED action %s missing (WIC-005)" % (label, n))
    for n in OPTIONAL_ACTIONS:
        if n not in acts:
            fail("%s: OPTIONAL action %s missing (WIC-006)" % (label, n))
    for n in OPTIONAL_VARS:
        if n not in vs:
            fail("%s: OPTIONAL variable %s missing (WIC-006)" % (label, n))
    if len(acts) != 21:
        fail("%s: %d actions, expected 21 (WIC-005, WIC-006)" % (label, len(acts)))
    if len(vs) != 23:
        fail("%s: %d state variables, expected 23 (WIC-005, WIC-006)" % (label, len(vs)))

    # WIC-040: exactly five evented variables; WIC-041: all others "no".
    evented = {n for n, v in vs.items() if v["sendEvents"] == "yes"}
    if evented != EVENTED_V2:
        fail("%s: evented variables %s, expected exactly %s (WIC-040, WIC-041)"
             % (label, sorted(evented), sorted(EVENTED_V2)))

    # WIC-009 (VC-32): GetListOfPortMappings' 2nd argument is NewEndPort.
    glpm = [a[0] for a in acts.get("GetListOfPortMappings", [])]
    if len(glpm) < 2 or glpm[1] != "NewEndPort" or "NewEndPoint" in glpm:
        fail("%s: GetListOfPortMappings arguments %s: 2nd must be NewEndPort (WIC-009)"
             % (label, glpm))

    def var(n):
        return vs.get(n, {"dataType": None, "sendEvents": None, "default": None,
                          "allowed": None, "range": None})

    # WIC-010: ConnectionType allows Unconfigured, IP_Routed, IP_Bridged; default IP_Routed.
    ct = var("ConnectionType")
    if ct["dataType"] != "string" or not ct["allowed"] or \
            not {"Unconfigured", "IP_Routed", "IP_Bridged"} <= set(ct["allowed"]) \
            or ct["default"] != "IP_Routed":
        fail("%s: ConnectionType must be a string allowing Unconfigured/IP_Routed/IP_Bridged "
             "with default IP_Routed (WIC-010)" % label)
    # WIC-013: ConnectionStatus takes the Table 2-4 values.
    cs = var("ConnectionStatus")
    if sorted(cs["allowed"] or []) != sorted(["Unconfigured", "Connecting", "Connected",
                                              "PendingDisconnect", "Disconnecting",
                                              "Disconnected"]):
        fail("%s: ConnectionStatus allowedValueList %r (WIC-013)" % (label, cs["allowed"]))
    # WIC-016: LastConnectionError has ERROR_NONE and ERROR_ISP_DISCONNECT, no trailing period.
    lce = var("LastConnectionError")["allowed"] or []
    if "ERROR_NONE" not in lce or "ERROR_ISP_DISCONNECT" not in lce or \
            any(x.endswith(".") for x in lce):
        fail("%s: LastConnectionError allowedValueList %r (WIC-016, VC-32)" % (label, lce))
    # WIC-025 / WIC-009: PortMappingLeaseDuration ui4, range 0..604800, numeric default 3600.
    pl = var("PortMappingLeaseDuration")
    if pl["dataType"] != "ui4" or pl["range"] is None or pl["range"][:2] != ("0", "604800") \
            or pl["default"] != "3600":
        fail("%s: PortMappingLeaseDuration must be ui4, range 0..604800, default 3600 "
             "(WIC-025, WIC-009)" % label)
    # WIC-028: InternalPort ui2 with range 1..65535.
    ip = var("InternalPort")
    if ip["dataType"] != "ui2" or ip["range"] is None or ip["range"][:2] != ("1", "65535"):
        fail("%s: InternalPort must be ui2 with range 1..65535 (WIC-028)" % label)
    # WIC-029: PortMappingProtocol allows exactly TCP and UDP (no vendor values).
    pp = var("PortMappingProtocol")
    if pp["dataType"] != "string" or sorted(pp["allowed"] or []) != ["TCP", "UDP"]:
        fail("%s: PortMappingProtocol allowedValueList %r, expected TCP, UDP (WIC-029)"
             % (label, pp["allowed"]))
    # Table 2-2 types; WIC-025, WIC-027, WIC-028, WIC-032, WIC-033, WIC-034:
    # data types as summarised in the checklist.
    for n, (dt, wic) in sorted(CHECKLIST_TYPES.items()):
        if var(n)["dataType"] != dt:
            fail("%s: %s dataType %r, expected %s (%s)" % (label, n, var(n)["dataType"], dt, wic))


def check_tables_ro(ro, source="spec"):
    """Cross-check Table 2-10 / Table 2-2 R/O columns with the checklist lists (WIC-005/006)."""
    req = sorted(n for n, r in ro["actions"].items() if r == "R")
    opt = sorted(n for n, r in ro["actions"].items() if r == "O")
    if req != sorted(REQUIRED_ACTIONS):
        fail("%s: Table 2-10 REQUIRED actions %s differ from WIC-005's list" % (source, req))
    if opt != sorted(OPTIONAL_ACTIONS):
        fail("%s: Table 2-10 OPTIONAL actions %s differ from WIC-006's list" % (source, opt))
    vreq = [n for n, r in ro["vars"].items() if r == "R"]
    vopt = sorted(n for n, r in ro["vars"].items() if r == "O")
    if len(vreq) != 20:
        fail("%s: Table 2-2 lists %d REQUIRED variables, WIC-005 says 20" % (source, len(vreq)))
    if vopt != sorted(OPTIONAL_VARS):
        fail("%s: Table 2-2 OPTIONAL variables %s differ from WIC-006's list" % (source, vopt))


# --------------------------------------------------------------------------
# Root device descriptions
# --------------------------------------------------------------------------

def check_rootdesc(xml_dir, version):
    label = "rootDesc%d.xml" % version
    path = os.path.join(xml_dir, label)
    text = check_file_text(path, label)
    if text is None:
        return None
    found = set(re.findall(r"@[A-Z_]+@", text))
    for p in sorted(found - set(PLACEHOLDERS)):
        fail("%s: unknown placeholder %s" % (label, p))
    for p in sorted(set(PLACEHOLDERS) - found):
        fail("%s: placeholder %s not used" % (label, p))
    if "<URLBase>@URL_BASE@/</URLBase>" not in text:
        fail("%s: URLBase must be exactly @URL_BASE@/" % label)
    # The template must parse as is (placeholders are plain text) ...
    try:
        troot = ET.fromstring(text)
    except ET.ParseError as e:
        fail("%s: template not well-formed: %s" % (label, e))
        return None
    # ... and after substituting (already escaped) dummy values.
    subst = text
    for p, val in PLACEHOLDERS.items():
        subst = subst.replace(p, val)
    if re.search(r"@[A-Z_]+@", subst):
        fail("%s: placeholders left after substitution" % label)
    try:
        sroot = ET.fromstring(subst)
    except ET.ParseError as e:
        fail("%s: not well-formed after substitution: %s" % (label, e))
        return None
    q = "{%s}" % NS_DEV
    if sroot.tag != q + "root":
        fail("%s: root element %s, expected {%s}root" % (label, sroot.tag, NS_DEV))
        return None
    # WIC-004: UDA 1.0 description (specVersion 1.0).
    sv = (ws(sroot.findtext(q + "specVersion/" + q + "major")),
          ws(sroot.findtext(q + "specVersion/" + q + "minor")))
    if sv != ("1", "0"):
        fail("%s: specVersion %s.%s, expected 1.0 (WIC-004)" % (label, sv[0], sv[1]))
    if ws(sroot.findtext(q + "URLBase")) != PLACEHOLDERS["@URL_BASE@"] + "/":
        fail("%s: URLBase after substitution is %r" % (label, sroot.findtext(q + "URLBase")))
    fn = ws(sroot.findtext(q + "device/" + q + "friendlyName"))
    if fn != html.unescape(PLACEHOLDERS["@FRIENDLY_NAME@"]):
        fail("%s: escaped friendlyName did not round-trip: %r" % (label, fn))

    root_t, wand_t, wcd_t, ipc_t, ipc_scpd = ROOT_EXPECT[version]
    info = {"services": {}, "udns": []}

    def one_child_device(dev, what):
        kids = dev.findall(q + "deviceList/" + q + "device")
        if len(kids) != 1:
            fail("%s: %s must have exactly one embedded device, has %d" % (label, what, len(kids)))
            return None
        return kids[0]

    def device_common(dev, what, want_type, want_udn_ph):
        dt = ws(dev.findtext(q + "deviceType"))
        if dt != want_type:
            fail("%s: %s deviceType %r, expected %r" % (label, what, dt, want_type))
        for req in ("deviceType", "friendlyName", "manufacturer", "modelName", "UDN"):
            if not ws(dev.findtext(q + req)):
                fail("%s: %s lacks required <%s> (UDA 1.0)" % (label, what, req))
        udn = ws(dev.findtext(q + "UDN"))
        if udn != PLACEHOLDERS[want_udn_ph] or not udn.startswith("uuid:"):
            fail("%s: %s UDN %r, expected placeholder %s" % (label, what, udn, want_udn_ph))
        info["udns"].append(want_udn_ph)

    def services_of(dev, what):
        return dev.findall(q + "serviceList/" + q + "service")

    def check_service(svc, what, want):
        got = {k: ws(svc.findtext(q + k)) for k in
               ("serviceType", "serviceId", "SCPDURL", "controlURL", "eventSubURL")}
        for k, v in want.items():
            if got[k] != v:
                fail("%s: %s service %s %r, expected %r" % (label, what, k, got[k], v))
        return got

    # Root: InternetGatewayDevice, no services, no presentationURL, no iconList.
    rdev = sroot.find(q + "device")
    if rdev is None:
        fail("%s: no root <device>" % label)
        return None
    device_common(rdev, "root device", root_t, "@UDN_ROOT@")
    if services_of(rdev, "root"):
        fail("%s: root device must not declare services" % label)
    for bad in ("presentationURL", "iconList"):
        if rdev.find(q + bad) is not None:
            fail("%s: root device must not have <%s>" % (label, bad))
    # WIC-002: WANIPConnection sits in a WANConnectionDevice, inside a
    # WANDevice, under the InternetGatewayDevice root.  WIC-003: exactly
    # one of each, fixed in the description (no dynamic services).
    wdev = one_child_device(rdev, "InternetGatewayDevice")
    if wdev is None:
        return None
    device_common(wdev, "WANDevice", wand_t, "@UDN_WAN@")
    ws_ = services_of(wdev, "WANDevice")
    if len(ws_) != 1:
        fail("%s: WANDevice must have exactly one service, has %d" % (label, len(ws_)))
    else:
        info["services"]["CIC"] = check_service(ws_[0], "WANDevice", CIC_SERVICE)
    cdev = one_child_device(wdev, "WANDevice")
    if cdev is None:
        return None
    device_common(cdev, "WANConnectionDevice", wcd_t, "@UDN_WANCONN@")
    if cdev.find(q + "deviceList") is not None:
        fail("%s: WANConnectionDevice must not embed devices" % label)
    cs_ = services_of(cdev, "WANConnectionDevice")
    if len(cs_) != 1:
        fail("%s: WANConnectionDevice must have exactly one service, has %d" % (label, len(cs_)))
    else:
        want = dict(IPC_SERVICE)
        # WIC-001 (v2 description): the serviceType is exactly
        # urn:schemas-upnp-org:service:WANIPConnection:2.  For the v1
        # description, LEG-04 / VC-50: it equals ...:WANIPConnection:1.
        want["serviceType"] = ipc_t
        want["SCPDURL"] = ipc_scpd
        info["services"]["IPC"] = check_service(cs_[0], "WANConnectionDevice", want)
    # Every SCPDURL must name a file in XML_DIR; control/event URLs distinct.
    urls = []
    for key, svc in info["services"].items():
        scpd = os.path.join(xml_dir, svc["SCPDURL"].lstrip("/"))
        if not svc["SCPDURL"].startswith("/") or not os.path.isfile(scpd):
            fail("%s: SCPDURL %s does not name a file in %s" % (label, svc["SCPDURL"], xml_dir))
        urls += [svc["controlURL"], svc["eventSubURL"]]
    if len(set(urls)) != len(urls):
        fail("%s: control/event URLs are not all distinct: %s" % (label, urls))
    if len(set(info["udns"])) != 3:
        fail("%s: the three devices must have three distinct UDN placeholders" % label)
    # Keep the raw template's UDN placeholders for the v1/v2 comparison.
    info["template_udns"] = [ws(e.text) for e in troot.iter(q + "UDN")]
    return info


def compare_rootdescs(d2, d1):
    if d2 is None or d1 is None:
        return
    for key in ("CIC", "IPC"):
        s2, s1 = d2["services"].get(key), d1["services"].get(key)
        if s2 is None or s1 is None:
            continue
        for k in ("serviceId", "controlURL", "eventSubURL"):
            if s2[k] != s1[k]:
                fail("rootDesc1/2: %s %s differs: %r vs %r" % (key, k, s1[k], s2[k]))
    if d2["template_udns"] != d1["template_udns"]:
        fail("rootDesc1/2: UDN placeholders differ: %s vs %s"
             % (d1["template_udns"], d2["template_udns"]))


# --------------------------------------------------------------------------
# The reference model as JSON (tests/data/wanipconnection2-model.json)
#
# Only structural facts, in UPnP's own element names:
#   {"actions": {name: [{"name", "direction", "relatedStateVariable"}, ...]},
#    "stateVariables": {name: {"dataType", "sendEvents", ["defaultValue"],
#                              ["allowedValueList": [...]],
#                              ["allowedValueRange": {"minimum", "maximum",
#                                                     ["step"]}]}},
#    "requirement": {"actions": {name: "R"|"O"},
#                    "stateVariables": {name: "R"|"O"}}}
# Argument and allowed-value order is kept; everything else is sorted.
# --------------------------------------------------------------------------

MODEL_NOTE = ("Generated by tests/check_scpd.py --spec WANIPConnection-2-2010.txt "
              "--export: the chapter-4 listing with the errata applied and "
              "the R/O columns of Tables 2-2 and 2-10. Do not edit by hand.")


def model_to_json(model, ro):
    actions = {}
    for n, args in model["actions"].items():
        actions[n] = [{"name": a, "direction": d, "relatedStateVariable": r}
                      for a, d, r in args]
    variables = {}
    for n, v in model["vars"].items():
        j = {"dataType": v["dataType"], "sendEvents": v["sendEvents"]}
        if v["default"] is not None:
            j["defaultValue"] = v["default"]
        if v["allowed"] is not None:
            j["allowedValueList"] = list(v["allowed"])
        if v["range"] is not None:
            j["allowedValueRange"] = {k: x for k, x in
                                      zip(("minimum", "maximum", "step"), v["range"])
                                      if x is not None}
        variables[n] = j
    obj = {"_note": MODEL_NOTE, "actions": actions, "stateVariables": variables,
           "requirement": {"actions": dict(ro["actions"]),
                           "stateVariables": dict(ro["vars"])}}
    return json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=True) + "\n"


def model_from_json(text, label):
    """Parse and validate the JSON model; return (model, ro) or (None, None)."""
    try:
        obj = json.loads(text)
    except ValueError as e:
        fail("%s: not valid JSON: %s" % (label, e))
        return None, None
    before = len(FAILURES)

    def is_str(x):
        return isinstance(x, str) and x != ""

    def keys_ok(d, where, required, optional=()):
        if not isinstance(d, dict):
            fail("%s: %s is not an object" % (label, where))
            return False
        for k in required:
            if k not in d:
                fail("%s: %s lacks %r" % (label, where, k))
        for k in d:
            if k not in required and k not in optional:
                fail("%s: %s has unknown key %r" % (label, where, k))
        return all(k in d for k in required)

    def is_map(d, where):
        if not isinstance(d, dict):
            fail("%s: %s is not an object" % (label, where))
            return False
        return True

    if not keys_ok(obj, "top level", ("actions", "stateVariables", "requirement"),
                   ("_note",)):
        return None, None
    model = {"actions": {}, "vars": {}}
    ro = {"actions": {}, "vars": {}}
    if is_map(obj["actions"], "actions"):
        for n, args in obj["actions"].items():
            if not isinstance(args, list):
                fail("%s: action %s: arguments are not a list" % (label, n))
                continue
            out = []
            for i, g in enumerate(args):
                where = "action %s argument %d" % (n, i + 1)
                if not keys_ok(g, where, ("name", "direction", "relatedStateVariable")):
                    continue
                if not all(is_str(g[k]) for k in g):
                    fail("%s: %s: values must be non-empty strings" % (label, where))
                    continue
                out.append((g["name"], g["direction"], g["relatedStateVariable"]))
            model["actions"][n] = out
    if is_map(obj["stateVariables"], "stateVariables"):
        for n, v in obj["stateVariables"].items():
            where = "stateVariable %s" % n
            if not keys_ok(v, where, ("dataType", "sendEvents"),
                           ("defaultValue", "allowedValueList", "allowedValueRange")):
                continue
            if not is_str(v["dataType"]) or v["sendEvents"] not in ("yes", "no"):
                fail("%s: %s: bad dataType or sendEvents" % (label, where))
                continue
            dflt = v.get("defaultValue")
            if dflt is not None and not isinstance(dflt, str):
                fail("%s: %s: defaultValue is not a string" % (label, where))
                continue
            allowed = v.get("allowedValueList")
            if allowed is not None and (not isinstance(allowed, list)
                                        or not all(is_str(x) for x in allowed)):
                fail("%s: %s: allowedValueList is not a list of strings" % (label, where))
                continue
            rng = None
            if "allowedValueRange" in v:
                r = v["allowedValueRange"]
                if not keys_ok(r, where + " allowedValueRange", ("minimum", "maximum"),
                               ("step",)):
                    continue
                if not all(is_str(x) for x in r.values()):
                    fail("%s: %s: allowedValueRange values must be strings" % (label, where))
                    continue
                rng = (r["minimum"], r["maximum"], r.get("step"))
            model["vars"][n] = {"dataType": v["dataType"], "sendEvents": v["sendEvents"],
                                "default": dflt, "allowed": allowed, "range": rng}
    if keys_ok(obj["requirement"], "requirement", ("actions", "stateVariables")):
        for src, dst in (("actions", "actions"), ("stateVariables", "vars")):
            d = obj["requirement"][src]
            if not isinstance(d, dict) or not all(x in ("R", "O") for x in d.values()):
                fail("%s: requirement/%s must map names to \"R\" or \"O\"" % (label, src))
                continue
            ro[dst] = dict(d)
    if len(FAILURES) != before:
        return None, None
    # Usable, but not what --export writes: report and go on checking.
    if set(ro["actions"]) != set(model["actions"]) or set(ro["vars"]) != set(model["vars"]):
        fail("%s: requirement names differ from the declared actions/variables" % label)
    return model, ro


def read_text_file(path, what):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError) as e:
        fail("cannot read %s %s: %s" % (what, path, e))
        return None


def write_text_file(path, text):
    tmp = path + ".tmp"
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError as e:
        fail("cannot write %s: %s" % (path, e))
        return False
    return True


# --------------------------------------------------------------------------

def parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="check_scpd.py",
        usage="%(prog)s [--spec SPEC_TXT] [--model MODEL_JSON] XML_DIR\n"
              "       %(prog)s --spec SPEC_TXT --export MODEL_JSON [XML_DIR]\n"
              "       %(prog)s SPEC_TXT XML_DIR",
        description="Check igd2d's descriptions against WANIPConnection:2.")
    ap.add_argument("--spec", metavar="SPEC_TXT",
                    help="WANIPConnection:2 spec text (markdown)")
    ap.add_argument("--model", metavar="MODEL_JSON",
                    help="reference model; with --spec it must match the spec")
    ap.add_argument("--export", metavar="MODEL_JSON",
                    help="write the spec-derived model here (needs --spec)")
    ap.add_argument("paths", nargs="*", metavar="XML_DIR")
    args = ap.parse_args(argv[1:])
    if len(args.paths) == 2 and args.spec is None:
        args.spec = args.paths.pop(0)           # old form: SPEC_TXT XML_DIR
    if len(args.paths) > 1:
        ap.error("too many arguments")
    args.xml_dir = args.paths[0] if args.paths else None
    if args.export is not None and args.spec is None:
        ap.error("--export needs --spec")
    if args.spec is None and args.model is None:
        ap.error("give --spec, --model or both")
    if args.xml_dir is None and args.export is None:
        ap.error("XML_DIR is missing")
    return args


def spec_model(spec_path, model_path):
    """Build the reference from the spec text.

    Return (listing model, tables model, R/O sets, summary note); each model
    is None when it could not be extracted, and all four are None when the
    spec cannot be read.
    """
    spec = read_text_file(spec_path, "spec")
    if spec is None:
        return None, None, None, None
    errata_listing = errata_tables = 0
    listing = None
    text = listing_text(spec)
    if text is not None:
        listing = parse_listing(text)
        errata_listing = apply_errata(listing)
        if len(listing["actions"]) != 21 or len(listing["vars"]) != 23:
            fail("spec listing extraction: got %d actions / %d variables, expected 21 / 23"
                 % (len(listing["actions"]), len(listing["vars"])))
    tables, ro = tables_model(spec)
    if tables is not None:
        errata_tables = apply_errata(tables)
        check_tables_ro(ro)
    # The two spec sources must agree once the errata are applied (argument
    # tables vs listing, Table 2-2..2-9 vs listing); allowed-value order is
    # free here because Table 2-5 orders LastConnectionError differently.
    if listing is not None and tables is not None:
        compare(listing, tables, "spec tables vs chapter-4 listing", ordered_allowed=False)
    note = ("the chapter-4 listing (%d VC-32 errata applied) and Tables 2-2..2-49 "
            "(%d applied)" % (errata_listing, errata_tables))
    # The committed JSON must be exactly what this spec yields.
    if model_path is not None and listing is not None and ro is not None:
        want = model_to_json(listing, ro)
        got = read_text_file(model_path, "model")
        if got is not None and got != want:
            fail("%s differs from the model derived from %s; regenerate it with "
                 "check_scpd.py --spec %s --export %s" % (model_path, spec_path,
                                                          spec_path, model_path))
            diff = list(difflib.unified_diff(got.splitlines(), want.splitlines(),
                                             model_path, "from the spec", lineterm=""))
            for line in diff[:40]:
                print("    " + line)
            if len(diff) > 40:
                print("    ... %d more diff lines" % (len(diff) - 40))
        elif got is not None:
            note += "; %s is up to date" % model_path
    return listing, tables, ro, note


def main(argv):
    args = parse_args(argv)
    xml_dir = args.xml_dir

    # --- the reference model: from the spec, or from the JSON ----------------
    tables = None
    if args.spec is not None:
        ref, tables, ro, note = spec_model(args.spec, args.model)
        if note is None:
            return 1
        if args.export is not None:
            if FAILURES or ref is None or ro is None:
                fail("spec checks failed: %s not written" % args.export)
                return 1
            if not write_text_file(args.export, model_to_json(ref, ro)):
                return 1
            print("%s: wrote %s (%d actions, %d variables)"
                  % (PROG, args.export, len(ref["actions"]), len(ref["vars"])))
            if xml_dir is None:
                return 0
        mode = "spec %s" % args.spec
    else:
        text = read_text_file(args.model, "model")
        if text is None:
            return 1
        ref, ro = model_from_json(text, args.model)
        if ref is None:
            return 1
        check_tables_ro(ro, "model " + args.model)
        if len(ref["actions"]) != 21 or len(ref["vars"]) != 23:
            fail("model %s: %d actions / %d variables, expected 21 / 23"
                 % (args.model, len(ref["actions"]), len(ref["vars"])))
        note = "the exported chapter-4 model (spec text not read)"
        mode = "model %s" % args.model

    # --- WANIPConnection:2 ---------------------------------------------------
    v2 = parse_scpd(os.path.join(xml_dir, "WANIPConnection2.xml"), "WANIPConnection2.xml")
    if v2 is not None:
        # WIC-005 / WIC-009: declared exactly as in chapter 4 (errata applied)
        # and Tables 2-2..2-49: names, types, allowed values/ranges,
        # sendEvents, argument names, directions, order, relatedStateVariable.
        # With --model only, the reference is the exported chapter-4 model,
        # which --spec keeps identical to the spec and checked against the tables.
        if ref is not None:
            compare(ref, v2, "WANIPConnection2.xml vs chapter-4 listing")
        if tables is not None:
            compare(tables, v2, "WANIPConnection2.xml vs Tables 2-2..2-49",
                    ordered_allowed=False)
        check_v2_specifics(v2, "WANIPConnection2.xml")

    # --- WANIPConnection:1 ---------------------------------------------------
    v1 = parse_scpd(os.path.join(xml_dir, "WANIPConnection1.xml"), "WANIPConnection1.xml")
    if v1 is not None:
        if v2 is not None:
            exp = copy.deepcopy(v2)
            for n in V2_ONLY_ACTIONS:
                exp["actions"].pop(n, None)
            for n in V2_ONLY_VARS:
                exp["vars"].pop(n, None)
            # In WANIPConnection:1 PortMappingLeaseDuration is a plain ui4:
            # no 604800 range (and hence no vendor default either).
            if "PortMappingLeaseDuration" in exp["vars"]:
                exp["vars"]["PortMappingLeaseDuration"]["range"] = None
                exp["vars"]["PortMappingLeaseDuration"]["default"] = None
            compare(exp, v1, "WANIPConnection1.xml vs v2 minus v2-only parts")
        if sorted(v1["actions"]) != sorted(V1_ACTIONS):
            fail("WANIPConnection1.xml: actions %s, expected the IGD:1 set %s"
                 % (sorted(v1["actions"]), sorted(V1_ACTIONS)))
        for n in V2_ONLY_ACTIONS:
            if n in v1["actions"]:
                fail("WANIPConnection1.xml: v2-only action %s present" % n)
        for n in V2_ONLY_VARS:
            if n in v1["vars"]:
                fail("WANIPConnection1.xml: v2-only variable %s present" % n)
        ev1 = {n for n, v in v1["vars"].items() if v["sendEvents"] == "yes"}
        if ev1 != EVENTED_V2 - {"SystemUpdateID"}:
            fail("WANIPConnection1.xml: evented variables %s" % sorted(ev1))

    # --- WANCommonInterfaceConfig:1 -------------------------------------------
    cic = parse_scpd(os.path.join(xml_dir, "WANCommonInterfaceConfig1.xml"),
                     "WANCommonInterfaceConfig1.xml")
    if cic is not None:
        compare(CIC_EXPECTED, cic, "WANCommonInterfaceConfig1.xml")

    # --- root descriptions ----------------------------------------------------
    d2 = check_rootdesc(xml_dir, 2)
    d1 = check_rootdesc(xml_dir, 1)
    compare_rootdescs(d2, d1)

    if FAILURES:
        print("%s: FAILED (%s): %d problem(s)" % (PROG, mode, len(FAILURES)))
        return 1
    print("%s: OK (%s): WANIPConnection:2 %d actions/%d variables match %s; "
          "WANIPConnection:1 %d/%d; WANCommonInterfaceConfig:1 %d/%d; "
          "rootDesc2.xml and rootDesc1.xml OK"
          % (PROG, mode, len(v2["actions"]), len(v2["vars"]), note,
             len(v1["actions"]), len(v1["vars"]), len(cic["actions"]), len(cic["vars"])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
