# METADATA
# title: S3 guardrails
# description: |
#   Buckets are private, encrypted with KMS, versioned, TLS-only, owner-enforced and, in
#   production, access-logged. A bucket's companion resources (public access block, versioning,
#   encryption, policy, logging, ownership controls) are attached to it by reference (synth and
#   plan) or by the same known bucket name (plan, or literal names in synth).
package baseplate.rules.s3

import rego.v1

import data.baseplate.lib.iam
import data.baseplate.lib.resources as res

public_access_flags := ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]

public_canned_acls := {"public-read", "public-read-write", "authenticated-read"}

public_grantee_uris := {
	"http://acs.amazonaws.com/groups/global/AllUsers",
	"http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
}

kms_algorithms := {"aws:kms", "aws:kms:dsse"}

# Companion resources (public access block, versioning, ...) are matched to buckets through
# keys, computed once per evaluation, so the cost stays linear in the number of resources:
#   - the `bucket` attribute is a reference (synth): the bucket addresses it names, among the
#     companion's references;
#   - the `bucket` attribute is a known name: "name:<bucket name>";
#   - the attribute is unknown or absent (plan): every aws_s3_bucket the companion references.
# An aws_s3_bucket_logging also references its target bucket, so the attribute decides
# whenever it can.
companion_keys(x, attr) := {ref |
	some ref in res.references_of_type(x, "aws_s3_bucket")
	contains(v, concat("", [ref, "."]))
} if {
	v := res.raw(x, [attr])
	res.is_reference(v)
}

companion_keys(x, attr) := {concat("", ["name:", v])} if {
	v := res.known(x, [attr])
	is_string(v)
}

companion_keys(x, attr) := {ref | some ref in res.references_of_type(x, "aws_s3_bucket")} if {
	not _attribute_decided(x, attr)
}

_attribute_decided(x, attr) if res.is_known(x, [attr])

_attribute_decided(x, attr) if res.is_reference(res.raw(x, [attr]))

# bucket_keys(bucket) is the keys a companion of bucket may carry: its address, the address
# without an instance index (plan references name the resource, not the instance), its name.
bucket_keys(bucket) := {k |
	some k in [
		res.address(bucket),
		split(res.address(bucket), "[")[0],
		concat("", ["name:", _bucket_name(bucket)]),
	]
}

_bucket_name(bucket) := n if {
	n := res.known(bucket, ["bucket"])
	is_string(n)
} else := "(unknown)"

# covered(keys, bucket) holds when one of bucket's keys is in the set keys. A set lookup
# (keys[k]) is a hash lookup in OPA-Wasm; `k in keys` would scan the whole set.
covered(keys, bucket) if {
	some k in bucket_keys(bucket)
	keys[k]
}

# Keys of the live companions of each type.
companions := {t: {k | some x in res.live(t); some k in companion_keys(x, "bucket")} |
	some t in [
		"aws_s3_bucket_public_access_block",
		"aws_s3_bucket_server_side_encryption_configuration",
		"aws_s3_bucket_versioning",
		"aws_s3_bucket_logging",
		"aws_s3_bucket_ownership_controls",
		"aws_s3_bucket_policy",
	]
}

_account_block_complete if {
	some b in res.live("aws_s3_account_public_access_block")
	every flag in public_access_flags {
		res.known(b, [flag]) == true
	}
}

# METADATA
# title: Every S3 bucket has a public access block
# description: |
#   Each aws_s3_bucket needs an aws_s3_bucket_public_access_block that references it (or names
#   it), unless the stack sets a complete aws_s3_account_public_access_block. S3-002 checks the
#   block's four flags.
# custom:
#   id: S3-001
#   severity: high
#   enforcement: mandatory
#   controls: [FSBP S3.8, FSBP S3.1, CIS 2.1.4, SOC 2 CC6.1]
#   remediation: Add an aws_s3_bucket_public_access_block for the bucket with all four flags true (the baseline storage construct does this).
#   message: "{address} has no public access block."
#   resource_types: [aws_s3_bucket, aws_s3_bucket_public_access_block, aws_s3_account_public_access_block]
#   sources: both
deny contains finding if {
	some bucket in res.live("aws_s3_bucket")
	not covered(companions.aws_s3_bucket_public_access_block, bucket)
	not _account_block_complete
	finding := {"rule": "S3-001", "address": res.address(bucket), "attribute": null, "observed": null}
}

