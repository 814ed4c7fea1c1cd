# METADATA
# title: Naming guardrails
# description: |
#   Physical names follow `<org>-<environment>-<service>-<name>[-<qualifier>...]`, lowercase
#   (modules/src/baseline/naming.ts), fit the service's length limit, and are set explicitly.
#   Checked types and attributes: rego/lib/naming.rego (named_types).
package baseplate.rules.naming

import rego.v1
