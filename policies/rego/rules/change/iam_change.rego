package baseplate.rules.change

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: IAM changes need approval
# description: Any create, update, delete or replacement of an IAM role, policy, attachment, user, group, instance profile or identity provider is routed to an approver.
# custom:
#   id: CHG-002
#   severity: high
#   enforcement: advisory
#   controls: [SOC 2 CC6.2, SOC 2 CC6.3, SOC 2 CC8.1]
#   remediation: Have a security approver review the permissions the change grants or removes.
#   message: "{address} will be {observed}d: an IAM change."
#   resource_types: [aws_iam_role, aws_iam_role_policy, aws_iam_role_policy_attachment,
#     aws_iam_role_policies_exclusive, aws_iam_role_policy_attachments_exclusive, aws_iam_policy,
#     aws_iam_policy_attachment, aws_iam_user, aws_iam_user_policy, aws_iam_user_policy_attachment,
#     aws_iam_user_group_membership, aws_iam_access_key, aws_iam_group, aws_iam_group_policy,
#     aws_iam_group_policy_attachment, aws_iam_group_membership, aws_iam_instance_profile,
#     aws_iam_openid_connect_provider, aws_iam_saml_provider, aws_iam_service_linked_role]
#   sources: plan
#   risk: iam
deny contains finding if {
	res.is_plan
	some t in iam_types
	some r in res.managed(t)
	change := _change(r)
	finding := {"rule": "CHG-002", "address": res.address(r), "attribute": null, "observed": change}
}

iam_types := [
	"aws_iam_role", "aws_iam_role_policy", "aws_iam_role_policy_attachment",
	"aws_iam_role_policies_exclusive", "aws_iam_role_policy_attachments_exclusive",
	"aws_iam_policy", "aws_iam_policy_attachment",
	"aws_iam_user", "aws_iam_user_policy", "aws_iam_user_policy_attachment",
	"aws_iam_user_group_membership", "aws_iam_access_key",
	"aws_iam_group", "aws_iam_group_policy", "aws_iam_group_policy_attachment",
	"aws_iam_group_membership", "aws_iam_instance_profile",
	"aws_iam_openid_connect_provider", "aws_iam_saml_provider", "aws_iam_service_linked_role",
]
