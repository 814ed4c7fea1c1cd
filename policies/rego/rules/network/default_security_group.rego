package baseplate.rules.network

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# scope: rule
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
