package baseplate.rules.rds

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: RDS uses IAM database authentication
# description: |
#   aws_db_instance and aws_rds_cluster with an engine that supports it (MySQL, MariaDB,
#   PostgreSQL, Aurora) should set iam_database_authentication_enabled = true.
# custom:
#   id: RDS-006
#   severity: low
#   enforcement: advisory
#   controls: [FSBP RDS.10, FSBP RDS.12, SOC 2 CC6.1]
#   remediation: Set iam_database_authentication_enabled = true and grant rds-db:connect to the application role.
#   message: "{address} does not enable IAM database authentication."
#   resource_types: [aws_db_instance, aws_rds_cluster]
#   sources: both
deny contains finding if {
	some t in ["aws_db_instance", "aws_rds_cluster"]
	some r in res.live(t)
	not _replica(r)
	_engine(r) in iam_auth_engines
	_not_true(r, ["iam_database_authentication_enabled"])
	finding := {"rule": "RDS-006", "address": res.address(r), "attribute": "iam_database_authentication_enabled", "observed": res.raw(r, ["iam_database_authentication_enabled"])}
}

# Engines that support IAM database authentication.
iam_auth_engines := {"mysql", "mariadb", "postgres", "aurora", "aurora-mysql", "aurora-postgresql"}

_engine(r) := lower(e) if {
	e := res.known(r, ["engine"])
	is_string(e)
}
