package baseplate.rules.certificates_test

import rego.v1

import data.baseplate.lib.testing_test as testing
import data.baseplate.rules.certificates

test_cases if testing.all_pass("certificates")

test_validation_finding_reports_the_method if {
	cert := {"address": "aws_acm_certificate.c", "type": "aws_acm_certificate", "values": {"domain_name": "x", "validation_method": "EMAIL"}}
	alarm := {"address": "aws_cloudwatch_metric_alarm.a", "type": "aws_cloudwatch_metric_alarm", "values": {
		"metric_name": "DaysToExpiry",
		"namespace": "AWS/CertificateManager",
		"dimensions": {"CertificateArn": "${aws_acm_certificate.c.arn}"},
	}}
	findings := certificates.deny with input as {"resources": {"aws_acm_certificate": [cert], "aws_cloudwatch_metric_alarm": [alarm]}}
	findings == {{"rule": "CERT-001", "address": "aws_acm_certificate.c", "attribute": "validation_method", "observed": "EMAIL"}}
}

test_synth_alarm_referencing_certificate_elsewhere_does_not_count if {
	cert := {"address": "aws_acm_certificate.c", "type": "aws_acm_certificate", "values": {"validation_method": "DNS"}}
	alarm := {
		"address": "aws_cloudwatch_metric_alarm.a",
		"type": "aws_cloudwatch_metric_alarm",
		"values": {"metric_name": "DaysToExpiry", "namespace": "AWS/CertificateManager", "alarm_description": "${aws_acm_certificate.c.domain_name}"},
		"references": ["aws_acm_certificate.c"],
	}
	findings := certificates.deny with input as {"source": "synth", "resources": {"aws_acm_certificate": [cert], "aws_cloudwatch_metric_alarm": [alarm]}}
	findings == {{"rule": "CERT-002", "address": "aws_acm_certificate.c", "attribute": null, "observed": null}}
}
