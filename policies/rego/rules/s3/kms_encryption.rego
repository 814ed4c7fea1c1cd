package baseplate.rules.s3

import rego.v1

import data.baseplate.lib.iam
import data.baseplate.lib.resources as res

# METADATA
# scope: rule
# title: S3 buckets are encrypted with KMS
# description: |
#   Each bucket needs an aws_s3_bucket_server_side_encryption_configuration whose default
#   algorithm is aws:kms or aws:kms:dsse. SSE-S3 (AES256) does not give key-level access
#   control or an audit trail of key use. Exception: a server access log bucket (the
#   target_bucket of an aws_s3_bucket_logging, by reference or name, or a bucket whose policy
#   allows logging.s3.amazonaws.com s3:PutObject) uses AES256, because S3 server access logging
#   cannot deliver to an SSE-KMS bucket. Any other algorithm still fails on it.
# custom:
#   id: S3-003
#   severity: high
#   enforcement: mandatory
#   controls: [FSBP S3.17, CIS 2.1.1, SOC 2 CC6.1, SOC 2 CC6.7]
#   remediation: >-
#     Add an aws_s3_bucket_server_side_encryption_configuration with sse_algorithm "aws:kms" and
#     kms_master_key_id set to a customer managed key, with bucket_key_enabled true.
#   message: "{address} is not encrypted with SSE-KMS ({attribute}: {observed})."
#   resource_types: [aws_s3_bucket, aws_s3_bucket_server_side_encryption_configuration]
#   sources: both
deny contains finding if {
	some bucket in res.live("aws_s3_bucket")
	not covered(companions.aws_s3_bucket_server_side_encryption_configuration, bucket)
	finding := {"rule": "S3-003", "address": res.address(bucket), "attribute": "server_side_encryption_configuration", "observed": null}
}

deny contains finding if {
	some config in res.live("aws_s3_bucket_server_side_encryption_configuration")
	not _kms_configured(config)
	not _encryption_undecided(config)
	not _access_log_sse_s3(config)
	finding := {
		"rule": "S3-003",
		"address": res.address(config),
		"attribute": "rule.apply_server_side_encryption_by_default.sse_algorithm",
		"observed": _algorithms(config),
	}
}

kms_algorithms := {"aws:kms", "aws:kms:dsse"}

# _access_log_sse_s3(config) holds when config encrypts a server access log bucket with SSE-S3
# (AES256) only.
_access_log_sse_s3(config) if {
	algorithms := _algorithms(config)
	count(algorithms) > 0
	every a in algorithms {
		a == "AES256"
	}
	some k in companion_keys(config, "bucket")
	_access_log_bucket_keys[k]
}

# Keys of the buckets that receive server access logs: the logging targets and the buckets whose
# policy lets the logging service write, plus every key of those buckets (so a configuration
# that names the bucket by reference matches a target given by name, and the reverse).
_access_log_bucket_keys contains k if some k in _log_target_keys

_access_log_bucket_keys contains k if some k in _log_delivery_keys

_access_log_bucket_keys contains k if {
	some bucket in res.live("aws_s3_bucket")
	_is_access_log_bucket(bucket)
	some k in bucket_keys(bucket)
}

_is_access_log_bucket(bucket) if covered(_log_target_keys, bucket)

_is_access_log_bucket(bucket) if covered(_log_delivery_keys, bucket)

_log_delivery_keys contains k if {
	some p in res.live("aws_s3_bucket_policy")
	some s in iam.attribute_statements(p, "policy")
	_allows_log_delivery(s)
	some k in companion_keys(p, "bucket")
}

_allows_log_delivery(s) if {
	iam.allows(s)
	"logging.s3.amazonaws.com" in s.principals
	some a in s.actions
	iam.action_matches(a, "s3:PutObject")
}

_defaults(config) := [d |
	some rule in res.blocks(config, "rule")
	some d in res.sub_blocks(rule, "apply_server_side_encryption_by_default")
]

_algorithms(config) := [d.sse_algorithm | some d in _defaults(config)]

_kms_configured(config) if {
	some d in _defaults(config)
	d.sse_algorithm in kms_algorithms
}

_encryption_undecided(config) if res.is_undecided(config, ["rule"])

_encryption_undecided(config) if {
	some d in _defaults(config)
	res.is_reference(d.sse_algorithm)
}

_encryption_undecided(config) if {
	some i, rule in res.as_array(res.raw(config, ["rule"]))
	is_object(rule)
	res.is_unknown(config, ["rule", i, "apply_server_side_encryption_by_default"])
}

_encryption_undecided(config) if {
	some i, rule in res.as_array(res.raw(config, ["rule"]))
	some j, _ in res.as_array(object.get(rule, "apply_server_side_encryption_by_default", null))
	res.is_unknown(config, ["rule", i, "apply_server_side_encryption_by_default", j, "sse_algorithm"])
}
