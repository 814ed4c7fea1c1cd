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

# Write actions that AWS does not let you scope to a resource ARN (the service authorisation
# reference lists them with no resource type), so Resource "*" is the only option.
unscopable_write_actions := {
	"cloudwatch:putmetricdata",
	"ec2:createnetworkinterface",
	"ec2:deletenetworkinterface",
	"ec2:assignprivateipaddresses",
	"ec2:unassignprivateipaddresses",
	"xray:puttracesegments",
	"xray:puttelemetryrecords",
	"ssmmessages:createcontrolchannel",
	"ssmmessages:createdatachannel",
	"ssmmessages:opencontrolchannel",
	"ssmmessages:opendatachannel",
	"ec2messages:acknowledgemessage",
	"ec2messages:deletemessage",
	"ec2messages:failmessage",
	"ec2messages:sendreply",
	"ssm:updateinstanceinformation",
	"ecs:registertaskdefinition",
	"ecs:deregistertaskdefinition",
	"kms:createkey",
	"logs:putresourcepolicy",
	"logs:deleteresourcepolicy",
	"route53:createhostedzone",
	"cloudformation:createstackset",
}

# Action name prefixes (lowercase) that only read.
read_verbs := ["get", "list", "describe", "head", "batchget", "query", "scan", "search", "lookup", "view", "select"]

# AWS managed policies that grant administrator or identity-administrator power.
admin_managed_policies := {"AdministratorAccess", "PowerUserAccess", "IAMFullAccess"}

# Identity policy documents: [address, attribute, inline, statements]. An array, computed once:
# a set of large values is slow in OPA-Wasm.
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

# _is_read_action(a) holds for read actions, including wildcards confined to a read verb
# such as s3:Get* or ec2:Describe*. IAM action names are case-insensitive.
_is_read_action(a) if {
	parts := split(lower(a), ":")
	count(parts) == 2
	some verb in read_verbs
	startswith(parts[1], verb)
}

_allowlisted_wildcard(a) if lower(a) in wildcard_action_allowlist

# METADATA
# title: Identity policies do not allow every action of a service
# description: |
#   No Allow statement in an identity policy grants "*", "<service>:*" or NotAction (which allows
#   everything not listed), except the documented allowlist (ssmmessages:*, ec2messages:*).
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
	iam.is_wildcard_action(a)
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

# METADATA
# title: Identity policies scope write actions to resources
# description: |
#   An Allow statement with Resource "*" (or NotResource) may only hold read actions (Get*, List*, Describe*, ...)
#   and the documented write actions AWS cannot scope to a resource (for example
#   cloudwatch:PutMetricData, ec2:CreateNetworkInterface for Lambda in a VPC). Everything else,
#   including iam:PassRole and wildcards, names resource ARNs. A permissions boundary policy
#   that nothing attaches is exempt, as for IAM-001.
# custom:
#   id: IAM-002
#   severity: high
#   enforcement: mandatory
#   controls: [FSBP IAM.1, CIS 1.16, SOC 2 CC6.3]
#   remediation: Set Resource to the ARNs the action works on (for iam:PassRole, the role ARNs); keep Resource "*" only for read actions and unscopable actions.
#   message: "{address} allows the write action {observed} on every resource (Resource \"*\") in {attribute}."
#   resource_types: [aws_iam_policy, aws_iam_role_policy, aws_iam_group_policy, aws_iam_user_policy, aws_iam_role, aws_iam_policy_document]
#   sources: both
deny contains finding if {
	some [addr, attr, _, statements] in identity_documents
	not boundary_only[addr]
	some s in statements
	iam.allows(s)
	_all_resources(s)
	some a in s.actions
	not _is_read_action(a)
	not lower(a) in unscopable_write_actions
	not _allowlisted_wildcard(a)
	finding := {"rule": "IAM-002", "address": addr, "attribute": attr, "observed": a}
}

_all_resources(s) if "*" in s.resources

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

# NotResource allows everything except the listed resources.
_all_resources(s) if count(s.not_resources) > 0

# METADATA
# title: Role trust policies do not trust everyone
# description: |
#   An aws_iam_role's assume_role_policy must not Allow the principal "*" (or {"AWS": "*"})
#   without a condition (for example aws:PrincipalOrgID or sts:ExternalId).
# custom:
#   id: IAM-003
#   severity: critical
#   enforcement: mandatory
#   controls: [FSBP IAM.1, SOC 2 CC6.1, SOC 2 CC6.3]
#   remediation: Name the trusted principal (a service such as lambda.amazonaws.com or an account/role ARN), or add a condition such as aws:PrincipalOrgID.
#   message: "{address} lets any principal assume it ({attribute}, statement {observed})."
#   resource_types: [aws_iam_role, aws_iam_policy_document]
#   sources: both
deny contains finding if {
	some r in res.live("aws_iam_role")
	some s in iam.attribute_statements(r, "assume_role_policy")
	iam.allows(s)
	iam.is_public_principal(s)
	not iam.is_conditioned(s)
	finding := {"rule": "IAM-003", "address": res.address(r), "attribute": "assume_role_policy", "observed": s.sid}
}

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

