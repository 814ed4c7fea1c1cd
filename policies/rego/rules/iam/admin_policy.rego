package baseplate.rules.iam

import rego.v1

import data.baseplate.lib.iam
import data.baseplate.lib.policy
import data.baseplate.lib.resources as res

# METADATA
# scope: rule
# title: Managed policies and permission sets do not grant administrator access
# description: |
#   No Allow statement of a customer managed policy (aws_iam_policy) or of an IAM Identity
#   Center permission set's inline policy grants every action on every resource, in any
#   spelling: "*", "*:*", "*?", "?*:*" or NotAction, on "*", "arn:*", "arn:aws:*:*:*:*" or
#   NotResource. A policy used only as a permissions boundary (IAM-001) is exempt. Inline
#   policies of roles, users and groups are judged by IAM-008.
# custom:
#   id: IAM-011
#   severity: critical
#   enforcement: mandatory
#   controls: [FSBP IAM.1, CIS 1.16, SOC 2 CC6.3]
#   remediation: Grant the specific actions on the specific resources the principal needs; break-glass administrator access is a reviewed waiver, not a policy in a stack.
#   message: "{address} grants administrator access (every action on every resource) in {attribute}, statement {observed}."
#   resource_types: [aws_iam_policy, aws_ssoadmin_permission_set_inline_policy, aws_iam_policy_document]
#   sources: both
deny contains finding if {
	some [addr, attr, false, statements] in identity_documents
	not boundary_only[addr]
	some s in statements
	policy.is_admin(s)
	finding := {"rule": "IAM-011", "address": addr, "attribute": attr, "observed": s.sid}
}

deny contains finding if {
	some r in res.live("aws_ssoadmin_permission_set_inline_policy")
	some s in iam.attribute_statements(r, "inline_policy")
	policy.is_admin(s)
	finding := {"rule": "IAM-011", "address": res.address(r), "attribute": "inline_policy", "observed": s.sid}
}

# An attachment whose ARN is built from expressions around a literal policy name
# ("arn:${data.aws_partition.current.partition}:iam::${...}:policy/wide-boundary") attaches the
# policy of that name: it is not a boundary-only policy (IAM-001, IAM-002, IAM-011).
_attached_names contains k if {
	some [t, attr] in _attachment_attributes
	some r in res.live(t)
	some v in res.string_list(res.raw(r, [attr]))
	res.is_reference(v)
	some k in _arn_keys(v)
	not contains(k, "${")
}
