import { createHash } from "node:crypto";

/**
 * The naming convention: `<org>-<environment>-<service>-<name>[-<attribute>...]`, shaped per
 * resource type (length, charset, case). Over-long names are truncated deterministically with a
 * hash of the full name, so two different full names never truncate to the same result.
 */

/** Per-type rules for physical names. */
export interface NameRule {
  /** Maximum length AWS accepts. */
  readonly maxLength: number;
  /** Lower-case the name. */
  readonly lowercase: boolean;
  /** Characters allowed besides the delimiter; anything else is replaced by the delimiter. */
  readonly allowed: RegExp;
  /** Delimiter between parts. */
  readonly delimiter: string;
  /** Extra constraint the final name must satisfy. */
  readonly pattern: RegExp;
  /** Fixed prefix AWS requires (e.g. `alias/` for KMS aliases), counted in `maxLength`. */
  readonly prefix?: string;
  /** A start AWS reserves for its own ids (`sg-` for security groups); such a name gets `n-` in front. */
  readonly reservedStart?: string;
}

const LOWER_DNS = /^[a-z][a-z0-9-]*[a-z0-9]$/;
const rule = (maxLength: number, lowercase: boolean, allowed: RegExp, pattern: RegExp, prefix?: string): NameRule =>
  prefix === undefined ? { maxLength, lowercase, allowed, delimiter: "-", pattern } : { maxLength, lowercase, allowed, delimiter: "-", pattern, prefix };

