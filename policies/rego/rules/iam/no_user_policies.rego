package baseplate.rules.iam

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# scope: rule
# title: No policies attached directly to IAM users
# description: |
#   aws_iam_user_policy, aws_iam_user_policy_attachment and aws_iam_policy_attachment with users
#   grant permissions to a user directly; permissions belong to roles or groups.
# custom:
#   id: IAM-007
#   severity: medium
#   enforcement: mandatory
#   controls: [FSBP IAM.2, CIS 1.15, SOC 2 CC6.3]
#   remediation: Remove the user policy; grant the permission to a role (or an Identity Center permission set).
#   message: "{address} attaches permissions directly to an IAM user ({attribute})."
#   resource_types: [aws_iam_user_policy, aws_iam_user_policy_attachment, aws_iam_policy_attachment]
#   sources: both
deny contains finding if {
	some t in ["aws_iam_user_policy", "aws_iam_user_policy_attachment"]
	some r in res.live(t)
	finding := {"rule": "IAM-007", "address": res.address(r), "attribute": "user", "observed": res.raw(r, ["user"])}
}

deny contains finding if {
	some r in res.live("aws_iam_policy_attachment")
	users := res.string_list(res.raw(r, ["users"]))
	count(users) > 0
	finding := {"rule": "IAM-007", "address": res.address(r), "attribute": "users", "observed": users}
}
