package baseplate.rules.cost

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: Dev environments share one NAT gateway
# description: |
#   In dev, more than one public aws_nat_gateway (a numeric count counts as that many) is
#   reported on every NAT gateway after the first (by address): one NAT gateway for all
#   Availability Zones is enough outside production.
# custom:
#   id: COST-001
#   severity: low
#   enforcement: advisory
#   controls: [SOC 2 CC9.1]
#   remediation: Set the network construct's natGateways to "single" in dev (one NAT gateway shared by every private subnet).
#   message: "{address} is one of {observed} NAT gateways in a dev environment; one is enough."
#   resource_types: [aws_nat_gateway]
#   sources: both
deny contains finding if {
	res.tier == "dev"
	nats := [r | some r in res.live("aws_nat_gateway"); not _private_nat(r)]
	total := sum([_instances(r) | some r in nats])
	total > 1
	some i, r in nats
	_extra(i, r)
	finding := {"rule": "COST-001", "address": res.address(r), "attribute": null, "observed": total}
}

_private_nat(r) if res.raw(r, ["connectivity_type"]) == "private"

_instances(r) := n if {
	n := res.raw(r, ["count"])
	is_number(n)
} else := 1

# _extra(i, r): every NAT gateway after the first, and the first itself when it counts several.
_extra(i, _) if i > 0

_extra(0, r) if _instances(r) > 1
