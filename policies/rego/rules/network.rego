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

# The only ports that may be open to the world (TCP, single port).
web_ports := {80, 443}

# METADATA
# title: Security group ingress from the world is limited to HTTP and HTTPS
# description: |
#   Ingress from 0.0.0.0/0 or ::/0 is allowed only for TCP 80 and TCP 443, each as a single
#   port. Covers inline ingress blocks of aws_security_group, aws_security_group_rule of type
#   ingress and aws_vpc_security_group_ingress_rule. Entries that also expose an
#   administration or database port are reported by NET-002 instead.
# custom:
#   id: NET-001
#   severity: high
#   enforcement: mandatory
#   controls: [FSBP EC2.18, CIS 5.2, CIS 5.3, SOC 2 CC6.6]
#   remediation: Restrict the source to known CIDRs, a prefix list or a security group; only TCP 80 and 443 may face the internet (through a load balancer).
#   message: "{address} allows ingress from the world ({observed}) at {attribute}; only TCP 80 and 443 may be open to 0.0.0.0/0 or ::/0."
#   resource_types: [aws_security_group, aws_security_group_rule, aws_vpc_security_group_ingress_rule]
#   sources: both
deny contains finding if {
	some e in _world_ingress
	not _web_only(e)
	count(_exposed(e)) == 0
	finding := {"rule": "NET-001", "address": e.address, "attribute": e.attribute, "observed": _describe(e)}
}

# METADATA
# title: No administration or database port is reachable from the world
# description: |
#   Security group ingress from 0.0.0.0/0 or ::/0 must not cover SSH 22, RDP 3389 or the
#   database ports 3306, 5432, 1433, 1521, 5439, 6379, 27017 and 9200, whether as a single
#   port, a port range that includes one, or all protocols ("-1" / "all").
# custom:
#   id: NET-002
#   severity: critical
#   enforcement: mandatory
#   controls: [FSBP EC2.19, FSBP EC2.53, FSBP EC2.54, FSBP EC2.13, CIS 5.2, CIS 5.3, SOC 2 CC6.6]
#   remediation: Remove the world-open rule; reach instances through SSM Session Manager and databases from application security groups only.
#   message: "{address} exposes an administration or database port to the world ({observed}) at {attribute}."
#   resource_types: [aws_security_group, aws_security_group_rule, aws_vpc_security_group_ingress_rule]
#   sources: both
deny contains finding if {
	some e in _world_ingress
	count(_exposed(e)) > 0
	finding := {"rule": "NET-002", "address": e.address, "attribute": e.attribute, "observed": _describe(e)}
}

# METADATA
# title: Every VPC has flow logs
# description: |
#   Each aws_vpc needs an aws_flow_log that references it (through vpc_id) or whose known
#   vpc_id equals the VPC's known id.
# custom:
#   id: NET-003
#   severity: medium
#   enforcement: mandatory
#   controls: [FSBP EC2.6, CIS 3.7, SOC 2 CC7.2]
#   remediation: Add an aws_flow_log with vpc_id set to this VPC (the network baseline construct does this), delivering to CloudWatch Logs or S3.
#   message: "{address} has no VPC flow log."
#   resource_types: [aws_vpc, aws_flow_log]
#   sources: both
deny contains finding if {
	some vpc in res.live("aws_vpc")
	not _has_flow_log(vpc)
	finding := {"rule": "NET-003", "address": res.address(vpc), "attribute": null, "observed": null}
}

# METADATA
# title: The default security group allows no traffic
# description: |
#   aws_default_security_group must declare no ingress and no egress blocks, and no
#   separate security group rule may target it.
# custom:
#   id: NET-004
#   severity: medium
#   enforcement: mandatory
#   controls: [FSBP EC2.2, CIS 5.4, SOC 2 CC6.6]
#   remediation: Remove every ingress and egress block from the default security group and create dedicated security groups instead.
#   message: "{address} lets the default security group allow traffic ({attribute}: {observed})."
#   resource_types: [aws_default_security_group, aws_security_group_rule, aws_vpc_security_group_ingress_rule, aws_vpc_security_group_egress_rule]
#   sources: both
deny contains finding if {
	some sg in res.live("aws_default_security_group")
	some attr in ["ingress", "egress"]
	n := count(res.blocks(sg, attr))
	n > 0
	finding := {"rule": "NET-004", "address": res.address(sg), "attribute": attr, "observed": n}
}

deny contains finding if {
	some t in ["aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"]
	some rule in res.live(t)
	_may_target_default(rule)
	some sg in res.live("aws_default_security_group")
	_targets(rule, sg)
	finding := {"rule": "NET-004", "address": res.address(rule), "attribute": "security_group_id", "observed": res.address(sg)}
}

