package baseplate.rules.rds

import rego.v1

import data.baseplate.lib.resources as res

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
