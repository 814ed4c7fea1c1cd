package baseplate.rules.backup

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: Backup vaults use a customer managed KMS key
# description: aws_backup_vault must set kms_key_arn.
# custom:
#   id: BAK-002
#   severity: medium
#   enforcement: mandatory
#   controls: [FSBP Backup.1, SOC 2 CC6.1]
#   remediation: Set kms_key_arn to the environment's backup key.
#   message: "{address} does not set a customer managed KMS key (kms_key_arn)."
#   resource_types: [aws_backup_vault]
#   sources: both
deny contains finding if {
	some v in res.live("aws_backup_vault")
	_missing(v, "kms_key_arn")
	finding := {"rule": "BAK-002", "address": res.address(v), "attribute": "kms_key_arn", "observed": res.raw(v, ["kms_key_arn"])}
}

_missing(r, attr) if res.is_unset(r, [attr])

_missing(r, attr) if res.raw(r, [attr]) == ""
