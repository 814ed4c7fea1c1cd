package baseplate.rules.change

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# scope: rule
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
#   resource_types: [aws_cloudtrail, aws_cloudtrail_event_data_store, aws_config_configuration_recorder,
#     aws_config_configuration_recorder_status, aws_config_delivery_channel, aws_config_config_rule,
#     aws_config_conformance_pack, aws_config_configuration_aggregator, aws_guardduty_detector,
#     aws_guardduty_detector_feature, aws_guardduty_organization_configuration, aws_securityhub_account,
#     aws_securityhub_standards_subscription, aws_securityhub_standards_control,
#     aws_securityhub_organization_configuration, aws_accessanalyzer_analyzer, aws_ebs_encryption_by_default,
#     aws_s3_account_public_access_block, aws_cloudwatch_log_group]
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

_retention_changed(r) if res.is_unknown(r, ["retention_in_days"])

_retention_changed(r) if {
	before := r.before
	is_object(before)
	object.get(before, "retention_in_days", null) != res.raw(r, ["retention_in_days"])
}
