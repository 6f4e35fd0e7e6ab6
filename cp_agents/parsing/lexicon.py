"""Domain vocabulary the parser needs: well-known services, protocols, slice types, services.

Kept as data so that a new service name is one line, not a new branch.
"""

from __future__ import annotations

import re
import unicodedata

# service name -> (protocol, port); IANA assignments an operator would expect us to know
WELL_KNOWN_SERVICES: dict[str, tuple[str, int]] = {
    "ssh": ("tcp", 22), "sftp": ("tcp", 22), "scp": ("tcp", 22), "telnet": ("tcp", 23), "ftp": ("tcp", 21),
    "smtp": ("tcp", 25), "http": ("tcp", 80), "web": ("tcp", 80), "https": ("tcp", 443), "tls": ("tcp", 443),
    "dns": ("udp", 53), "dhcp": ("udp", 67), "tftp": ("udp", 69), "ntp": ("udp", 123), "snmp": ("udp", 161),
    "syslog": ("udp", 514), "sip": ("udp", 5060), "rtsp": ("tcp", 554), "mqtt": ("tcp", 1883),
    "mqtts": ("tcp", 8883), "coap": ("udp", 5683), "bgp": ("tcp", 179), "ldap": ("tcp", 389),
    "rdp": ("tcp", 3389), "mysql": ("tcp", 3306), "postgres": ("tcp", 5432), "postgresql": ("tcp", 5432),
    "redis": ("tcp", 6379), "imap": ("tcp", 143), "pop3": ("tcp", 110), "netconf": ("tcp", 830),
    "vnc": ("tcp", 5900), "smb": ("tcp", 445), "kerberos": ("udp", 88),
    "radius": ("udp", 1812), "gtp": ("udp", 2152), "gtp-u": ("udp", 2152), "iperf": ("tcp", 5201),
    "iperf3": ("tcp", 5201), "quic": ("udp", 443), "http3": ("udp", 443), "grpc": ("tcp", 50051),
    "mongodb": ("tcp", 27017), "kafka": ("tcp", 9092), "amqp": ("tcp", 5672), "nfs": ("tcp", 2049),
}
ICMP_WORDS = ("icmp", "ping", "pings", "pinging", "echo", "traceroute")
PROTO_NUMBERS = {"icmp": 1, "tcp": 6, "udp": 17}

# a port given without a protocol takes the protocol of the well-known service on it
PORT_PROTOCOLS: dict[int, str] = {}
for _proto, _port in WELL_KNOWN_SERVICES.values():
    PORT_PROTOCOLS.setdefault(_port, _proto)

SLICE_TYPES: dict[str, tuple[str, ...]] = {
    "embb": ("embb", "enhanced mobile broadband", "mobile broadband", "broadband"),
    "urllc": ("urllc", "ultra reliable", "ultra-reliable", "low latency communication", "ultra low latency"),
    "mmtc": ("mmtc", "massive machine", "massive iot", "machine type", "machine-type"),
}

DP_SERVICES: dict[str, tuple[str, ...]] = {
    "license_plate_recognition": ("license plate", "licence plate", "number plate", "plate recognition",
                                  "plate reader", "lpr", "alpr", "anpr", "plate detection"),
    "traffic_flow_prediction": ("traffic flow prediction", "traffic prediction", "flow prediction",
                                "traffic forecast", "flow forecast", "traffic flow forecast",
                                "congestion forecast", "traffic flow", "tfp"),
    "blind_zone_completion": ("blind zone", "blind spot", "blindzone", "blind-zone", "occlusion",
                              "occluded", "bzc"),
}

NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000}
_NUMBER_RUN = re.compile(
    r"\b(?:(?:a|one|" + "|".join(NUMBER_WORDS) + r")(?:[\s-]+(?:" + "|".join([*NUMBER_WORDS, *_SCALES])
    + r"|and))*|half a|half|a)\b(?=\s*(?:gig|meg|mega|giga|kilo|milli|micro|ms\b|mbps|gbps|kbps))"
)


def _run_value(run: str) -> float:
    words = [w for w in re.split(r"[\s-]+", run) if w and w != "and"]
    if words[:1] == ["half"]:
        return 0.5
    total, current = 0, 0
    for word in words:
        if word in _SCALES:
            current = max(current, 1) * _SCALES[word]
            if _SCALES[word] >= 1000:
                total, current = total + current, 0
        else:
            current += 1 if word == "a" else NUMBER_WORDS[word]
    return total + current


def words_to_numbers(text: str) -> str:
    """'one hundred megabits' -> '100 megabits', 'a gig' -> '1 gig' (only before a unit)."""
    def replace(match: re.Match) -> str:
        value = _run_value(match.group(0))
        return f"{value:g}"
    return _NUMBER_RUN.sub(replace, text)


_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_QUOTES = dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u2032`"), "'") | dict.fromkeys(
    map(ord, "\u201c\u201d\u201e\u2033"), '"')
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


def normalize_text(text: str) -> str:
    """Case-fold, unify dashes/quotes, drop invisible characters; keeps punctuation that carries meaning."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_DASHES).translate(_QUOTES)
    text = text.replace("µ", "u").replace("μ", "u")
    return re.sub(r"\s+", " ", text.lower()).strip()
