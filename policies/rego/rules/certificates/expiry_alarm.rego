package baseplate.rules.certificates

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: ACM certificates have an expiry alarm
# description: |
#   Each aws_acm_certificate needs an aws_cloudwatch_metric_alarm on metric DaysToExpiry in
#   namespace AWS/CertificateManager whose CertificateArn dimension names the certificate
#   (a reference to it, or its known ARN), directly or inside a metric_query.
# custom:
#   id: CERT-002
#   severity: medium
#   enforcement: mandatory
#   controls: [FSBP ACM.1, SOC 2 A1.1, SOC 2 CC7.2]
#   remediation: Add a DaysToExpiry alarm (threshold 30 days, LessThanThreshold) with dimensions = { CertificateArn = <certificate arn> }; the certificate construct creates it.
#   message: "{address} has no DaysToExpiry alarm."
#   resource_types: [aws_acm_certificate, aws_cloudwatch_metric_alarm]
#   sources: both
deny contains finding if {
	some c in res.live("aws_acm_certificate")
	not _has_expiry_alarm(c)
	finding := {"rule": "CERT-002", "address": res.address(c), "attribute": null, "observed": null}
}

expiry_metric := "DaysToExpiry"

expiry_namespace := "AWS/CertificateManager"

# _has_expiry_alarm(c): an expiry alarm names c. What the alarms name is collected once into
# sets of keys, so each certificate costs a few hash lookups.
_has_expiry_alarm(c) if _expiry_tokens[res.address(c)]

_has_expiry_alarm(c) if {
	arn := res.known(c, ["arn"])
	is_string(arn)
	_expiry_arns[arn]
}

# In a plan an ARN not yet known is linked through the alarm's references.
_has_expiry_alarm(c) if {
	res.is_plan
	some k in res.address_keys(res.address(c))
	_expiry_references[k]
}

# _expiry_metrics is each DaysToExpiry metric of an alarm with its dimensions (an array: sets
# of large objects are slow in OPA-Wasm).
_expiry_metrics := [{"alarm": a, "dims": object.get(m, "dimensions", {})} |
	some a in res.live("aws_cloudwatch_metric_alarm")
	some m in _metrics(a)
	m.metric_name == expiry_metric
	m.namespace == expiry_namespace
]

# Addresses named in a `${<address>.<attribute>}` token of a CertificateArn dimension (synth).
_expiry_tokens contains addr if {
	some e in _expiry_metrics
	v := e.dims.CertificateArn
	is_string(v)
	some addr in res.token_addresses(v)
}

# Known CertificateArn dimensions.
_expiry_arns contains v if {
	some e in _expiry_metrics
	v := e.dims.CertificateArn
	is_string(v)
}

# References of the alarms whose CertificateArn dimension is not a string (unknown in a plan).
_expiry_references contains ref if {
	some e in _expiry_metrics
	not _dimension_string(e.dims)
	some ref in res.references(e.alarm)
}

# _metrics(a) is the alarm itself (single-metric form) and every metric of its metric_query.
_metrics(a) := array.concat([res.values(a)], [m |
	some q in res.blocks(a, "metric_query")
	some m in res.sub_blocks(q, "metric")
])

_dimension_string(dims) if is_string(dims.CertificateArn)
