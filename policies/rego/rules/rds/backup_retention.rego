package baseplate.rules.rds

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: RDS automated backups are retained long enough
# description: |
#   backup_retention_period must be at least 7 days in prod and at least 1 day elsewhere. An
#   unset value is read as the AWS default of 1 day. Read replicas are exempt.
# custom:
#   id: RDS-003
#   severity: high
#   enforcement: mandatory
#   controls: [FSBP RDS.11, SOC 2 A1.2]
#   remediation: Set backup_retention_period to 7 or more in prod (1 or more elsewhere); the database construct's tier defaults do this.
#   message: "{address} sets backup_retention_period = {observed} (unset means 1 day); keep automated backups for at least 7 days in prod and 1 day elsewhere."
#   resource_types: [aws_db_instance, aws_rds_cluster]
#   sources: both
deny contains finding if {
	some t in ["aws_db_instance", "aws_rds_cluster"]
	some r in res.live(t)
	not _replica(r)
	not res.is_undecided(r, ["backup_retention_period"])
	not _retention_ok(res.raw(r, ["backup_retention_period"]))
	finding := {"rule": "RDS-003", "address": res.address(r), "attribute": "backup_retention_period", "observed": res.raw(r, ["backup_retention_period"])}
}

# Minimum automated backup retention in days, by tier.
min_retention_prod := 7

min_retention_other := 1

_min_retention := min_retention_prod if res.is_prod

_min_retention := min_retention_other if not res.is_prod

# _retention_ok(v): v (a number or numeric string; unset reads as the AWS default 1) is at
# least the tier minimum.
_retention_ok(v) if {
	v == null
	_min_retention <= 1
}

_retention_ok(v) if {
	is_number(v)
	v >= _min_retention
}

_retention_ok(v) if {
	is_string(v)
	regex.match(`^\s*[0-9]+\s*$`, v)
	to_number(trim_space(v)) >= _min_retention
}
