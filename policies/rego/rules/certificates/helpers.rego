# METADATA
# title: Certificate guardrails
# description: |
#   ACM certificates validate through DNS (so they renew on their own) and carry an expiry
#   alarm on the AWS/CertificateManager DaysToExpiry metric.
package baseplate.rules.certificates

import rego.v1