# METADATA
# title: Network ACLs do not admit the world to administration ports
# description: |
#   An allow entry of a network ACL for ingress from 0.0.0.0/0 or ::/0 must not cover SSH 22
#   or RDP 3389 (TCP or all protocols). Covers aws_network_acl and aws_default_network_acl
#   ingress blocks and aws_network_acl_rule with egress false.
# custom:
#   id: NET-005
#   severity: medium
#   enforcement: advisory
#   controls: [FSBP EC2.21, CIS 5.1]
#   remediation: Deny or narrow the network ACL entry for ports 22 and 3389 to known CIDRs; rely on security groups and SSM Session Manager for administration.
#   message: "{address} network ACL admits the world to an administration port ({observed}) at {attribute}."
#   resource_types: [aws_network_acl, aws_default_network_acl, aws_network_acl_rule]
#   sources: both
deny contains finding if {
	some e in _nacl_world_allow
	count(_exposed_of(e, admin_ports)) > 0
	finding := {"rule": "NET-005", "address": e.address, "attribute": e.attribute, "observed": _describe(e)}
}

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

# _nacl_world_allow holds one entry per network ACL ingress allow entry from the world.
_nacl_world_allow contains e if {
	some t in ["aws_network_acl", "aws_default_network_acl"]
	some r in res.live(t)
	some i, b in res.as_array(res.raw(r, ["ingress"]))
	is_object(b)
	_allow(object.get(b, "action", null))
	some attr in ["cidr_block", "ipv6_cidr_block"]
	c := b[attr]
	_is_world(c)
	e := _entry(r, ["ingress", i], "protocol", concat("", ["ingress[", format_int(i, 10), "].", attr]), c)
}

_nacl_world_allow contains e if {
	some r in res.live("aws_network_acl_rule")
	not res.raw(r, ["egress"]) == true
	not res.is_undecided(r, ["egress"])
	_allow(res.known(r, ["rule_action"]))
	some attr in ["cidr_block", "ipv6_cidr_block"]
	c := res.known(r, [attr])
	_is_world(c)
	e := _entry(r, [], "protocol", attr, c)
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
	to_path := array.concat(prefix, ["to_port"])
	not res.is_undecided(r, from_path)
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
_protocol(v) := "-1" if v == null

_protocol(v) := _protocol_name(lower(trim_space(v))) if is_string(v)

# format_int aborts the whole WebAssembly evaluation outside the 32-bit range: only small
# numbers go through it; any other number is rendered by json.marshal.
_protocol(v) := _protocol_name(format_int(v, 10)) if _small_number(v)

_protocol(v) := json.marshal(v) if {
	is_number(v)
	not _small_number(v)
}

_small_number(v) if {
	is_number(v)
	v > -65536
	v < 65536
}

_protocol(v) := "-1" if {
	not is_string(v)
	not is_number(v)
	v != null
}

_protocol_names := {"all": "-1", "-1": "-1", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"}

_protocol_name(p) := object.get(_protocol_names, p, p)

_allow(action) if {
	is_string(action)
	lower(action) == "allow"
}

_is_world(c) if {
	is_string(c)
	endswith(trim_space(c), "/0")
}

_web_only(e) if {
	e.protocol == "tcp"
	e.from == e.to
	e.from in web_ports
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

# --- flow logs and default security groups ----------------------------------------------

_has_flow_log(vpc) if res.referenced_by("aws_flow_log", vpc)

_has_flow_log(vpc) if {
	id := res.known(vpc, ["id"])
	_flow_log_vpc_ids[id]
}

# Known vpc_id values of the flow logs, collected once.
_flow_log_vpc_ids contains id if {
	some f in res.live("aws_flow_log")
	id := res.known(f, ["vpc_id"])
}

# _may_target_default(rule) holds when the rule names some default security group: set
# lookups, so only those rules are compared with each default security group (_targets).
_may_target_default(rule) if {
	some addr in res.token_addresses(res.raw(rule, ["security_group_id"]))
	_default_sg_addresses[addr]
}

_may_target_default(rule) if {
	id := res.known(rule, ["security_group_id"])
	_default_sg_ids[id]
}

_may_target_default(rule) if {
	res.is_unknown(rule, ["security_group_id"])
	some ref in res.references(rule)
	_default_sg_keys[ref]
}

_default_sg_addresses contains res.address(sg) if some sg in res.live("aws_default_security_group")

_default_sg_ids contains id if {
	some sg in res.live("aws_default_security_group")
	id := res.known(sg, ["id"])
}

_default_sg_keys contains k if {
	some sg in res.live("aws_default_security_group")
	some k in res.address_keys(res.address(sg))
}

# _targets(rule, sg) holds when a separate rule attaches to the default security group sg.
_targets(rule, sg) if {
	v := res.raw(rule, ["security_group_id"])
	is_string(v)
	contains(v, concat("", ["${", res.address(sg), "."]))
}

_targets(rule, sg) if {
	id := res.known(sg, ["id"])
	res.known(rule, ["security_group_id"]) == id
}

_targets(rule, sg) if {
	res.is_unknown(rule, ["security_group_id"])
	res.refers_to(rule, res.address(sg))
}
