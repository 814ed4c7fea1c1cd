# METADATA
# title: S3 guardrails
# description: |
#   Buckets are private, encrypted with KMS, versioned, TLS-only, owner-enforced and, in
#   production, access-logged. A bucket's companion resources (public access block, versioning,
#   encryption, policy, logging, ownership controls) are attached to it by reference (synth and
#   plan) or by the same known bucket name (plan, or literal names in synth).
package baseplate.rules.s3

import rego.v1

import data.baseplate.lib.resources as res

public_access_flags := ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]

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

# Keys of the buckets that receive access logs.
_log_target_keys := {k |
	some l in res.live("aws_s3_bucket_logging")
	_attribute_decided(l, "target_bucket")
	some k in companion_keys(l, "target_bucket")
}
