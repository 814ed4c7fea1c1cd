package baseplate.rules.kms

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: Symmetric KMS keys rotate automatically
# description: |
#   Every aws_kms_key with the SYMMETRIC_DEFAULT spec and ENCRYPT_DECRYPT usage (the defaults)
#   sets enable_key_rotation = true. Rotation is off when the attribute is absent. Asymmetric
#   and HMAC keys cannot rotate automatically and are not judged.
# custom:
#   id: KMS-001
#   severity: medium
#   enforcement: mandatory
#   controls: [FSBP KMS.4, CIS 3.6, SOC 2 CC6.1]
#   remediation: Set enable_key_rotation = true (and optionally rotation_period_in_days) on the key.
#   message: "{address} does not rotate its key material (enable_key_rotation = {observed})."
#   resource_types: [aws_kms_key]
#   sources: both
deny contains finding if {
	some k in res.live("aws_kms_key")
	_symmetric(k)
	not _rotates(k)
	not res.is_undecided(k, ["enable_key_rotation"])
	finding := {"rule": "KMS-001", "address": res.address(k), "attribute": "enable_key_rotation", "observed": res.raw(k, ["enable_key_rotation"])}
}

_symmetric(k) if {
	spec := object.get(res.values(k), "customer_master_key_spec", null)
	spec in {null, "SYMMETRIC_DEFAULT"}
	usage := object.get(res.values(k), "key_usage", null)
	usage in {null, "ENCRYPT_DECRYPT"}
}

_rotates(k) if res.known(k, ["enable_key_rotation"]) in {true, "true"}
