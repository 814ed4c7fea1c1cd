package baseplate.rules.certificates

import rego.v1

import data.baseplate.lib.resources as res

# METADATA
# title: ACM certificates use DNS validation
# description: |
#   A requested aws_acm_certificate must set validation_method = "DNS". Imported certificates
#   (certificate_body) and private CA certificates (certificate_authority_arn) are exempt.
# custom:
#   id: CERT-001
#   severity: medium
#   enforcement: mandatory
#   controls: [FSBP ACM.1, SOC 2 A1.1]
#   remediation: Set validation_method = "DNS" and publish the validation records (the certificate construct does both), so ACM renews the certificate automatically.
#   message: "{address} uses validation_method = {observed}; use DNS so the certificate renews automatically."
#   resource_types: [aws_acm_certificate]
#   sources: both
deny contains finding if {
	some c in res.live("aws_acm_certificate")
	not _imported_or_private(c)
	not res.is_undecided(c, ["validation_method"])
	v := res.raw(c, ["validation_method"])
	not _is_dns(v)
	finding := {"rule": "CERT-001", "address": res.address(c), "attribute": "validation_method", "observed": v}
}

_is_dns(v) if {
	is_string(v)
	upper(trim_space(v)) == "DNS"
}

_imported_or_private(c) if {
	some attr in ["certificate_body", "private_key", "certificate_authority_arn"]
	res.raw(c, [attr]) != null
}

_imported_or_private(c) if {
	some attr in ["certificate_body", "private_key", "certificate_authority_arn"]
	res.is_unknown(c, [attr])
}
