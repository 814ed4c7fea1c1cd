package baseplate.rules.s3

import rego.v1

import data.baseplate.lib.iam
import data.baseplate.lib.resources as res

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
#   remediation: >-
#     Add a bucket policy statement with Effect Deny, Principal "*", Action "s3:*", Resource the bucket and
#     its objects, and the condition Bool aws:SecureTransport = "false".
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
