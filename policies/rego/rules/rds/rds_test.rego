package baseplate.rules.rds_test

import rego.v1

import data.baseplate.lib.testing_test as testing
import data.baseplate.rules.rds

test_cases if testing.all_pass("rds")

_db(values) := {"address": "aws_db_instance.db", "mode": "managed", "type": "aws_db_instance", "values": values}

_in(tier, resources) := {"source": "synth", "environment": {"name": tier, "tier": tier}, "resources": resources}

test_password_finding_never_echoes_the_secret if {
	db := _db({
		"storage_encrypted": true, "backup_retention_period": 1, "password": "hunter2hunter2", "engine": "mysql",
		"iam_database_authentication_enabled": true,
	})
	findings := rds.deny with input as _in("dev", {"aws_db_instance": [db]})
	findings == {{"rule": "RDS-007", "address": "aws_db_instance.db", "attribute": "password", "observed": null}}
}

test_retention_finding_reports_the_value if {
	db := _db({
		"storage_encrypted": true, "backup_retention_period": 3, "deletion_protection": true, "multi_az": true,
		"engine": "oracle-ee",
	})
	findings := rds.deny with input as _in("prod", {"aws_db_instance": [db]})
	findings == {{"rule": "RDS-003", "address": "aws_db_instance.db", "attribute": "backup_retention_period", "observed": 3}}
}

test_cluster_instance_count_is_reported if {
	cluster := {"address": "aws_rds_cluster.c", "type": "aws_rds_cluster", "values": {
		"storage_encrypted": true, "backup_retention_period": 7, "deletion_protection": true, "engine": "aurora-mysql",
		"iam_database_authentication_enabled": true,
	}}
	findings := rds.deny with input as _in("prod", {"aws_rds_cluster": [cluster]})
	findings == {{"rule": "RDS-005", "address": "aws_rds_cluster.c", "attribute": "aws_rds_cluster_instance", "observed": 0}}
}

test_cluster_instance_count_from_reference_is_not_judged if {
	cluster := {"address": "aws_rds_cluster.c", "type": "aws_rds_cluster", "values": {"engine": "aurora-mysql"}}
	inst := {"address": "aws_rds_cluster_instance.i", "type": "aws_rds_cluster_instance", "values": {"count": "${var.n}"}, "references": ["aws_rds_cluster.c"]}
	findings := rds.deny with input as _in("prod", {"aws_rds_cluster": [cluster], "aws_rds_cluster_instance": [inst]})
	not "RDS-005" in {f.rule | some f in findings}
}

test_cluster_instances_by_for_each_are_not_judged if {
	cluster := {"address": "aws_rds_cluster.c", "type": "aws_rds_cluster", "values": {"engine": "aurora-mysql"}}
	inst := {"address": "aws_rds_cluster_instance.i", "type": "aws_rds_cluster_instance", "values": {"for_each": "${toset(var.zones)}"}, "references": ["aws_rds_cluster.c"]}
	findings := rds.deny with input as _in("prod", {"aws_rds_cluster": [cluster], "aws_rds_cluster_instance": [inst]})
	not "RDS-005" in {f.rule | some f in findings}
}
