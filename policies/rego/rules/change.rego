# METADATA
# title: Change-risk rules
# description: |
#   Plan-only rules that classify risky changes so the right people approve them. They are
#   advisory: they route approval (custom.risk) and never fail the gate by themselves.
#   A change is "create", "update", "delete" or "replace" (delete and create in either order);
#   no-op, read and forget never produce a finding. Synthesized input has no actions and
#   produces nothing here.
package baseplate.rules.change

import rego.v1

import data.baseplate.lib.resources as res

# Resources that hold data which a delete or replacement destroys.
stateful_types := [
	"aws_db_instance", "aws_rds_cluster", "aws_docdb_cluster", "aws_neptune_cluster",
	"aws_redshift_cluster", "aws_elasticache_replication_group", "aws_opensearch_domain",
	"aws_s3_bucket", "aws_dynamodb_table", "aws_efs_file_system", "aws_ebs_volume",
	"aws_kms_key", "aws_backup_vault", "aws_cloudwatch_log_group", "aws_secretsmanager_secret",
]

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

network_boundary_types := [
	"aws_route", "aws_route_table", "aws_route_table_association", "aws_default_route_table",
	"aws_main_route_table_association",
	"aws_security_group", "aws_security_group_rule", "aws_default_security_group",
	"aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule",
	"aws_network_acl", "aws_network_acl_rule", "aws_default_network_acl", "aws_network_acl_association",
	"aws_vpc_peering_connection", "aws_vpc_peering_connection_accepter",
	"aws_ec2_transit_gateway_vpc_attachment", "aws_ec2_transit_gateway_route",
	"aws_ec2_transit_gateway_route_table", "aws_ec2_transit_gateway_route_table_association",
	"aws_ec2_transit_gateway_route_table_propagation",
	"aws_internet_gateway", "aws_egress_only_internet_gateway", "aws_nat_gateway",
	"aws_vpn_gateway", "aws_vpn_connection", "aws_customer_gateway",
]

compliance_posture_types := [
	"aws_cloudtrail", "aws_cloudtrail_event_data_store",
	"aws_config_configuration_recorder", "aws_config_configuration_recorder_status",
	"aws_config_delivery_channel", "aws_config_config_rule", "aws_config_conformance_pack",
	"aws_config_configuration_aggregator",
	"aws_guardduty_detector", "aws_guardduty_detector_feature", "aws_guardduty_organization_configuration",
	"aws_securityhub_account", "aws_securityhub_standards_subscription",
	"aws_securityhub_standards_control", "aws_securityhub_organization_configuration",
	"aws_accessanalyzer_analyzer", "aws_ebs_encryption_by_default", "aws_s3_account_public_access_block",
]

# METADATA
# title: Deleting or replacing a stateful resource needs approval
# description: |
#   A plan that deletes or replaces a resource holding data (databases and clusters, S3
#   buckets, DynamoDB tables, EFS file systems, EBS volumes, KMS keys, backup vaults, log
#   groups, secrets, caches and search domains) is routed to an approver.
# custom:
#   id: CHG-001
#   severity: high
#   enforcement: advisory
#   controls: [SOC 2 CC8.1, SOC 2 A1.2]
#   remediation: Confirm the data loss is intended and backed up; to avoid a replacement, revert the change to the immutable argument or use a moved/import block.
#   message: "{address} will be {observed}d: data held by it is lost unless it was backed up."
#   resource_types: [aws_db_instance, aws_rds_cluster, aws_docdb_cluster, aws_neptune_cluster, aws_redshift_cluster, aws_elasticache_replication_group, aws_opensearch_domain, aws_s3_bucket, aws_dynamodb_table, aws_efs_file_system, aws_ebs_volume, aws_kms_key, aws_backup_vault, aws_cloudwatch_log_group, aws_secretsmanager_secret]
#   sources: plan
#   risk: stateful-delete
deny contains finding if {
	res.is_plan
	some t in stateful_types
	some r in res.managed(t)
	change := _change(r)
	change in {"delete", "replace"}
	finding := {"rule": "CHG-001", "address": res.address(r), "attribute": null, "observed": change}
}

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
#   resource_types: [aws_iam_role, aws_iam_role_policy, aws_iam_role_policy_attachment, aws_iam_role_policies_exclusive, aws_iam_role_policy_attachments_exclusive, aws_iam_policy, aws_iam_policy_attachment, aws_iam_user, aws_iam_user_policy, aws_iam_user_policy_attachment, aws_iam_user_group_membership, aws_iam_access_key, aws_iam_group, aws_iam_group_policy, aws_iam_group_policy_attachment, aws_iam_group_membership, aws_iam_instance_profile, aws_iam_openid_connect_provider, aws_iam_saml_provider, aws_iam_service_linked_role]
#   sources: plan
#   risk: iam
deny contains finding if {
	res.is_plan
	some t in iam_types
	some r in res.managed(t)
	change := _change(r)
	finding := {"rule": "CHG-002", "address": res.address(r), "attribute": null, "observed": change}
}