# METADATA
# title: S3 public access blocks set all four flags
# description: |
#   block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets must
#   all be true on every aws_s3_bucket_public_access_block and
#   aws_s3_account_public_access_block. An absent flag defaults to false.
# custom:
#   id: S3-002
#   severity: high
#   enforcement: mandatory
#   controls: [FSBP S3.8, FSBP S3.1, CIS 2.1.4, SOC 2 CC6.1]
#   remediation: Set block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets to true.
#   message: "{address} sets {attribute} to {observed}; all four public access flags must be true."
#   resource_types: [aws_s3_bucket_public_access_block, aws_s3_account_public_access_block]
#   sources: both
deny contains finding if {
	some t in ["aws_s3_bucket_public_access_block", "aws_s3_account_public_access_block"]
	some block in res.live(t)
	some flag in public_access_flags
	_flag_not_true(block, flag)
	finding := {"rule": "S3-002", "address": res.address(block), "attribute": flag, "observed": res.raw(block, [flag])}
}

_flag_not_true(block, flag) if res.is_unset(block, [flag])

_flag_not_true(block, flag) if {
	v := res.known(block, [flag])
	v != true
}

# METADATA
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
#   remediation: Add an aws_s3_bucket_server_side_encryption_configuration with sse_algorithm "aws:kms" and kms_master_key_id set to a customer managed key, with bucket_key_enabled true.
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

_algorithms(config) := [a | some d in _defaults(config); a := d.sse_algorithm]

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

# METADATA
# title: S3 buckets have versioning enabled
# description: |
#   Each bucket needs an aws_s3_bucket_versioning with versioning_configuration.status
#   "Enabled", so overwritten and deleted objects can be recovered.
# custom:
#   id: S3-004
#   severity: medium
#   enforcement: mandatory
#   controls: [FSBP S3.14, SOC 2 A1.2, SOC 2 CC6.1]
#   remediation: Add an aws_s3_bucket_versioning for the bucket with versioning_configuration.status = "Enabled".
#   message: "{address} does not have versioning enabled ({attribute}: {observed})."
#   resource_types: [aws_s3_bucket, aws_s3_bucket_versioning]
#   sources: both
deny contains finding if {
	some bucket in res.live("aws_s3_bucket")
	not covered(companions.aws_s3_bucket_versioning, bucket)
	finding := {"rule": "S3-004", "address": res.address(bucket), "attribute": "versioning_configuration.status", "observed": null}
}

deny contains finding if {
	some v in res.live("aws_s3_bucket_versioning")
	some i, block in res.as_array(res.raw(v, ["versioning_configuration"]))
	is_object(block)
	status := object.get(block, "status", null)
	status != "Enabled"
	not res.is_reference(status)
	not res.is_unknown(v, ["versioning_configuration", i, "status"])
	finding := {"rule": "S3-004", "address": res.address(v), "attribute": "versioning_configuration.status", "observed": status}
}

deny contains finding if {
	some v in res.live("aws_s3_bucket_versioning")
	count(res.blocks(v, "versioning_configuration")) == 0
	not res.is_undecided(v, ["versioning_configuration"])
	finding := {"rule": "S3-004", "address": res.address(v), "attribute": "versioning_configuration.status", "observed": null}
}