/** Name rules by resource kind. Sources: the AWS service quotas and naming pages of each service. */
export const NAME_RULES = {
  /** S3: 3-63, lowercase letters, digits, hyphens; starts and ends with a letter or digit. */
  "s3-bucket": rule(63, true, /[a-z0-9]/, LOWER_DNS),
  /** IAM role: up to 64 of `[\w+=,.@-]`. */
  "iam-role": rule(64, false, /[A-Za-z0-9+=,.@_]/, /^[A-Za-z0-9+=,.@_-]+$/),
  /** IAM managed policy: up to 128 of `[\w+=,.@-]`. */
  "iam-policy": rule(128, false, /[A-Za-z0-9+=,.@_]/, /^[A-Za-z0-9+=,.@_-]+$/),
  /** RDS instance or cluster identifier: 1-63, starts with a letter, no double or trailing hyphen. */
  "rds-identifier": rule(63, true, /[a-z0-9]/, /^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$/),
  /** KMS alias: `alias/` + up to 250 of `[A-Za-z0-9/_-]`. */
  "kms-alias": rule(256, true, /[a-z0-9_/]/, /^alias\/[a-z0-9/_-]+$/, "alias/"),
  /** CloudWatch log group: up to 512 of `[.-_/#A-Za-z0-9]`. */
  "log-group": rule(512, true, /[a-z0-9_./#]/, /^[a-z0-9_./#-]+$/),
  /** SNS topic: up to 256 of `[A-Za-z0-9_-]`. */
  "sns-topic": rule(256, true, /[a-z0-9_]/, /^[a-z0-9_-]+$/),
  /** Load balancer and target group: up to 32, letters, digits, hyphens, no leading/trailing hyphen. */
  "load-balancer": rule(32, true, /[a-z0-9]/, LOWER_DNS),
  "target-group": rule(32, true, /[a-z0-9]/, LOWER_DNS),
  /** ECS cluster and service: up to 255 of `[A-Za-z0-9_-]`. */
  "ecs-cluster": rule(255, true, /[a-z0-9_]/, /^[a-z0-9_-]+$/),
  "ecs-service": rule(255, true, /[a-z0-9_]/, /^[a-z0-9_-]+$/),
  /** Backup vault and plan: up to 50 of `[A-Za-z0-9_-]`. */
  "backup-vault": rule(50, true, /[a-z0-9_]/, /^[a-z0-9_-]+$/),
  "backup-plan": rule(50, true, /[a-z0-9_]/, /^[a-z0-9_-]+$/),
  /** Secrets Manager secret: up to 512 of `[A-Za-z0-9/_+=.@-]`. */
  secret: rule(512, true, /[a-z0-9/_+=.@]/, /^[a-z0-9/_+=.@-]+$/),
  /** Security group name: up to 255; `sg-` prefix is reserved by AWS. */
  "security-group": { ...rule(255, true, /[a-z0-9_.]/, /^(?!sg-)[a-z0-9_.-]+$/), reservedStart: "sg-" },
  /** CloudWatch alarm and dashboard names. */
  alarm: rule(255, true, /[a-z0-9_.]/, /^[a-z0-9_.-]+$/),
  dashboard: rule(255, true, /[a-z0-9_]/, /^[a-z0-9_-]+$/),
  /** Lambda function: up to 64 of `[A-Za-z0-9_-]`. */
  lambda: rule(64, true, /[a-z0-9_]/, /^[a-z0-9_-]+$/),
  /** DynamoDB table: 3-255 of `[A-Za-z0-9_.-]`. */
  "dynamodb-table": rule(255, true, /[a-z0-9_.]/, /^[a-z0-9_.-]{3,}$/),
  /** Anything else: a conservative lowercase DNS-like label. */
  generic: rule(63, true, /[a-z0-9]/, LOWER_DNS),
} as const satisfies Record<string, NameRule>;

export type NameKind = keyof typeof NAME_RULES;

/** The parts of a name. */
export interface NameParts {
  /** Organisation prefix. */
  readonly org: string;
  /** Environment name. */
  readonly environment: string;
  /** Service (or `platform`/`network` for shared stacks). */
  readonly service: string;
  /** The resource's own name within the service, e.g. `invoices`. */
  readonly name: string;
  /** Extra qualifiers appended in order, e.g. `["logs"]`. @default [] */
  readonly attributes?: readonly string[];
}

const HASH_LENGTH = 8;

/** Short, stable hash of a string (hex). */
export function shortHash(value: string, length = HASH_LENGTH): string {
  return createHash("sha256").update(value).digest("hex").slice(0, length);
}

function sanitize(part: string, r: NameRule): string {
  const source = r.lowercase ? part.toLowerCase() : part;
  let out = "";
  for (const ch of source) out += r.allowed.test(ch) ? ch : r.delimiter;
  // Collapse delimiter runs and trim them from the ends.
  const d = r.delimiter;
  while (out.includes(d + d)) out = out.split(d + d).join(d);
  while (out.startsWith(d)) out = out.slice(d.length);
  while (out.endsWith(d)) out = out.slice(0, -d.length);
  return out;
}

function untruncatedBody(r: NameRule, parts: NameParts): string {
  const pieces = [parts.org, parts.environment, parts.service, parts.name, ...(parts.attributes ?? [])]
    .map((p) => sanitize(p, r))
    .filter((p) => p.length > 0);
  const body = pieces.join(r.delimiter);
  // Some types must start with a letter, and none may start the way AWS's own ids do.
  const reserved = r.reservedStart !== undefined && body.startsWith(r.reservedStart);
  return /^[a-z]/i.test(body) && !reserved ? body : `n${r.delimiter}${body}`;
}

/** The full name for `kind` before any truncation (without the type's prefix). */
export function untruncatedName(kind: NameKind, parts: NameParts): string {
  return untruncatedBody(NAME_RULES[kind], parts);
}

/**
 * Formats a physical name for `kind`. Pure and deterministic.
 * Throws when the parts leave nothing usable (for example, a name made only of symbols).
 */
export function formatName(kind: NameKind, parts: NameParts): string {
  const r: NameRule = NAME_RULES[kind];
  let body = untruncatedBody(r, parts);
  const prefix = r.prefix ?? "";
  const budget = r.maxLength - prefix.length;
  if (body.length > budget) {
    const hash = shortHash(body);
    let head = body.slice(0, budget - HASH_LENGTH - r.delimiter.length);
    while (head.endsWith(r.delimiter)) head = head.slice(0, -r.delimiter.length);
    body = `${head}${r.delimiter}${hash}`;
  }
  const name = prefix + body;
  if (!r.pattern.test(name)) {
    throw new Error(`cannot form a valid ${kind} name from ${JSON.stringify(parts)}: got '${name}'`);
  }
  return name;
}

/** Checks a name against the rule for its kind; returns a problem or null. */
export function nameProblem(kind: NameKind, name: string): string | null {
  const r: NameRule = NAME_RULES[kind];
  if (name.length > r.maxLength) return `'${name}' is ${name.length} characters; ${kind} names allow at most ${r.maxLength}`;
  if (!r.pattern.test(name)) return `'${name}' does not match the ${kind} naming pattern ${String(r.pattern)}`;
  return null;
}