# METADATA
# title: Network boundary changes need approval
# description: |
#   Any change to routes and route tables, security groups and their rules, network ACLs,
#   VPC peering, transit gateway attachments and routes, internet, NAT and VPN gateways is
#   routed to an approver.
# custom:
#   id: CHG-003
#   severity: medium
#   enforcement: advisory
#   controls: [SOC 2 CC6.6, SOC 2 CC8.1]
#   remediation: Have a network approver confirm which traffic the change newly allows or blocks.
#   message: "{address} will be {observed}d: a network boundary change."
#   resource_types: [aws_route, aws_route_table, aws_route_table_association, aws_default_route_table, aws_main_route_table_association, aws_security_group, aws_security_group_rule, aws_default_security_group, aws_vpc_security_group_ingress_rule, aws_vpc_security_group_egress_rule, aws_network_acl, aws_network_acl_rule, aws_default_network_acl, aws_network_acl_association, aws_vpc_peering_connection, aws_vpc_peering_connection_accepter, aws_ec2_transit_gateway_vpc_attachment, aws_ec2_transit_gateway_route, aws_ec2_transit_gateway_route_table, aws_ec2_transit_gateway_route_table_association, aws_ec2_transit_gateway_route_table_propagation, aws_internet_gateway, aws_egress_only_internet_gateway, aws_nat_gateway, aws_vpn_gateway, aws_vpn_connection, aws_customer_gateway]
#   sources: plan
#   risk: network-boundary
deny contains finding if {
	res.is_plan
	some t in network_boundary_types
	some r in res.managed(t)
	change := _change(r)
	finding := {"rule": "CHG-003", "address": res.address(r), "attribute": null, "observed": change}
}

# METADATA
# title: Compliance posture changes need approval
# description: |
#   Any change to CloudTrail, AWS Config recorders, delivery channels, rules and conformance
#   packs, GuardDuty, Security Hub, IAM Access Analyzer, account-level EBS encryption or S3
#   public access blocks, and any change of a log group's retention_in_days, is routed to
#   an approver.
# custom:
#   id: CHG-004
#   severity: high
#   enforcement: advisory
#   controls: [SOC 2 CC7.2, SOC 2 CC8.1]
#   remediation: Have a compliance approver confirm the change keeps audit logging, detection and evidence intact.
#   message: "{address} will be {observed}d: a compliance-posture change ({attribute})."
#   resource_types: [aws_cloudtrail, aws_cloudtrail_event_data_store, aws_config_configuration_recorder, aws_config_configuration_recorder_status, aws_config_delivery_channel, aws_config_config_rule, aws_config_conformance_pack, aws_config_configuration_aggregator, aws_guardduty_detector, aws_guardduty_detector_feature, aws_guardduty_organization_configuration, aws_securityhub_account, aws_securityhub_standards_subscription, aws_securityhub_standards_control, aws_securityhub_organization_configuration, aws_accessanalyzer_analyzer, aws_ebs_encryption_by_default, aws_s3_account_public_access_block, aws_cloudwatch_log_group]
#   sources: plan
#   risk: compliance-posture
deny contains finding if {
	res.is_plan
	some t in compliance_posture_types
	some r in res.managed(t)
	change := _change(r)
	finding := {"rule": "CHG-004", "address": res.address(r), "attribute": null, "observed": change}
}

deny contains finding if {
	res.is_plan
	some r in res.managed("aws_cloudwatch_log_group")
	change := _change(r)
	change in {"update", "replace"}
	_retention_changed(r)
	finding := {"rule": "CHG-004", "address": res.address(r), "attribute": "retention_in_days", "observed": change}
}

# --- helpers -----------------------------------------------------------------------------

# _change(r) is the kind of change a plan makes to r; undefined for no-op, read, forget and
# synthesized input.
_change(r) := "replace" if {
	_replaced(r)
} else := "delete" if {
	"delete" in res.actions(r)
} else := "create" if {
	"create" in res.actions(r)
} else := "update" if {
	"update" in res.actions(r)
}

_replaced(r) if r.replace == true

_replaced(r) if {
	acts := res.actions(r)
	"delete" in acts
	"create" in acts
}

_retention_changed(r) if res.is_unknown(r, ["retention_in_days"])

_retention_changed(r) if {
	before := r.before
	is_object(before)
	object.get(before, "retention_in_days", null) != res.raw(r, ["retention_in_days"])
}