# METADATA
# title: S3 bucket policies deny requests without TLS
# description: |
#   Each bucket needs an aws_s3_bucket_policy with a Deny statement for every principal when
#   aws:SecureTransport is false (Condition Bool). A policy whose document is unknown until
#   apply is not judged.
# custom:
#   id: S3-005
#   severity: medium
#   enforcement: mandatory
#   controls: [FSBP S3.5, CIS 2.1.1, SOC 2 CC6.7]
#   remediation: Add a bucket policy statement with Effect Deny, Principal "*", Action "s3:*", Resource the bucket and its objects, and the condition Bool aws:SecureTransport = "false".
#   message: "{address} does not deny requests made without TLS ({observed})."
#   resource_types: [aws_s3_bucket, aws_s3_bucket_policy, aws_iam_policy_document]
#   sources: both
deny contains finding if {
	some bucket in res.live("aws_s3_bucket")
	not covered(_tls_policy_keys, bucket)
	not covered(_undecided_policy_keys, bucket)
	finding := {"rule": "S3-005", "address": res.address(bucket), "attribute": "policy", "observed": _policy_state(bucket)}
}

_policy_state(bucket) := "bucket policy without a TLS-only statement" if {
	covered(companions.aws_s3_bucket_policy, bucket)
} else := "no bucket policy"

# Keys of the buckets whose policy denies insecure transport.
_tls_policy_keys := {k |
	some p in res.live("aws_s3_bucket_policy")
	_tls_only(p)
	some k in companion_keys(p, "bucket")
}

# Keys of the buckets with a policy that cannot be read before apply.
_undecided_policy_keys := {k |
	some p in res.live("aws_s3_bucket_policy")
	not iam.has_document(p, ["policy"])
	res.is_undecided(p, ["policy"])
	some k in companion_keys(p, "bucket")
}

_tls_only(p) if {
	some s in iam.attribute_statements(p, "policy")
	_denies_insecure_transport(s)
}

_denies_insecure_transport(s) if {
	s.effect == "Deny"
	iam.is_public_principal(s)
	some a in s.actions
	a in {"*", "s3:*"}
	some c in s.conditions
	lower(c.test) == "bool"
	lower(c.variable) == "aws:securetransport"
	"false" in c.values
}

# METADATA
# title: Production S3 buckets have access logging
# description: |
#   In production (environment tier prod) each bucket needs an aws_s3_bucket_logging. Buckets
#   that are themselves the target of access logging are exempt: logging a log bucket into
#   itself loops.
# custom:
#   id: S3-006
#   severity: medium
#   enforcement: mandatory
#   controls: [FSBP S3.9, CIS 3.6, SOC 2 CC7.2]
#   remediation: Add an aws_s3_bucket_logging for the bucket with target_bucket set to the environment's access-log bucket.
#   message: "{address} has no server access logging in production."
#   resource_types: [aws_s3_bucket, aws_s3_bucket_logging]
#   sources: both
deny contains finding if {
	res.is_prod
	some bucket in res.live("aws_s3_bucket")
	not covered(companions.aws_s3_bucket_logging, bucket)
	not covered(_log_target_keys, bucket)
	finding := {"rule": "S3-006", "address": res.address(bucket), "attribute": null, "observed": null}
}

# Keys of the buckets that receive access logs.
_log_target_keys := {k |
	some l in res.live("aws_s3_bucket_logging")
	_attribute_decided(l, "target_bucket")
	some k in companion_keys(l, "target_bucket")
}

# METADATA
# title: S3 buckets grant nothing through public ACLs
# description: |
#   No canned ACL public-read, public-read-write or authenticated-read (aws_s3_bucket_acl.acl or
#   the legacy aws_s3_bucket.acl), and no ACL grant to the AllUsers or AuthenticatedUsers groups.
# custom:
#   id: S3-007
#   severity: critical
#   enforcement: mandatory
#   controls: [FSBP S3.2, FSBP S3.3, FSBP S3.12, SOC 2 CC6.1]
#   remediation: Remove the public ACL; with ownership controls BucketOwnerEnforced ACLs are disabled altogether. Share data through CloudFront or presigned URLs.
#   message: "{address} grants public access through an ACL ({attribute}: {observed})."
#   resource_types: [aws_s3_bucket, aws_s3_bucket_acl]
#   sources: both
deny contains finding if {
	some t in ["aws_s3_bucket_acl", "aws_s3_bucket"]
	some r in res.live(t)
	acl := res.known(r, ["acl"])
	acl in public_canned_acls
	finding := {"rule": "S3-007", "address": res.address(r), "attribute": "acl", "observed": acl}
}

