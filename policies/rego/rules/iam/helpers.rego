# METADATA
# title: IAM guardrails
# description: |
#   Least privilege for identity policies (managed, inline and role inline_policy blocks, as
#   JSON strings or aws_iam_policy_document data sources), safe trust policies, permissions
#   boundaries on every role, and no IAM users or long-lived access keys.
package baseplate.rules.iam

import rego.v1

import data.baseplate.lib.iam
import data.baseplate.lib.resources as res

# Service-wide wildcards that are allowed: the SSM agent's message channels, which carry no
# data access and cannot be scoped to resources.
wildcard_action_allowlist := {"ssmmessages:*", "ec2messages:*"}

# Identity policy documents: [address, attribute, inline, statements]. An array, computed once:
# a set of large values is slow in OPA-Wasm.
# (array.flatten would also flatten the entries, which are arrays themselves.)
# regal ignore:use-array-flatten
identity_documents := array.concat(
	array.concat(
		[[res.address(r), "policy", false, iam.attribute_statements(r, "policy")] |
			some r in res.live("aws_iam_policy")
		],
		[[res.address(r), "policy", true, iam.attribute_statements(r, "policy")] |
			some t in ["aws_iam_role_policy", "aws_iam_group_policy", "aws_iam_user_policy"]
			some r in res.live(t)
		],
	),
	[[res.address(r), "inline_policy.policy", true, statements] |
		some r in res.live("aws_iam_role")
		some i, block in res.as_array(res.raw(r, ["inline_policy"]))
		is_object(block)
		statements := iam.value_statements(r, object.get(block, "policy", null), ["inline_policy", i, "policy"])
	],
)

_allowlisted_wildcard(a) if lower(a) in wildcard_action_allowlist

# --- permissions boundaries --------------------------------------------------------------
# What roles name as permissions_boundary and what the attachments attach, collected once as
# sets of keys (token addresses, ARNs, policy names, references), so each policy costs a few
# hash lookups.

# boundary_only is the addresses of the aws_iam_policy resources used as a permissions boundary
# and attached to nothing.
boundary_only contains res.address(p) if {
	some p in res.live("aws_iam_policy")
	_used_as_boundary(p)
	not _attached(p)
}

_used_as_boundary(p) if _boundary_tokens[res.address(p)]

_used_as_boundary(p) if {
	some k in _policy_name_keys(p)
	_boundary_names[k]
}

# In a plan, a boundary ARN not known before apply is linked through the role's references.
_used_as_boundary(p) if {
	some k in res.address_keys(res.address(p))
	_boundary_references[k]
}

_boundary_tokens contains addr if {
	some r in res.live("aws_iam_role")
	some addr in res.token_addresses(res.raw(r, ["permissions_boundary"]))
}

_boundary_names contains k if {
	some r in res.live("aws_iam_role")
	some k in _arn_keys(res.known(r, ["permissions_boundary"]))
}

_boundary_references contains ref if {
	some r in res.live("aws_iam_role")
	res.is_unknown(r, ["permissions_boundary"])
	some ref in res.references(r)
}

# Attachment attributes: [type, attribute]; the attribute is one ARN or a list of ARNs.
_attachment_attributes := [
	["aws_iam_role_policy_attachment", "policy_arn"],
	["aws_iam_user_policy_attachment", "policy_arn"],
	["aws_iam_group_policy_attachment", "policy_arn"],
	["aws_iam_policy_attachment", "policy_arn"],
	["aws_iam_role", "managed_policy_arns"],
	["aws_iam_role_policy_attachments_exclusive", "policy_arns"],
	["aws_iam_user_policy_attachments_exclusive", "policy_arns"],
	["aws_iam_group_policy_attachments_exclusive", "policy_arns"],
]

_attached(p) if _attached_tokens[res.address(p)]

_attached(p) if {
	some k in _policy_name_keys(p)
	_attached_names[k]
}

# An attachment whose ARN is not known before apply (plan), or is any other expression,
# counts as attaching every policy it references.
_attached(p) if {
	some k in res.address_keys(res.address(p))
	_attached_references[k]
}

_attached_tokens contains addr if {
	some [t, attr] in _attachment_attributes
	some r in res.live(t)
	some v in res.string_list(res.raw(r, [attr]))
	some addr in res.token_addresses(v)
}

_attached_names contains k if {
	some [t, attr] in _attachment_attributes
	some r in res.live(t)
	some v in res.string_list(res.raw(r, [attr]))
	not res.is_reference(v)
	some k in _arn_keys(v)
}

_attached_references contains ref if {
	some [t, attr] in _attachment_attributes
	t != "aws_iam_role"
	some r in res.live(t)
	res.is_unknown(r, [attr])
	some ref in res.references(r)
}

# _arn_keys(arn) is the keys a customer managed policy ARN matches: "arn:<the ARN>" and
# "name:<policy name>" (arn:aws:iam::<account>:policy/<path><name>).
_arn_keys(arn) := {concat("", ["arn:", arn]), concat("", ["name:", name])} if {
	is_string(arn)
	parts := split(arn, ":policy/")
	count(parts) == 2
	segments := split(parts[1], "/")
	name := segments[count(segments) - 1]
	name != ""
}

# _policy_name_keys(p) is the keys of policy p: its known ARN and its known name.
_policy_name_keys(p) := {k |
	some k in array.concat(
		[concat("", ["arn:", arn]) | arn := res.known(p, ["arn"]); is_string(arn)],
		[concat("", ["name:", name]) | name := res.known(p, ["name"]); is_string(name)],
	)
}
