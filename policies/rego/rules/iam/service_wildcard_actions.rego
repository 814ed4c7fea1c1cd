package baseplate.rules.iam

import rego.v1

import data.baseplate.lib.iam
import data.baseplate.lib.policy

# METADATA
# scope: rule
# title: Identity policies do not allow every action of a service
# description: |
#   No Allow statement in an identity policy grants every action ("*", "*:*", "*?") or every
#   action of a service ("<service>:*", "iam:**", "KMS:*?": the policy library's spellings,
#   actions case-insensitive) or NotAction (which allows everything not listed), except the
#   documented allowlist (ssmmessages:*, ec2messages:*).
#   List the actions the workload calls instead. A permissions boundary policy is exempt: an
#   aws_iam_policy that some role names as its permissions_boundary (by reference, or by its
#   ARN or name) and that nothing attaches (policy attachments, managed_policy_arns) is a
#   ceiling, not a grant. A boundary policy that is also attached is judged like any other.
# custom:
#   id: IAM-001
#   severity: high
#   enforcement: mandatory
#   controls: [FSBP IAM.21, CIS 1.16, SOC 2 CC6.3]
#   remediation: Replace the wildcard with the specific actions the workload calls (the IAM grant helpers in modules/ produce them), or with a read-only pattern such as s3:Get*.
#   message: "{address} allows the wildcard action {observed} in {attribute}."
#   resource_types: [aws_iam_policy, aws_iam_role_policy, aws_iam_group_policy, aws_iam_user_policy, aws_iam_role, aws_iam_policy_document]
#   sources: both
deny contains finding if {
	some [addr, attr, _, statements] in identity_documents
	not boundary_only[addr]
	some s in statements
	iam.allows(s)
	some a in s.actions
	_wildcard(a)
	not _allowlisted_wildcard(a)
	finding := {"rule": "IAM-001", "address": addr, "attribute": attr, "observed": a}
}

deny contains finding if {
	some [addr, attr, _, statements] in identity_documents
	not boundary_only[addr]
	some s in statements
	iam.allows(s)
	count(s.not_actions) > 0
	finding := {"rule": "IAM-001", "address": addr, "attribute": attr, "observed": {"NotAction": s.not_actions}}
}

_wildcard(a) if iam.is_wildcard_action(a)

_wildcard(a) if policy.action_all(a)

_wildcard(a) if policy.action_service_all(a)
