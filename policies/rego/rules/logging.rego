# METADATA
# title: Logging guardrails
# description: |
#   CloudWatch Logs retention and encryption, and CloudTrail coverage, integrity and
#   encryption. Retention policy: every log group keeps logs for at least 30 days and at most a
#   bounded period (retention_in_days set, not 0 = never expire) — mandatory everywhere; prod log
#   groups should keep them for at least 365 days — advisory.
package baseplate.rules.logging

import rego.v1

import data.baseplate.lib.resources as res

min_retention_days := 30

min_retention_days_prod := 365

# METADATA
# title: Log groups have a bounded retention of at least 30 days
# description: |
#   aws_cloudwatch_log_group must set retention_in_days to 30 or more. Unset or 0 means the
#   logs never expire, which leaves retention (and cost) unmanaged, so it is reported too.
# custom:
#   id: LOG-001
#   severity: medium
#   enforcement: mandatory
#   controls: [FSBP CloudWatch.16, SOC 2 CC7.2, SOC 2 C1.2]
#   remediation: Set retention_in_days to a supported value of 30 or more (the log group construct defaults to 90, 365 in prod).
#   message: "{address} has retention_in_days = {observed}; set a retention of at least 30 days."
#   resource_types: [aws_cloudwatch_log_group]
#   sources: both
deny contains finding if {
	some r in res.live("aws_cloudwatch_log_group")
	not res.is_undecided(r, ["retention_in_days"])
	v := res.raw(r, ["retention_in_days"])
	not _at_least(v, min_retention_days)
	finding := {"rule": "LOG-001", "address": res.address(r), "attribute": "retention_in_days", "observed": v}
}

# METADATA
# title: Production log groups keep logs for a year
# description: In prod, a log group with a bounded retention should keep logs for at least 365 days.
# custom:
#   id: LOG-002
#   severity: low
#   enforcement: advisory
#   controls: [FSBP CloudWatch.16, SOC 2 CC7.2]
#   remediation: Set retention_in_days to 365 or more for production log groups, or export them to an archive bucket with a longer lifecycle.
#   message: "{address} keeps production logs for {observed} days; 365 or more is recommended."
#   resource_types: [aws_cloudwatch_log_group]
#   sources: both
deny contains finding if {
	res.is_prod
	some r in res.live("aws_cloudwatch_log_group")
	v := _days(res.known(r, ["retention_in_days"]))
	v > 0
	v < min_retention_days_prod
	finding := {"rule": "LOG-002", "address": res.address(r), "attribute": "retention_in_days", "observed": v}
}

# METADATA
# title: Log groups are encrypted with a KMS key
# description: aws_cloudwatch_log_group must set kms_key_id (a customer managed key).
# custom:
#   id: LOG-003
#   severity: medium
#   enforcement: mandatory
#   controls: [SOC 2 CC6.1, SOC 2 C1.1]
#   remediation: Set kms_key_id to the logs key of the environment baseline; its key policy must allow the logs service principal.
#   message: "{address} is not encrypted with a customer managed KMS key."
#   resource_types: [aws_cloudwatch_log_group]
#   sources: both
deny contains finding if {
	some r in res.live("aws_cloudwatch_log_group")
	_missing(r, "kms_key_id")
	finding := {"rule": "LOG-003", "address": res.address(r), "attribute": "kms_key_id", "observed": res.raw(r, ["kms_key_id"])}
}

# METADATA
# title: CloudTrail trails are multi-region
# description: Every aws_cloudtrail must set is_multi_region_trail = true.
# custom:
#   id: LOG-004
#   severity: high
#   enforcement: mandatory
#   controls: [FSBP CloudTrail.1, CIS 3.1, SOC 2 CC7.2]
#   remediation: Set is_multi_region_trail = true (and include_global_service_events = true).
#   message: "{address} records only one region."
#   resource_types: [aws_cloudtrail]
#   sources: both
deny contains finding if {
	some r in res.live("aws_cloudtrail")
	_not_true(r, "is_multi_region_trail")
	finding := {"rule": "LOG-004", "address": res.address(r), "attribute": "is_multi_region_trail", "observed": res.raw(r, ["is_multi_region_trail"])}
}

# METADATA
# title: CloudTrail log file validation is enabled
# description: Every aws_cloudtrail must set enable_log_file_validation = true.
# custom:
#   id: LOG-005
#   severity: medium
#   enforcement: mandatory
#   controls: [FSBP CloudTrail.4, CIS 3.2, SOC 2 CC7.2]
#   remediation: Set enable_log_file_validation = true.
#   message: "{address} does not validate its log files."
#   resource_types: [aws_cloudtrail]
#   sources: both
deny contains finding if {
	some r in res.live("aws_cloudtrail")
	_not_true(r, "enable_log_file_validation")
	finding := {"rule": "LOG-005", "address": res.address(r), "attribute": "enable_log_file_validation", "observed": res.raw(r, ["enable_log_file_validation"])}
}

# METADATA
# title: CloudTrail logs are encrypted with a KMS key
# description: Every aws_cloudtrail must set kms_key_id.
# custom:
#   id: LOG-006
#   severity: medium
#   enforcement: mandatory
#   controls: [FSBP CloudTrail.2, CIS 3.5, SOC 2 CC6.1]
#   remediation: Set kms_key_id to a customer managed key whose policy allows cloudtrail.amazonaws.com to encrypt.
#   message: "{address} does not encrypt its logs with a KMS key."
#   resource_types: [aws_cloudtrail]
#   sources: both
deny contains finding if {
	some r in res.live("aws_cloudtrail")
	_missing(r, "kms_key_id")
	finding := {"rule": "LOG-006", "address": res.address(r), "attribute": "kms_key_id", "observed": res.raw(r, ["kms_key_id"])}
}

# --- helpers -----------------------------------------------------------------------------

# _days(v) is v as a number of days (numbers and numeric strings).
_days(v) := v if is_number(v)

_days(v) := to_number(trim_space(v)) if {
	is_string(v)
	regex.match(`^\s*[0-9]+\s*$`, v)
}

_at_least(v, n) if _days(v) >= n

# _missing(r, attr) holds when attr is decided and absent, null or an empty string.
_missing(r, attr) if res.is_unset(r, [attr])

_missing(r, attr) if res.raw(r, [attr]) == ""

_not_true(r, attr) if {
	not res.is_undecided(r, [attr])
	not res.raw(r, [attr]) in {true, "true"}
}