# METADATA
# title: No IAM users
# description: |
#   People sign in through IAM Identity Center and workloads use roles; aws_iam_user creates
#   long-lived identities outside both.
# custom:
#   id: IAM-005
#   severity: high
#   enforcement: mandatory
#   controls: [FSBP IAM.2, CIS 1.15, SOC 2 CC6.2]
#   remediation: Remove the user; grant people access through IAM Identity Center permission sets and workloads through roles.
#   message: "{address} creates an IAM user."
#   resource_types: [aws_iam_user]
#   sources: both
deny contains finding if {
	some r in res.live("aws_iam_user")
	finding := {"rule": "IAM-005", "address": res.address(r), "attribute": null, "observed": null}
}

# METADATA
# title: No IAM access keys
# description: aws_iam_access_key creates a long-lived secret that leaks into state and logs.
# custom:
#   id: IAM-006
#   severity: critical
#   enforcement: mandatory
#   controls: [FSBP IAM.3, CIS 1.4, CIS 1.14, SOC 2 CC6.1]
#   remediation: Remove the access key; use a role (for CI, OIDC federation) that issues temporary credentials.
#   message: "{address} creates a long-lived IAM access key."
#   resource_types: [aws_iam_access_key]
#   sources: both
deny contains finding if {
	some r in res.live("aws_iam_access_key")
	finding := {"rule": "IAM-006", "address": res.address(r), "attribute": null, "observed": null}
}

# METADATA
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

# METADATA
# title: No inline administrator policies
# description: |
#   An inline policy (aws_iam_role_policy, aws_iam_group_policy, aws_iam_user_policy or a role's
#   inline_policy block) must not Allow "*" on "*": full administrator power hidden inside one
#   principal, invisible in the list of managed policies.
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
	iam.is_admin(s)
	finding := {"rule": "IAM-008", "address": addr, "attribute": attr, "observed": s.sid}
}

# METADATA
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
#   resource_types: [aws_iam_role_policy_attachment, aws_iam_group_policy_attachment, aws_iam_user_policy_attachment, aws_iam_policy_attachment, aws_iam_role, aws_iam_role_policy_attachments_exclusive]
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

_is_admin_policy_arn(arn) if {
	is_string(arn)
	parts := split(arn, ":policy/")
	count(parts) == 2
	endswith(parts[0], ":aws")
	parts[1] in admin_managed_policies
}

# METADATA
# title: Cross-account trust is narrowed by a condition
# description: |
#   A trust policy that lets another AWS account (an account id or ARN other than the stack's
#   own account) assume the role needs a condition such as sts:ExternalId or aws:PrincipalOrgID,
#   so the role cannot be used as a confused deputy. Judged only when the stack's account is
#   known.
# custom:
#   id: IAM-010
#   severity: medium
#   enforcement: advisory
#   controls: [SOC 2 CC6.1, SOC 2 CC6.3]
#   remediation: Add a condition to the trust statement, e.g. StringEquals sts:ExternalId for a vendor or aws:PrincipalOrgID for accounts of the organisation.
#   message: "{address} trusts the external account principal {observed} without a condition."
#   resource_types: [aws_iam_role, aws_iam_policy_document]
#   sources: both
deny contains finding if {
	account := _own_account
	some r in res.live("aws_iam_role")
	some s in iam.attribute_statements(r, "assume_role_policy")
	iam.allows(s)
	not iam.is_conditioned(s)
	some p in s.principals
	other := _principal_account(p)
	other != account
	finding := {"rule": "IAM-010", "address": res.address(r), "attribute": "assume_role_policy", "observed": p}
}

_own_account := a if {
	a := res.environment.account
	is_string(a)
	regex.match(`^[0-9]{12}$`, a)
}

# _principal_account(p) is the 12-digit account of an AWS principal given as an account id or
# an IAM ARN (arn:aws:iam::<account>:root / role / user).
_principal_account(p) := p if regex.match(`^[0-9]{12}$`, p)

_principal_account(p) := account if {
	startswith(p, "arn:")
	parts := split(p, ":")
	count(parts) >= 6
	parts[2] == "iam"
	account := parts[4]
	regex.match(`^[0-9]{12}$`, account)
}
