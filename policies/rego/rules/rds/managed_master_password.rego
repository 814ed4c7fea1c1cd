package baseplate.rules.rds

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: RDS master passwords are managed by Secrets Manager
# description: |
#   aws_db_instance must not set password (or password_wo) and aws_rds_cluster must not set
#   master_password (or master_password_wo), whether literal, referenced or unknown: use
#   manage_master_user_password = true so RDS keeps the password in Secrets Manager and
#   rotates it. The observed value is never reported.
# custom:
#   id: RDS-007
#   severity: high
#   enforcement: mandatory
#   controls: [SOC 2 CC6.1]
#   remediation: Remove the password argument and set manage_master_user_password = true (optionally master_user_secret_kms_key_id).
#   message: "{address} sets {attribute}; let RDS manage the master password in Secrets Manager (manage_master_user_password = true)."
#   resource_types: [aws_db_instance, aws_rds_cluster]
#   sources: both
deny contains finding if {
	some t, attrs in _password_attributes
	some r in res.live(t)
	some attr in attrs
	_is_set(r, attr)
	finding := {"rule": "RDS-007", "address": res.address(r), "attribute": attr, "observed": null}
}

_password_attributes := {
	"aws_db_instance": ["password", "password_wo"],
	"aws_rds_cluster": ["master_password", "master_password_wo"],
}

_is_set(r, attr) if res.raw(r, [attr]) != null

_is_set(r, attr) if res.is_unknown(r, [attr])
