package baseplate.rules.rds

import rego.v1

import data.baseplate.lib.resources as res

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