deny contains finding if {
	some r in res.live("aws_s3_bucket_acl")
	some policy in res.blocks(r, "access_control_policy")
	some grant in res.sub_blocks(policy, "grant")
	some grantee in res.sub_blocks(grant, "grantee")
	grantee.uri in public_grantee_uris
	finding := {"rule": "S3-007", "address": res.address(r), "attribute": "access_control_policy.grant.grantee.uri", "observed": grantee.uri}
}

# METADATA
# title: S3 buckets enforce bucket-owner object ownership
# description: |
#   Each bucket needs an aws_s3_bucket_ownership_controls with object_ownership
#   BucketOwnerEnforced, which disables ACLs so access is governed by policies alone.
# custom:
#   id: S3-008
#   severity: medium
#   enforcement: mandatory
#   controls: [FSBP S3.12, SOC 2 CC6.1]
#   remediation: Add an aws_s3_bucket_ownership_controls for the bucket with rule.object_ownership = "BucketOwnerEnforced".
#   message: "{address} does not enforce bucket-owner object ownership ({attribute}: {observed})."
#   resource_types: [aws_s3_bucket, aws_s3_bucket_ownership_controls]
#   sources: both
deny contains finding if {
	some bucket in res.live("aws_s3_bucket")
	not covered(companions.aws_s3_bucket_ownership_controls, bucket)
	finding := {"rule": "S3-008", "address": res.address(bucket), "attribute": "rule.object_ownership", "observed": null}
}

deny contains finding if {
	some oc in res.live("aws_s3_bucket_ownership_controls")
	some i, rule in res.as_array(res.raw(oc, ["rule"]))
	is_object(rule)
	ownership := object.get(rule, "object_ownership", null)
	ownership != "BucketOwnerEnforced"
	not res.is_reference(ownership)
	not res.is_unknown(oc, ["rule", i, "object_ownership"])
	finding := {"rule": "S3-008", "address": res.address(oc), "attribute": "rule.object_ownership", "observed": ownership}
}

# METADATA
# title: S3 bucket policies do not allow anonymous access
# description: |
#   No Allow statement in an aws_s3_bucket_policy may name the principal "*" (or {"AWS": "*"})
#   without a condition that narrows it (for example aws:SourceVpce or aws:PrincipalOrgID).
# custom:
#   id: S3-009
#   severity: critical
#   enforcement: mandatory
#   controls: [FSBP S3.2, FSBP S3.3, FSBP S3.6, SOC 2 CC6.1]
#   remediation: Name the principals that need access, or add a condition such as aws:PrincipalOrgID or aws:SourceVpce to the statement.
#   message: "{address} allows anonymous access in its bucket policy (statement {observed})."
#   resource_types: [aws_s3_bucket_policy, aws_iam_policy_document]
#   sources: both
deny contains finding if {
	some p in res.live("aws_s3_bucket_policy")
	some s in iam.attribute_statements(p, "policy")
	iam.allows(s)
	iam.is_public_principal(s)
	not iam.is_conditioned(s)
	finding := {"rule": "S3-009", "address": res.address(p), "attribute": "policy", "observed": s.sid}
}

# METADATA
# title: Production buckets cannot be destroyed with their data
# description: |
#   force_destroy = true lets a destroy or replacement delete every object in the bucket without
#   a separate step. Not allowed in production.
# custom:
#   id: S3-010
#   severity: high
#   enforcement: mandatory
#   controls: [SOC 2 A1.2, SOC 2 CC8.1]
#   remediation: Remove force_destroy (default false) from production buckets; empty a bucket deliberately before removing it.
#   message: "{address} sets force_destroy = {observed} in production."
#   resource_types: [aws_s3_bucket]
#   sources: both
deny contains finding if {
	res.is_prod
	some bucket in res.live("aws_s3_bucket")
	v := res.known(bucket, ["force_destroy"])
	v in {true, "true"}
	finding := {"rule": "S3-010", "address": res.address(bucket), "attribute": "force_destroy", "observed": v}
}
