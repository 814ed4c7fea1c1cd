import { describe, expect, it } from "vitest";
import { evaluateString, parseExpression, parseTemplate, ParseError, toJson, Unknown, type Scope, type Value } from "../../src/input/expressions/index.ts";

/** A scope with a few names: var.cidr, local.admin, data.aws_partition.* known; resource attributes unknown. */
const scope: Scope = {
  variable: (name) => (name === "cidr" ? "0.0.0.0/0" : Unknown.of(`var.${name}`, `var.${name} (no default)`)),
  local: (name) => (name === "admin" ? "*" : Unknown.of(`local.${name}`, `local.${name}`)),
  resource: (mode, type, name) => {
    const address = mode === "data" ? `data.${type}.${name}` : `${type}.${name}`;
    return {
      address,
      attribute: (attr, instance) => (type === "aws_partition" && attr === "partition" ? "aws" : Unknown.of(`${instance}.${attr}`, `the ${attr} of ${instance}`)),
    };
  },
};

function run(text: string): { value: unknown; unknown: boolean; what: readonly string[]; refs: string[] } {
  const r = evaluateString(text, scope);
  return {
    value: toJson(r.value),
    unknown: r.value instanceof Unknown,
    what: r.value instanceof Unknown ? r.value.what : [],
    refs: [...r.refs].sort(),
  };
}

describe("constants and templates", () => {
  it.each([
    ["${true}", true],
    ["${false}", false],
    ['${"0.0.0.0/0"}', "0.0.0.0/0"],
    ["${42}", 42],
    ["${null}", null],
    ['AKIA${""}IOSFODNN7EXAMPLE', "AKIAIOSFODNN7EXAMPLE"],
    ['AKIA${"IOSF"}ODNN7EXAMPLE', "AKIAIOSFODNN7EXAMPLE"],
    ['${"${"nested"}"}', "nested"],
    ["$${not.an.interpolation}", "${not.an.interpolation}"],
    ["%%{not a directive}", "%{not a directive}"],
    ["a ${~ \"b\" ~} c", "abc"],
    ['${"tab\\there"}', "tab\there"],
    ['${"\\u0041"}', "A"],
    ["plain", "plain"],
  ])("%s evaluates to %j", (text, expected) => {
    expect(run(text)).toMatchObject({ value: expected, unknown: false });
  });

  it("keeps the type of a lone interpolation and stringifies inside text", () => {
    expect(run("${1 + 1}").value).toBe(2);
    expect(run("n=${1 + 1}").value).toBe("n=2");
    expect(run("${true}-${false}").value).toBe("true-false");
  });

  it("evaluates %{if} and %{for} directives", () => {
    expect(run('%{if var.cidr == "0.0.0.0/0"}open%{else}closed%{endif}').value).toBe("open");
    expect(run("%{if false}x%{endif}y").value).toBe("y");
    expect(run('%{for i, s in ["a", "b"]}${i}=${s};%{endfor}').value).toBe("0=a;1=b;");
  });
});

describe("operators, collections and traversals", () => {
  it.each([
    ["${1 + 2 * 3}", 7],
    ["${(1 + 2) * 3}", 9],
    ["${10 % 4 - -1}", 3],
    ["${7 / 2}", 3.5],
    ["${1 < 2 && 2 >= 2}", true],
    ["${!true || false}", false],
    ['${"a" == "a" ? "yes" : "no"}', "yes"],
    ['${[1, 2] == [1, 2]}', true],
    ["${[1, 2, 3][1]}", 2],
    ['${["x"].0}', "x"],
    ['${{a = {b = "c"}}.a.b}', "c"],
    ['${{"k" = 1}["k"]}', 1],
    ['${[{n = 1}, {n = 2}][*].n}', [1, 2]],
    ['${[{n = 1}, {n = 2}].*.n}', [1, 2]],
    ['${[for s in ["a", "b"] : upper(s) if s != "b"]}', ["A"]],
    ['${{for k, v in {a = 1, b = 2} : v => k}}', { "1": "a", "2": "b" }],
    ['${{for s in ["a", "b", "a"] : s => s...}}', { a: ["a", "a"], b: ["b"] }],
  ])("%s evaluates to %j", (text, expected) => {
    expect(run(text)).toMatchObject({ value: expected, unknown: false });
  });

  it("a known deciding operand decides a logical operator with an unknown other side", () => {
    expect(run("${false && var.x}").value).toBe(false);
    expect(run("${var.x || true}").value).toBe(true);
    expect(run("${var.x && true}").unknown).toBe(true);
  });

  it("a conditional on an unknown condition is known only when both branches agree", () => {
    expect(run('${var.x == "a" ? "same" : "same"}').value).toBe("same");
    const r = run('${var.x == "a" ? "0.0.0.0/0" : "10.0.0.0/8"}');
    expect(r.unknown).toBe(true);
    expect(r.what).toEqual(["var.x (no default)"]);
  });
});

