package baseplate.rules.iam

import rego.v1

import data.baseplate.lib.policy
import data.baseplate.lib.resources as res

# METADATA
# title: A permissions boundary is not an administrator policy
# description: |
#   A role's (or user's) permissions_boundary is a ceiling: AdministratorAccess, PowerUserAccess
#   or IAMFullAccess as a boundary (by ARN in any partition, or through a data aws_iam_policy
#   lookup), or a customer managed policy that allows every action on every resource, limits
#   nothing. A boundary given by an expression the gate cannot follow is not judged.
# custom:
#   id: IAM-012
#   severity: high
#   enforcement: mandatory
#   controls: [FSBP IAM.1, SOC 2 CC6.3]
#   remediation: Set permissions_boundary to the environment's boundary policy (the baseline IAM role construct does this), never to an administrator policy.
#   message: "{address} has an administrator policy as its permissions boundary ({observed})."
#   resource_types: [aws_iam_role, aws_iam_user, aws_iam_policy]
#   sources: both
deny contains finding if {
	some t in ["aws_iam_role", "aws_iam_user"]
	some r in res.live(t)
	b := res.raw(r, ["permissions_boundary"])
	_admin_boundary(b)
	finding := {"rule": "IAM-012", "address": res.address(r), "attribute": "permissions_boundary", "observed": b}
}

_admin_boundary(b) if policy.is_admin_policy_ref(b)

_admin_boundary(b) if {
	some addr in res.token_addresses(b)
	admin_policy_addresses[addr]
}

_admin_boundary(b) if {
	is_string(b)
	not res.is_reference(b)
	some k in _arn_keys(b)
	admin_policy_keys[k]
}

# admin_policy_addresses is the addresses of the aws_iam_policy resources whose document allows
# every action on every resource.
admin_policy_addresses contains addr if {
	some [addr, _, false, statements] in identity_documents
	some s in statements
	policy.is_admin(s)
}

# admin_policy_keys is the ARN and name keys (_arn_keys) of those policies.
admin_policy_keys contains k if {
	some p in res.live("aws_iam_policy")
	admin_policy_addresses[res.address(p)]
	some k in _policy_name_keys(p)
}
