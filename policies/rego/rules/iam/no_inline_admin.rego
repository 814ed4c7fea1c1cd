package baseplate.rules.iam

import rego.v1

import data.baseplate.lib.policy

# METADATA
# title: No inline administrator policies
# description: |
#   An inline policy (aws_iam_role_policy, aws_iam_group_policy, aws_iam_user_policy or a role's
#   inline_policy block) must not Allow every action on every resource, in any spelling ("*",
#   "*:*", "*?" or NotAction, on "*", "arn:*", "arn:aws:*:*:*:*" or NotResource): full
#   administrator power hidden inside one principal, invisible in the list of managed policies.
# custom:
#   id: IAM-008
#   severity: critical
#   enforcement: mandatory
#   controls: [FSBP IAM.1, FSBP IAM.21, CIS 1.16, SOC 2 CC6.3]
#   remediation: Remove the statement; grant the specific actions on the specific resources the principal needs.
#   message: "{address} holds an inline administrator policy (Allow * on *) in {attribute}."
#   resource_types: [aws_iam_role_policy, aws_iam_group_policy, aws_iam_user_policy, aws_iam_role, aws_iam_policy_document]
#   sources: both
deny contains finding if {
	some [addr, attr, true, statements] in identity_documents
	some s in statements
	policy.is_admin(s)
	finding := {"rule": "IAM-008", "address": addr, "attribute": attr, "observed": s.sid}
}
