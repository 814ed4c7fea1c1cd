# METADATA
# title: Network guardrails
# description: |
#   Security groups, network ACLs, default security groups and VPC flow logs.
#   World means any CIDR with prefix length 0 (0.0.0.0/0, ::/0). An ingress entry whose
#   CIDR, protocol or ports are a reference or unknown until apply is not judged.
package baseplate.rules.network

import rego.v1

import data.baseplate.lib.resources as res

# Remote administration and database ports that must never be reachable from the world.
admin_ports := {22, 3389}

database_ports := {3306, 5432, 1433, 1521, 5439, 6379, 27017, 9200}

restricted_ports := admin_ports | database_ports

# --- security group ingress entries from the world ---------------------------------------

# _world_ingress holds one entry per (rule, world CIDR) whose protocol and ports are decided.
_world_ingress contains e if {
	some r in res.live("aws_security_group")
	some i, b in res.as_array(res.raw(r, ["ingress"]))
	is_object(b)
	some attr in ["cidr_blocks", "ipv6_cidr_blocks"]
	some c in res.string_list(object.get(b, attr, null))
	_is_world(c)
	prefix := ["ingress", i]
	e := _entry(r, prefix, "protocol", concat("", ["ingress[", format_int(i, 10), "].", attr]), c)
}

_world_ingress contains e if {
	some r in res.live("aws_security_group_rule")
	res.known(r, ["type"]) == "ingress"
	some attr in ["cidr_blocks", "ipv6_cidr_blocks"]
	some c in res.string_list(res.raw(r, [attr]))
	_is_world(c)
	e := _entry(r, [], "protocol", attr, c)
}

_world_ingress contains e if {
	some r in res.live("aws_vpc_security_group_ingress_rule")
	some attr in ["cidr_ipv4", "cidr_ipv6"]
	c := res.known(r, [attr])
	_is_world(c)
	e := _entry(r, [], "ip_protocol", attr, c)
}

# _entry describes one world-open entry; undefined when protocol or ports are undecided.
_entry(r, prefix, proto_attr, attribute, cidr) := e if {
	proto_path := array.concat(prefix, [proto_attr])
	not res.is_undecided(r, proto_path)
	protocol := _protocol(res.raw(r, proto_path))
	ports := _ports(r, prefix, protocol)
	e := {
		"address": res.address(r),
		"attribute": attribute,
		"cidr": trim_space(cidr),
		"protocol": protocol,
		"from": ports[0],
		"to": ports[1],
	}
}

# _ports is [from, to]: all ports for "-1", otherwise the known ports; a port left unset is
# read as the widest range so a malformed rule is never taken for a narrow one.
_ports(_, _, "-1") := [0, 65535]

_ports(r, prefix, protocol) := [f, t] if {
	protocol != "-1"
	from_path := array.concat(prefix, ["from_port"])
	not res.is_undecided(r, from_path)
	to_path := array.concat(prefix, ["to_port"])
	not res.is_undecided(r, to_path)
	f := _port(res.raw(r, from_path), 0)
	t := _port(res.raw(r, to_path), 65535)
}

# _port(v, fallback) is v as a number; numeric strings are converted; anything else is fallback.
_port(v, fallback) := v if {
	is_number(v)
} else := to_number(trim_space(v)) if {
	is_string(v)
	regex.match(`^\s*-?[0-9]+\s*$`, v)
} else := fallback

# _protocol normalizes a protocol to "-1" (all), "tcp", "udp", "icmp" or the lowercased input.
_protocol(null) := "-1"

_protocol(v) := _protocol_name(lower(trim_space(v))) if is_string(v)

# format_int aborts the whole WebAssembly evaluation outside the 32-bit range: only small
# numbers go through it; any other number is rendered by json.marshal.
_protocol(v) := _protocol_name(format_int(v, 10)) if _small_number(v)

_protocol(v) := json.marshal(v) if {
	is_number(v)
	not _small_number(v)
}

_protocol(v) := "-1" if {
	not is_string(v)
	not is_number(v)
	v != null
}

_small_number(v) if {
	is_number(v)
	v > -65536
	v < 65536
}

_protocol_names := {"all": "-1", "-1": "-1", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"}

_protocol_name(p) := object.get(_protocol_names, p, p)

_is_world(c) if {
	is_string(c)
	endswith(trim_space(c), "/0")
}

# _exposed(e) is the restricted ports an entry opens.
_exposed(e) := _exposed_of(e, restricted_ports)

_exposed_of(e, ports) := {p |
	e.protocol in {"-1", "tcp"}
	some p in ports
	e.from <= p
	p <= e.to
}

_describe(e) := concat("", ["all traffic from ", e.cidr]) if e.protocol == "-1"

_describe(e) := concat("", [e.protocol, " ", _num_text(e.from), "-", _num_text(e.to), " from ", e.cidr]) if {
	e.protocol != "-1"
}

_num_text(n) := format_int(n, 10) if _small_number(n)

_num_text(n) := json.marshal(n) if not _small_number(n)
