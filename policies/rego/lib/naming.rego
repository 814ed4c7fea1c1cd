# METADATA
# title: Naming helpers
# description: |
#   The naming convention `<org>-<environment>-<service>-<name>[-<qualifier>...]`, lowercase
#   (modules/src/baseline/naming.ts). The environment and service segments come from the
#   resource's effective Environment and Service tags, else the stack's environment name.
package baseplate.lib.naming

import rego.v1

import data.baseplate.lib.resources as res
import data.baseplate.lib.tags

# Named resource types: the attribute holding the physical name, its optional prefix
# attribute, the longest name AWS accepts, and a fixed prefix or suffix AWS adds.
named_types := {
	"aws_s3_bucket": {"attr": "bucket", "prefix_attr": "bucket_prefix", "max": 63, "strip_prefix": "", "strip_suffix": ""},
	"aws_iam_role": {"attr": "name", "prefix_attr": "name_prefix", "max": 64, "strip_prefix": "", "strip_suffix": ""},
	"aws_iam_policy": {"attr": "name", "prefix_attr": "name_prefix", "max": 128, "strip_prefix": "", "strip_suffix": ""},
	"aws_db_instance": {"attr": "identifier", "prefix_attr": "identifier_prefix", "max": 63, "strip_prefix": "", "strip_suffix": ""},
	"aws_rds_cluster": {"attr": "cluster_identifier", "prefix_attr": "cluster_identifier_prefix", "max": 63, "strip_prefix": "", "strip_suffix": ""},
	"aws_lambda_function": {"attr": "function_name", "prefix_attr": "", "max": 64, "strip_prefix": "", "strip_suffix": ""},
	"aws_sqs_queue": {"attr": "name", "prefix_attr": "name_prefix", "max": 80, "strip_prefix": "", "strip_suffix": ".fifo"},
	"aws_sns_topic": {"attr": "name", "prefix_attr": "name_prefix", "max": 256, "strip_prefix": "", "strip_suffix": ".fifo"},
	"aws_dynamodb_table": {"attr": "name", "prefix_attr": "", "max": 255, "strip_prefix": "", "strip_suffix": ""},
	"aws_kms_alias": {"attr": "name", "prefix_attr": "name_prefix", "max": 256, "strip_prefix": "alias/", "strip_suffix": ""},
	"aws_lb": {"attr": "name", "prefix_attr": "name_prefix", "max": 32, "strip_prefix": "", "strip_suffix": ""},
	"aws_alb": {"attr": "name", "prefix_attr": "name_prefix", "max": 32, "strip_prefix": "", "strip_suffix": ""},
	"aws_lb_target_group": {"attr": "name", "prefix_attr": "name_prefix", "max": 32, "strip_prefix": "", "strip_suffix": ""},
	"aws_ecs_cluster": {"attr": "name", "prefix_attr": "", "max": 255, "strip_prefix": "", "strip_suffix": ""},
	"aws_ecs_service": {"attr": "name", "prefix_attr": "", "max": 255, "strip_prefix": "", "strip_suffix": ""},
	"aws_secretsmanager_secret": {"attr": "name", "prefix_attr": "name_prefix", "max": 512, "strip_prefix": "", "strip_suffix": ""},
	"aws_backup_vault": {"attr": "name", "prefix_attr": "", "max": 50, "strip_prefix": "", "strip_suffix": ""},
	"aws_backup_plan": {"attr": "name", "prefix_attr": "", "max": 50, "strip_prefix": "", "strip_suffix": ""},
	"aws_elasticache_replication_group": {"attr": "replication_group_id", "prefix_attr": "", "max": 40, "strip_prefix": "", "strip_suffix": ""},
}

# named_resources is one entry per live resource of a named type, computed once per
# evaluation: {"type", "spec", "resource", "env", "service"}, where env and service are the
# segments the name must carry (null when unknown). An array: sets of large objects are slow
# in OPA-Wasm.
named_resources := [entry(type, spec, r) |
	some type, spec in named_types
	some r in res.live(type)
]

entry(type, spec, r) := {
	"type": type,
	"spec": spec,
	"resource": r,
	"env": segments.env,
	"service": segments.service,
} if {
	segments := _segments(r)
}

# _segments(r) is {"env", "service"} for r: shared by every resource that only inherits a
# provider's default_tags (computed once per tag profile), else computed for r.
_segments(r) := _profile_segments[key] if {
	key := tags.profile_of(r)
} else := {"env": _env_or_null(r), "service": _service_or_null(r)}

_profile_segments := {key: {
	"env": _env_segment_of(object.get(p.known, "Environment", null)),
	"service": _slug_or_null(object.get(p.known, "Service", null)),
} |
	some key, p in tags.profiles
}

_env_segment_of(tag) := tag if {
	is_string(tag)
	_slug(tag)
} else := res.env_name if {
	_slug(res.env_name)
} else := null

_slug_or_null(v) := v if {
	is_string(v)
	_slug(v)
} else := null

_env_or_null(r) := e if {
	e := environment_segment(r)
} else := null

_service_or_null(r) := s if {
	s := service_segment(r)
} else := null

# environment_segment(r) is the environment segment a name must carry: the Environment tag,
# else the stack's environment name.
environment_segment(r) := e if {
	e := tags.value(r, "Environment")
	_slug(e)
} else := res.env_name if _slug(res.env_name)

# service_segment(r) is the service segment a name must carry (the Service tag).
service_segment(r) := s if {
	s := tags.value(r, "Service")
	_slug(s)
}

_slug(s) if regex.match(`^[a-z0-9]+(-[a-z0-9]+)*$`, s)

# body(name, spec) is the name without the fixed prefix/suffix AWS adds.
body(name, spec) := trim_suffix(trim_prefix(name, spec.strip_prefix), spec.strip_suffix) if spec.strip_suffix != ""

body(name, spec) := trim_prefix(name, spec.strip_prefix) if spec.strip_suffix == ""

# shape_ok(b) holds for lowercase, hyphen-separated names of at least four segments.
shape_ok(b) if regex.match(`^[a-z0-9]+(-[a-z0-9]+){3,}$`, b)

# expected_infix(e) is "-<env>-<service>-" or "-<env>-" for entry e: what must follow the org
# segment(s). Undefined when the environment is unknown.
expected_infix(e) := concat("", ["-", e.env, "-", e.service, "-"]) if {
	is_string(e.env)
	is_string(e.service)
}

expected_infix(e) := concat("", ["-", e.env, "-"]) if {
	is_string(e.env)
	e.service == null
}

# segments_ok(b, e) holds when name body b carries entry e's environment (and service) right
# after a non-empty org prefix, followed by a non-empty own name. Holds trivially when the
# environment is unknown.
segments_ok(b, e) if {
	infix := expected_infix(e)
	i := indexof(b, infix)
	i > 0
	count(b) > i + count(infix)
}

segments_ok(_, e) if e.env == null
