package baseplate.rules.network

import rego.v1

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
