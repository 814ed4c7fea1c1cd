# METADATA
# title: Secret-handling guardrails
# description: |
#   No plaintext secrets in resource arguments. A literal is a value written into the
#   configuration: a number or non-empty string that is not a ${...} reference. Literals can
#   only be told apart from resolved references in synthesized configuration, so the literal
#   rules (SEC-001, SEC-003) read synth input only; a Terraform plan shows every value resolved.
#   Findings never echo a secret value.
package baseplate.rules.secrets

import rego.v1

# A name that looks like it holds a secret: one of these words anywhere ...
secret_name_anywhere := `(?i)(secret|passw(or)?d|passphrase|credential)`

# ... or one of these at the end, as its own segment.
secret_name_suffix := `(?i)(^|[_.\-/])(token|key|api_?key|pwd|pass)$`

# ... or a camelCase name ending in one of them (githubToken, stripeKey).
secret_name_camel := `[a-z0-9](Token|Key|ApiKey|Pwd|Pass)$`

# Names that point at a secret rather than hold it.
secret_pointer_suffix := `(?i)[_.\-/](arn|name|id|path|param|parameter|ref|version|ttl)$`

_literal(v) if is_number(v)

_literal(v) if {
	is_string(v)
	trim_space(v) != ""
	not contains(v, "${")
}

_secret_name(name) if {
	is_string(name)
	not regex.match(secret_pointer_suffix, name)
	regex.match(secret_name_anywhere, name)
}

_secret_name(name) if {
	is_string(name)
	not regex.match(secret_pointer_suffix, name)
	regex.match(secret_name_suffix, name)
}

_secret_name(name) if {
	is_string(name)
	not regex.match(secret_pointer_suffix, name)
	regex.match(secret_name_camel, name)
}