describe("functions", () => {
  it.each([
    ['${jsonencode({b = 1, a = [true, null]})}', '{"a":[true,null],"b":1}'],
    ['${jsondecode("{\\"a\\": [1, 2]}")}', { a: [1, 2] }],
    ['${join(",", ["a", "b"], ["c"])}', "a,b,c"],
    ['${format("%s-%03d-%.1f-%t-%q-%%", "x", 7, 3.14159, true, "q")}', 'x-007-3.1-true-"q"-%'],
    ['${format("%v", {a = 1})}', '{"a":1}'],
    ['${concat(["a"], ["b", "c"])}', ["a", "b", "c"]],
    ["${merge({a = 1, b = 1}, {b = 2})}", { a: 1, b: 2 }],
    ['${lookup({a = "x"}, "a", "d")}', "x"],
    ['${lookup({a = "x"}, "z", "d")}', "d"],
    ['${element(["a", "b"], 3)}', "b"],
    ['${tolist(["a"])}', ["a"]],
    ['${toset(["a", "a", "b"])}', ["a", "b"]],
    ['${flatten([["a"], ["b", ["c"]]])}', ["a", "b", "c"]],
    ['${coalesce("", null, "x")}', "x"],
    ['${lower("ABC")}${upper("d")}', "abcD"],
    ['${replace("a-b-c", "-", "_")}', "a_b_c"],
    ['${replace("abc", "/[ab]/", "X")}', "XXc"],
    ['${split(",", "a,b")}', ["a", "b"]],
    ['${split("", "ab")}', ["a", "b"]],
    ['${length([1, 2])}${length("abc")}${length({a = 1})}', "231"],
    ['${try(["a"][3], "fallback")}', "fallback"],
    ['${can(["a"][3])}', false],
    ['${can(["a"][0])}', true],
    ['${join("", [for c in split("", "AKIA") : c])}', "AKIA"],
    ['${keys({b = 1, a = 2})}', ["a", "b"]],
    ['${contains(["a"], "a")}', true],
    ['${tostring(5)}', "5"],
    ['${distinct(["a", "a"])}', ["a"]],
    ["${f(1...)}", "${f(1...)}"],
  ])("%s evaluates to %j", (text, expected) => {
    expect(run(text).value).toEqual(expected);
  });

  it("expands a final list argument", () => {
    expect(run('${concat(["a"], [["b"], ["c"]]...)}').value).toEqual(["a", "b", "c"]);
    expect(run('${format("%s/%s", ["x", "y"]...)}').value).toBe("x/y");
  });

  it("an unsupported function stays unknown and says so", () => {
    const r = run('${sha256("x")}');
    expect(r).toMatchObject({ value: '${sha256("x")}', unknown: true });
    expect(r.what).toEqual(["sha256() is not evaluated by Baseplate"]);
  });
});

