package baseplate.rules.compute

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: Instance types fit the tier
# description: |
#   In dev, instances use t3, t3a or t4g up to large; in stage, any family up to 2xlarge.
#   Applies to aws_instance and aws_launch_template instance_type. Prod is not limited.
# custom:
#   id: EC2-004
#   severity: low
#   enforcement: advisory
#   controls: [SOC 2 CC9.1]
#   remediation: Use an instance type allowed for the tier (see policies/rego/rules/compute.rego) or raise it in a reviewed change with a waiver.
#   message: "{address} uses instance type {observed}, which this tier does not allow (dev: t3/t3a/t4g up to large; stage: up to 2xlarge)."
#   resource_types: [aws_instance, aws_launch_template]
#   sources: both
deny contains finding if {
	tier := res.tier
	sizes := allowed_sizes[tier]
	some t in ["aws_instance", "aws_launch_template"]
	some r in res.live(t)
	it := res.known(r, ["instance_type"])
	not _type_allowed(tier, sizes, it)
	finding := {"rule": "EC2-004", "address": res.address(r), "attribute": "instance_type", "observed": it}
}

allowed_families := {"dev": {"t3", "t3a", "t4g"}}

allowed_sizes := {
	"dev": {"nano", "micro", "small", "medium", "large"},
	"stage": {"nano", "micro", "small", "medium", "large", "xlarge", "2xlarge"},
}

_type_allowed(tier, sizes, it) if {
	is_string(it)
	parts := split(lower(trim_space(it)), ".")
	count(parts) == 2
	parts[1] in sizes
	_family_allowed(tier, parts[0])
}

_family_allowed(tier, family) if family in allowed_families[tier]

_family_allowed(tier, _) if not allowed_families[tier]
