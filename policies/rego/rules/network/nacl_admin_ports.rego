package baseplate.rules.network

import rego.v1

import data.baseplate.lib.resources as res

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

_allow(action) if {
	is_string(action)
	lower(action) == "allow"
}
