package baseplate.rules.backup

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: Production backup vaults are locked
# description: |
#   In prod, every aws_backup_vault needs an aws_backup_vault_lock_configuration that
#   references it or whose known backup_vault_name equals the vault's known name.
# custom:
#   id: BAK-003
#   severity: medium
#   enforcement: mandatory
#   controls: [SOC 2 A1.2, SOC 2 CC6.1]
#   remediation: Add an aws_backup_vault_lock_configuration for the vault with min_retention_days matching the backup plan (the backup baseline does this in prod).
#   message: "{address} is a production backup vault without a vault lock."
#   resource_types: [aws_backup_vault, aws_backup_vault_lock_configuration]
#   sources: both
deny contains finding if {
	res.is_prod
	some v in res.live("aws_backup_vault")
	not _locked(v)
	finding := {"rule": "BAK-003", "address": res.address(v), "attribute": null, "observed": null}
}

_locked(v) if res.referenced_by("aws_backup_vault_lock_configuration", v)

_locked(v) if {
	name := res.known(v, ["name"])
	is_string(name)
	_locked_names[name]
}

# Known vault names the lock configurations name, collected once.
_locked_names contains name if {
	some l in res.live("aws_backup_vault_lock_configuration")
	name := res.known(l, ["backup_vault_name"])
	is_string(name)
}