describe("unknowns stay symbolic", () => {
  it("a resource attribute reads as its ${...} token and names what it is", () => {
    const r = run("${aws_s3_bucket.x.arn}");
    expect(r).toEqual({ value: "${aws_s3_bucket.x.arn}", unknown: true, what: ["the arn of aws_s3_bucket.x"], refs: ["aws_s3_bucket.x"] });
    expect(run("${aws_s3_bucket.x[0].arn}").value).toBe("${aws_s3_bucket.x[0].arn}");
    expect(run('${aws_s3_bucket.x["k"].arn}').value).toBe('${aws_s3_bucket.x["k"].arn}');
    expect(run("${aws_instance.a[*].id}").what).toEqual(["every instance of aws_instance.a"]);
  });

  it("jsonencode with an unknown Resource yields valid JSON whose Principal and Action are known", () => {
    const r = run('${jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", Principal = "*", Action = local.admin, Resource = ["${aws_s3_bucket.x.arn}/*", aws_s3_bucket.x.arn]}]})}');
    expect(r.unknown).toBe(true);
    expect(JSON.parse(r.value as string)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: ["${aws_s3_bucket.x.arn}/*", "${aws_s3_bucket.x.arn}"] }],
    });
    expect(r.what).toEqual(["the arn of aws_s3_bucket.x"]);
    expect(r.refs).toEqual(["aws_s3_bucket.x"]);
  });

  it("a partition-agnostic ARN is known once the partition is", () => {
    expect(run("arn:${data.aws_partition.current.partition}:iam::aws:policy/AdministratorAccess").value).toBe("arn:aws:iam::aws:policy/AdministratorAccess");
    const r = run('${format("arn:%s:s3:::%s/*", data.aws_partition.p.partition, aws_s3_bucket.b.id)}');
    expect(r).toMatchObject({ value: "arn:aws:s3:::${aws_s3_bucket.b.id}/*", unknown: true });
  });

  it("jsondecode of partly known JSON gives back the structure", () => {
    const r = evaluateString('${jsondecode(jsonencode({a = aws_s3_bucket.x.arn, b = "k"}))}', scope);
    const v = r.value as Record<string, Value>;
    expect(v["b"]).toBe("k");
    expect(v["a"]).toBeInstanceOf(Unknown);
    expect((v["a"] as Unknown).text).toBe("${aws_s3_bucket.x.arn}");
  });

  it("functions of unknown values are unknown, keeping the expression", () => {
    expect(run("${lower(aws_s3_bucket.x.id)}")).toMatchObject({ value: "${lower(aws_s3_bucket.x.id)}", unknown: true });
    expect(run("${var.nope}").what).toEqual(["var.nope (no default)"]);
    expect(run("${count.index}").unknown).toBe(true);
    expect(run("${try(aws_s3_bucket.x.arn, \"x\")}").unknown).toBe(true);
  });

  it("an expression Terraform would reject stays as written, unknown, with the reason", () => {
    for (const text of ["${ 1 + }", '${["a"][5]}', "${unterminated", '${"a" + 1}', "%{if true}x"]) {
      const r = run(text);
      expect(r.unknown, text).toBe(true);
      expect(r.what[0], text).toMatch(/^not evaluated: /);
      expect(String(r.value)).toContain("${");
    }
  });
});

describe("parser", () => {
  it("parses each expression class into its node", () => {
    expect(parseExpression("a.b[0].c").k).toBe("attr");
    expect(parseExpression("f(x...)")).toMatchObject({ k: "call", name: "f", expand: true });
    expect(parseExpression("provider::aws::arn_parse(x)")).toMatchObject({ k: "call", name: "provider::aws::arn_parse" });
    expect(parseExpression("a ? b : c").k).toBe("conditional");
    expect(parseExpression("[for x in y : x]").k).toBe("for");
    expect(parseExpression("{ a = 1\n b = 2 }")).toMatchObject({ k: "object", items: [{}, {}] });
    expect(parseExpression("x[*].y").k).toBe("splat");
    expect(parseExpression("# comment\n 1 /* c */ + 2").k).toBe("binary");
    expect(parseTemplate("a${b}%{if c}d%{endif}").map((p) => p.k)).toEqual(["text", "interp", "if"]);
  });

  it("refuses what is not an expression, with the offset", () => {
    for (const bad of ["1 +", "a.", "f(", "[1, 2", "{a = }", "<<EOT\nx\nEOT", "%"]) {
      expect(() => parseExpression(bad), bad).toThrow(ParseError);
    }
  });

  it("refuses nesting deeper than its limit instead of overflowing the stack", () => {
    const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
    expect(() => parseExpression(deep)).toThrow(/nested deeper/);
    expect(run(`\${${deep}}`).unknown).toBe(true);
  });
});
