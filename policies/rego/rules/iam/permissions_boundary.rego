package baseplate.rules.iam

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: Every IAM role has a permissions boundary
# description: |
#   Each aws_iam_role sets permissions_boundary, so a role can never exceed the platform's
#   boundary policy, whatever is attached to it later.
# custom:
#   id: IAM-004
#   severity: high
#   enforcement: mandatory
#   controls: [FSBP IAM.1, SOC 2 CC6.3]
#   remediation: Set permissions_boundary to the environment's boundary policy ARN (the baseline IAM role construct does this).
#   message: "{address} has no permissions boundary."
#   resource_types: [aws_iam_role]
#   sources: both
deny contains finding if {
	some r in res.live("aws_iam_role")
	not _has_boundary(r)
	not res.is_undecided(r, ["permissions_boundary"])
	finding := {"rule": "IAM-004", "address": res.address(r), "attribute": "permissions_boundary", "observed": res.raw(r, ["permissions_boundary"])}
}

_has_boundary(r) if {
	b := res.known(r, ["permissions_boundary"])
	is_string(b)
	startswith(b, "arn:")
}
