package baseplate.rules.rds

import rego.v1

import data.baseplate.lib.resources as res

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
