package baseplate.rules.iam

import rego.v1

import data.baseplate.lib.iam

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

# _is_read_action(a) holds for read actions, including wildcards confined to a read verb
# such as s3:Get* or ec2:Describe*. IAM action names are case-insensitive.
_is_read_action(a) if {
	parts := split(lower(a), ":")
	count(parts) == 2
	some verb in read_verbs
	startswith(parts[1], verb)
}

_all_resources(s) if "*" in s.resources

# NotResource allows everything except the listed resources.
_all_resources(s) if count(s.not_resources) > 0
