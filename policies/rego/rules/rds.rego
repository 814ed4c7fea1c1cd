# METADATA
# title: RDS guardrails
# description: |
#   Encryption, exposure, backups, deletion protection, availability, authentication and
#   master passwords of aws_db_instance and aws_rds_cluster. Production rules apply when the
#   environment tier is "prod" (see lib.resources.is_prod).
package baseplate.rules.rds

import rego.v1

import data.baseplate.lib.resources as res

# Minimum automated backup retention in days, by tier.
min_retention_prod := 7

min_retention_other := 1

# Engines that support IAM database authentication.
iam_auth_engines := {"mysql", "mariadb", "postgres", "aurora", "aurora-mysql", "aurora-postgresql"}

# METADATA
# title: RDS storage is encrypted
# description: |
#   aws_db_instance and aws_rds_cluster must set storage_encrypted = true. Read replicas
#   (replicate_source_db) inherit the source's encryption and Aurora Serverless v1 clusters are
#   always encrypted, so both are exempt.
# custom:
#   id: RDS-001
#   severity: high
#   enforcement: mandatory
#   controls: [FSBP RDS.3, FSBP RDS.27, CIS 2.3.1, SOC 2 CC6.1]
#   remediation: Set storage_encrypted = true (and kms_key_id to the data key); an existing unencrypted database must be restored from an encrypted snapshot copy.
#   message: "{address} does not encrypt its storage ({attribute} = {observed})."
#   resource_types: [aws_db_instance, aws_rds_cluster]
#   sources: both
deny contains finding if {
	some t in ["aws_db_instance", "aws_rds_cluster"]
	some r in res.live(t)
	not _replica(r)
	not _serverless_v1(r)
	_not_true(r, ["storage_encrypted"])
	finding := {"rule": "RDS-001", "address": res.address(r), "attribute": "storage_encrypted", "observed": res.raw(r, ["storage_encrypted"])}
}

# METADATA
# title: RDS instances are not publicly accessible
# description: aws_db_instance and aws_rds_cluster_instance must not set publicly_accessible = true.
# custom:
#   id: RDS-002
#   severity: critical
#   enforcement: mandatory
#   controls: [FSBP RDS.2, CIS 2.3.3, SOC 2 CC6.6]
#   remediation: Remove publicly_accessible (it defaults to false) and reach the database from private subnets only.
#   message: "{address} is publicly accessible."
#   resource_types: [aws_db_instance, aws_rds_cluster_instance]
#   sources: both
deny contains finding if {
	some t in ["aws_db_instance", "aws_rds_cluster_instance"]
	some r in res.live(t)
	_is_true(res.known(r, ["publicly_accessible"]))
	finding := {"rule": "RDS-002", "address": res.address(r), "attribute": "publicly_accessible", "observed": res.raw(r, ["publicly_accessible"])}
}

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

# METADATA
# title: Production databases have deletion protection
# description: In prod, aws_db_instance and aws_rds_cluster must set deletion_protection = true.
# custom:
#   id: RDS-004
#   severity: medium
#   enforcement: mandatory
#   controls: [FSBP RDS.7, FSBP RDS.8, SOC 2 A1.2]
#   remediation: Set deletion_protection = true; turn it off in a reviewed change before an intended deletion.
#   message: "{address} is a production database without deletion protection."
#   resource_types: [aws_db_instance, aws_rds_cluster]
#   sources: both
deny contains finding if {
	res.is_prod
	some t in ["aws_db_instance", "aws_rds_cluster"]
	some r in res.live(t)
	_not_true(r, ["deletion_protection"])
	finding := {"rule": "RDS-004", "address": res.address(r), "attribute": "deletion_protection", "observed": res.raw(r, ["deletion_protection"])}
}

# METADATA
# title: Production databases span several Availability Zones
# description: |
#   In prod, aws_db_instance must set multi_az = true (read replicas exempt), and an Aurora
#   aws_rds_cluster must have at least two aws_rds_cluster_instance resources referencing it
#   (a numeric count on one instance resource counts as that many). Aurora Serverless v1 and
#   Multi-AZ DB clusters (db_cluster_instance_class) span zones by design.
# custom:
#   id: RDS-005
#   severity: medium
#   enforcement: mandatory
#   controls: [FSBP RDS.5, FSBP RDS.15, SOC 2 A1.2]
#   remediation: Set multi_az = true on the instance, or add a second cluster instance (a reader) in another Availability Zone.
#   message: "{address} is a production database in a single Availability Zone ({attribute} = {observed})."
#   resource_types: [aws_db_instance, aws_rds_cluster, aws_rds_cluster_instance]
#   sources: both
deny contains finding if {
	res.is_prod
	some r in res.live("aws_db_instance")
	not _replica(r)
	_not_true(r, ["multi_az"])
	finding := {"rule": "RDS-005", "address": res.address(r), "attribute": "multi_az", "observed": res.raw(r, ["multi_az"])}
}

deny contains finding if {
	res.is_prod
	some c in res.live("aws_rds_cluster")
	_aurora_provisioned(c)
	n := _cluster_instance_count(c)
	n < 2
	finding := {"rule": "RDS-005", "address": res.address(c), "attribute": "aws_rds_cluster_instance", "observed": n}
}

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

# --- helpers -----------------------------------------------------------------------------

_is_true(v) if v == true

_is_true(v) if v == "true"

# _not_true(r, path) holds when the value at path is decided and not true (unset included).
_not_true(r, path) if {
	not res.is_undecided(r, path)
	not _is_true(res.raw(r, path))
}

_is_set(r, attr) if res.raw(r, [attr]) != null

_is_set(r, attr) if res.is_unknown(r, [attr])

_replica(r) if res.raw(r, ["replicate_source_db"]) != null

_replica(r) if res.is_unknown(r, ["replicate_source_db"])

_serverless_v1(r) if res.raw(r, ["engine_mode"]) == "serverless"

_engine(r) := lower(e) if {
	e := res.known(r, ["engine"])
	is_string(e)
}

_min_retention := min_retention_prod if res.is_prod

_min_retention := min_retention_other if not res.is_prod

# _retention_ok(v): v (a number or numeric string; unset reads as the AWS default 1) is at
# least the tier minimum.
_retention_ok(v) if {
	v == null
	1 >= _min_retention
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

# _aurora_provisioned(c) holds for an Aurora cluster whose instances are separate resources.
_aurora_provisioned(c) if {
	not _serverless_v1(c)
	res.raw(c, ["db_cluster_instance_class"]) == null
	not res.is_unknown(c, ["db_cluster_instance_class"])
	_aurora_engine(res.raw(c, ["engine"]))
}

_aurora_engine(e) if e == null

_aurora_engine(e) if {
	is_string(e)
	startswith(lower(e), "aurora")
}

# _cluster_instance_count(c) is the number of cluster instances that reference cluster c.
_cluster_instance_count(c) := sum([n |
	some i in res.referrers("aws_rds_cluster_instance", c)
	n := _instances(i)
])

_instances(i) := n if {
	n := res.raw(i, ["count"])
	is_number(n)
} else := 2 if {
	# a count or for_each that is a reference cannot be counted; do not report it
	res.is_reference(res.raw(i, ["count"]))
} else := 2 if {
	res.raw(i, ["for_each"]) != null
} else := 1
