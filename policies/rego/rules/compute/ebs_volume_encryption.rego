package baseplate.rules.compute

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: EBS volumes are encrypted
# description: aws_ebs_volume must set encrypted = true, unless the stack enables aws_ebs_encryption_by_default.
# custom:
#   id: EC2-003
#   severity: high
#   enforcement: mandatory
#   controls: [FSBP EC2.3, FSBP EC2.7, CIS 2.2.1, SOC 2 CC6.1]
#   remediation: Set encrypted = true (and kms_key_id); an existing volume must be replaced from an encrypted snapshot copy.
#   message: "{address} is not encrypted ({attribute} = {observed})."
#   resource_types: [aws_ebs_volume, aws_ebs_encryption_by_default]
#   sources: both
deny contains finding if {
	not _encryption_by_default
	some v in res.live("aws_ebs_volume")
	not res.is_undecided(v, ["encrypted"])
	not _is_true(res.raw(v, ["encrypted"]))
	finding := {"rule": "EC2-003", "address": res.address(v), "attribute": "encrypted", "observed": res.raw(v, ["encrypted"])}
}
