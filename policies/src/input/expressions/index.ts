/**
 * Partial evaluation of Terraform expressions in the policy input (policies/CONTRACT.md,
 * "Expressions"): parse, evaluate, and the AWS data sources whose result is known from
 * configuration.
 */
export { parseExpression, parseTemplate, isTemplate, ParseError, type Expr, type TemplatePart } from "./parse.ts";
export { evaluateString, EvalError, type Evaluated, type ResourceHandle, type Scope } from "./evaluate.ts";
export { EVALUATED_FUNCTIONS } from "./functions.ts";
export { Unknown, isUnknown, isWhollyKnown, toJson, fromJson, unknownParts, type Value } from "./values.ts";
