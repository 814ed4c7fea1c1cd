# METADATA
# title: RDS guardrails
# description: |
#   Encryption, exposure, backups, deletion protection, availability, authentication and
#   master passwords of aws_db_instance and aws_rds_cluster. Production rules apply when the
#   environment tier is "prod" (see lib.resources.is_prod).
package baseplate.rules.rds

import rego.v1

import data.baseplate.lib.resources as res

_is_true(true)

_is_true("true")

# _not_true(r, path) holds when the value at path is decided and not true (unset included).
_not_true(r, path) if {
	not res.is_undecided(r, path)
	not _is_true(res.raw(r, path))
}

_replica(r) if res.raw(r, ["replicate_source_db"]) != null

_replica(r) if res.is_unknown(r, ["replicate_source_db"])

_serverless_v1(r) if res.raw(r, ["engine_mode"]) == "serverless"
