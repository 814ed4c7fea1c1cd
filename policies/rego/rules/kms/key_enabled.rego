package baseplate.rules.kms

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: KMS keys are not created disabled
# description: |
#   An aws_kms_key with is_enabled = false cannot encrypt or decrypt; resources that depend on
#   it fail at runtime rather than at deploy time.
# custom:
#   id: KMS-004
#   severity: low
#   enforcement: advisory
#   controls: [FSBP KMS.3, SOC 2 A1.2]
#   remediation: Remove is_enabled = false, or remove the key if it is no longer used.
#   message: "{address} is disabled (is_enabled = {observed})."
#   resource_types: [aws_kms_key]
#   sources: both
deny contains finding if {
	some k in res.live("aws_kms_key")
	v := res.known(k, ["is_enabled"])
	v in {false, "false"}
	finding := {"rule": "KMS-004", "address": res.address(k), "attribute": "is_enabled", "observed": v}
}
