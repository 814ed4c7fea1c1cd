package baseplate.rules.iam

import rego.v1

import data.baseplate.lib.iam
import data.baseplate.lib.policy
import data.baseplate.lib.resources as res

# METADATA
# scope: rule
# title: No user joins a group that carries administrator access
# description: |
#   aws_iam_user_group_membership and aws_iam_group_membership must not add users to a group
#   that holds administrator access: an AWS managed administrator policy attached (by ARN in
#   any partition or through a data aws_iam_policy lookup), a customer managed policy that
#   allows every action on every resource, or such an inline group policy. Groups are matched
#   by reference and by name.
# custom:
#   id: IAM-013
#   severity: critical
#   enforcement: mandatory
#   controls: [FSBP IAM.1, CIS 1.16, SOC 2 CC6.3]
#   remediation: Remove the membership; people get administrator access only through a reviewed IAM Identity Center assignment.
#   message: "{address} adds users to the administrator group {observed}."
#   resource_types: [aws_iam_user_group_membership, aws_iam_group_membership, aws_iam_group, aws_iam_group_policy, aws_iam_group_policy_attachment, aws_iam_policy_attachment]
#   sources: both
deny contains finding if {
	some r in res.live("aws_iam_user_group_membership")
	some g in res.string_list(res.raw(r, ["groups"]))
	_admin_group(g)
	finding := {"rule": "IAM-013", "address": res.address(r), "attribute": "groups", "observed": g}
}

deny contains finding if {
	some r in res.live("aws_iam_group_membership")
	g := res.raw(r, ["group"])
	_admin_group(g)
	finding := {"rule": "IAM-013", "address": res.address(r), "attribute": "group", "observed": g}
}

_admin_group(g) if {
	some k in _group_keys(g)
	admin_group_keys[k]
}

# _group_keys(v) is the keys a group value matches: the addresses of its tokens and its literal name.
_group_keys(v) := res.token_addresses(v) | {concat("", ["name:", v]) | is_string(v); not res.is_reference(v)}

# _admin_grant_groups is the group keys that some administrator grant names.
_admin_grant_groups contains k if {
	some r in res.live("aws_iam_group_policy_attachment")
	_admin_arn(res.raw(r, ["policy_arn"]))
	some k in _group_keys(res.raw(r, ["group"]))
}

_admin_grant_groups contains k if {
	some r in res.live("aws_iam_policy_attachment")
	_admin_arn(res.raw(r, ["policy_arn"]))
	some g in res.string_list(res.raw(r, ["groups"]))
	some k in _group_keys(g)
}

_admin_grant_groups contains k if {
	some r in res.live("aws_iam_group_policy")
	some s in iam.attribute_statements(r, "policy")
	policy.is_admin(s)
	some k in _group_keys(res.raw(r, ["group"]))
}

_admin_arn(v) if policy.is_admin_policy_ref(v)

_admin_arn(v) if {
	some addr in res.token_addresses(v)
	admin_policy_addresses[addr]
}

# admin_group_keys is every key of an administrator group: the keys grants name, widened through
# the aws_iam_group resources to both the group's address and its name.
admin_group_keys := _admin_grant_groups | {k |
	some grp in res.live("aws_iam_group")
	keys := _own_group_keys(grp)
	some k0 in keys
	_admin_grant_groups[k0]
	some k in keys
}

_own_group_keys(grp) := {res.address(grp)} | {concat("", ["name:", n]) | n := res.known(grp, ["name"]); is_string(n)}
