package baseplate.rules.iam

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# scope: rule
# title: No administrator managed policies are attached
# description: |
#   AdministratorAccess, PowerUserAccess and IAMFullAccess are never attached to roles, groups
#   or users (attachment resources, aws_iam_role.managed_policy_arns, or the exclusive
#   attachment resources).
# custom:
#   id: IAM-009
#   severity: critical
#   enforcement: mandatory
#   controls: [FSBP IAM.1, CIS 1.16, SOC 2 CC6.3]
#   remediation: Attach a policy with only the actions the principal needs; break-glass administrator access goes through IAM Identity Center.
#   message: "{address} attaches the administrator policy {observed}."
#   resource_types: [aws_iam_role_policy_attachment, aws_iam_group_policy_attachment,
#     aws_iam_user_policy_attachment, aws_iam_policy_attachment, aws_iam_role,
#     aws_iam_role_policy_attachments_exclusive]
#   sources: both
deny contains finding if {
	some t in ["aws_iam_role_policy_attachment", "aws_iam_group_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_policy_attachment"]
	some r in res.live(t)
	arn := res.known(r, ["policy_arn"])
	_is_admin_policy_arn(arn)
	finding := {"rule": "IAM-009", "address": res.address(r), "attribute": "policy_arn", "observed": arn}
}

deny contains finding if {
	some [t, attr] in [["aws_iam_role", "managed_policy_arns"], ["aws_iam_role_policy_attachments_exclusive", "policy_arns"]]
	some r in res.live(t)
	some arn in res.string_list(res.raw(r, [attr]))
	_is_admin_policy_arn(arn)
	finding := {"rule": "IAM-009", "address": res.address(r), "attribute": attr, "observed": arn}
}

# AWS managed policies that grant administrator or identity-administrator power.
admin_managed_policies := {"AdministratorAccess", "PowerUserAccess", "IAMFullAccess"}

_is_admin_policy_arn(arn) if {
	is_string(arn)
	parts := split(arn, ":policy/")
	count(parts) == 2
	endswith(parts[0], ":aws")
	parts[1] in admin_managed_policies
}
