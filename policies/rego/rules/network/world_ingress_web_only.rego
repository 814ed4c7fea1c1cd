package baseplate.rules.network

import rego.v1

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

# The only ports that may be open to the world (TCP, single port).
web_ports := {80, 443}

_web_only(e) if {
	e.protocol == "tcp"
	e.from == e.to
	e.from in web_ports
}
