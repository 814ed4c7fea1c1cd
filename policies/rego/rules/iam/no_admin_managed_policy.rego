package baseplate.rules.iam

import rego.v1

import data.baseplate.lib.policy
import data.baseplate.lib.resources as res

# METADATA
# title: No administrator managed policies are attached
# description: |
#   AdministratorAccess, PowerUserAccess and IAMFullAccess are never attached to roles, groups,
#   users or IAM Identity Center permission sets (attachment resources,
#   aws_iam_role.managed_policy_arns, the exclusive attachment resources,
#   aws_ssoadmin_managed_policy_attachment): by ARN in any partition, also when the partition
#   is an expression (arn:${data.aws_partition.current.partition}:iam::aws:policy/...), or
#   through a data aws_iam_policy lookup of one of them.
# custom:
#   id: IAM-009
#   severity: critical
#   enforcement: mandatory
#   controls: [FSBP IAM.1, CIS 1.16, SOC 2 CC6.3]
#   remediation: >-
#     Attach a policy with only the actions the principal needs; break-glass administrator access is a
#     reviewed waiver on one Identity Center permission set.
#   message: "{address} attaches the administrator policy {observed}."
#   resource_types: [aws_iam_role_policy_attachment, aws_iam_group_policy_attachment,
#     aws_iam_user_policy_attachment, aws_iam_policy_attachment, aws_iam_role,
#     aws_iam_role_policy_attachments_exclusive, aws_iam_user_policy_attachments_exclusive,
#     aws_iam_group_policy_attachments_exclusive, aws_ssoadmin_managed_policy_attachment]
#   sources: both
deny contains finding if {
	some [t, attr] in _admin_attachment_attributes
	some r in res.live(t)
	some arn in res.string_list(res.raw(r, [attr]))
	policy.is_admin_policy_ref(arn)
	finding := {"rule": "IAM-009", "address": res.address(r), "attribute": attr, "observed": arn}
}

_admin_attachment_attributes := array.concat(_attachment_attributes, [["aws_ssoadmin_managed_policy_attachment", "managed_policy_arn"]])

# AWS managed policies that grant administrator or identity-administrator power.
admin_managed_policies := policy.admin_managed_policies
