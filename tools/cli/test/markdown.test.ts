import { describe, expect, it } from "vitest";
import { codeSpan, escapeMarkdown, GITHUB_COMMENT_LIMIT } from "../src/reporters/comment.ts";
import { CHECK_MARKER, renderMarkdown } from "../src/reporters/markdown.ts";
import { catalog, checkReport, finding, sampleReport, stackResult } from "./fixtures/reporting/catalog.ts";

/** Removes CommonMark code spans (a run of n backticks up to the next run of exactly n). */
function stripCodeSpans(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    if (text[i] !== "`") {
      out += text[i];
      i++;
      continue;
    }
    let n = 0;
    while (text[i + n] === "`") n++;
    let j = i + n;
    let closed = -1;
    while (j < text.length) {
      if (text[j] === "`") {
        let m = 0;
        while (text[j + m] === "`") m++;
        if (m === n) {
          closed = j;
          break;
        }
        j += m;
      } else j++;
    }
    if (closed < 0) {
      out += text.slice(i, i + n);
      i += n;
    } else {
      out += "CODE";
      i = closed + n;
    }
  }
  return out;
}

/** Undoes backslash escapes, to read escaped text back. */
const unescape = (s: string) => s.replace(/\\(.)/g, "$1");

const ALLOWED_TAGS = /<\/?(?:details|summary|b|sub)>|<!-- baseplate:check -->/g;

describe("Markdown PR comment", () => {
  const md = renderMarkdown(sampleReport(), catalog);
  const lines = md.split("\n");

  it("starts with the hidden marker and a verdict", () => {
    expect(lines[0]).toBe(CHECK_MARKER);
    expect(lines[1]).toBe("## ❌ baseplate check: failed");
    expect(lines[3]).toBe("2 mandatory violations, 2 advisory warnings, 1 waived across 2 stacks (71 resources).");
  });

  it("has a row per stack with mandatory, advisory and waived counts", () => {
    expect(md).toContain("| ❌ payments\\-prod | synth | 40 | 2 | 1 | 1 |");
    expect(md).toContain("| ✅ payments\\-dev | synth | 31 | 0 | 1 | 0 |");
  });

  it("has one collapsible section per stack, findings grouped by severity", () => {
    expect(lines.filter((l) => l === "<details>")).toHaveLength(2);
    expect(lines.filter((l) => l === "</details>")).toHaveLength(2);
    expect(md).toContain("<summary><b>payments-prod</b>: 2 mandatory, 1 advisory, 1 waived</summary>");
    const prod = md.slice(md.indexOf("<b>payments-prod</b>"));
    const order = ["#### 🛑 critical (1)", "#### 🟠 medium (1)", "#### 🟡 low (1)", "#### 💤 waived (1)"].map((h) => prod.indexOf(h));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it("lists rule, resource, location, construct, message and fix for each finding", () => {
    const start = md.indexOf("**S3\\-001**");
    const item = md.slice(start, md.indexOf("#### ", start));
    expect(unescape(item)).toContain("S3 bucket versioning is enabled · mandatory · `aws_s3_bucket.invoices_1A2B3C`");
    expect(item).toContain("declared at `stacks/src/payments.ts:42`");
    expect(item).toContain("construct `payments-prod/data/invoices/bucket`");
    expect(item).toContain("observed `Suspended`");
    expect(unescape(item)).toContain("**Fix:** Enable versioning with an aws_s3_bucket_versioning resource whose status is Enabled.");
    const waived = unescape(md.slice(md.indexOf("#### 💤 waived")));
    expect(waived).toContain("Waived: Public partner callback endpoint on port 8443, fronted by WAF allow-list (ticket SEC-4211");
    expect(waived).toContain("approved by &#64;acme/platform-seniors, expires 2027-01-31)");
  });

  it("ends with the bundle hash (short) and rule count", () => {
    expect(md.trimEnd().split("\n").pop()).toBe("<sub>baseplate · policy bundle sha256 3f9a1c0d7e5b · 8 rules · OPA 1.22.2</sub>");
  });

  it("passes when only advisory and waived findings remain, and lists waiver problems", () => {
    const report = checkReport(
      [stackResult("payments-dev", [finding("TAG-002", "payments-dev", "aws_sqs_queue.q")])],
      [
        {
          waiver: null,
          problem: "governance/waivers.json waivers[0] (S3-001 on payments-prod/data/*) matched no finding in the stacks checked; remove it.",
          enforcement: "advisory",
        },
      ],
    );
    const out = renderMarkdown(report, catalog);
    expect(out.split("\n")[1]).toBe("## ✅ baseplate check: passed");
    expect(out).toContain("### Waiver problems");
    expect(unescape(out)).toContain("- ⚠️ advisory: governance/waivers.json waivers[0] (S3-001 on payments-prod/data/*) matched no finding");
    const bad = renderMarkdown(checkReport([], [{ waiver: null, problem: "waivers[0] expired on 2026-01-01.", enforcement: "mandatory" }]), catalog);
    expect(bad.split("\n")[1]).toBe("## ❌ baseplate check: failed");
 
    // the headline shows the report's counts, which include the waiver problems, and says so
    expect(bad.split("\n")[3]).toBe(
      "1 mandatory violation, 0 advisory warnings, 0 waived across 0 stacks (0 resources). 1 invalid or expired waiver counted as mandatory.",
    );
    expect(out.split("\n")[3]).toBe("0 mandatory violations, 2 advisory warnings, 0 waived across 1 stack (40 resources). 1 unused waiver counted as advisory.");
  });
});

describe("hostile values cannot break the comment", () => {
  const evilStack = "evil</summary></details><script>alert(1)</script>";
  const evilAddress = "aws_s3_bucket.x`</details>**@everyone** | x\n## Injected heading";
  const report = checkReport([
    stackResult(evilStack, [
      finding("S3-001", evilStack, evilAddress, {
        construct: "a/b](javascript:alert(1))<img src=x onerror=alert(1)>",
        observed: "<img src=x onerror=alert(2)>\n</details>",
        message: "bucket <b>bold</b> [click](javascript:alert(3)) @security-team\n# Heading",
        location: "stacks/src/``evil``.ts:3",
      }),
    ]),
  ]);
  const md = renderMarkdown(report, catalog);
  const prose = stripCodeSpans(md);

  it("keeps every tag outside code spans one of ours", () => {
    expect(prose.replace(ALLOWED_TAGS, "")).not.toMatch(/<[a-z/!]/i);
    expect(md).not.toContain("<script");
    expect(prose).not.toContain("<img");
  });

  it("keeps <details> balanced and every heading ours", () => {
    const lines = md.split("\n");
    expect(lines.filter((l) => l === "<details>")).toHaveLength(1);
    expect(lines.filter((l) => l === "</details>")).toHaveLength(1);
    // an HTML block starts only at the beginning of a line; inside code spans the text is literal
    expect(lines.filter((l) => /^ {0,3}<\/?details/.test(l))).toEqual(["<details>", "</details>"]);
    expect(prose.match(/<\/?details>/g)).toEqual(["<details>", "</details>"]);
    for (const l of lines.filter((x) => /^\s*#/.test(x))) expect(l).toMatch(/^#{2,4} (?:❌|✅|🛑|🔴|🟠|🟡|🔵|💤|Waiver problems)/);
  });

  it("cannot mention people, link javascript or emphasise", () => {
    expect(prose).not.toMatch(/(^|[^&#\w])@\w/);
    expect(prose).not.toMatch(/\]\(javascript/);
    expect(prose).not.toMatch(/(^|[^\\])\*\*@/);
    expect(md).toContain("<summary><b>evil&lt;/summary&gt;&lt;/details&gt;&lt;script&gt;alert(1)&lt;/script&gt;</b>");
  });

  it("shows code spans literally, whatever backticks they contain", () => {
    expect(codeSpan("a`b")).toBe("``a`b``");
    expect(codeSpan("`x`")).toBe("`` `x` ``");
    expect(codeSpan("line\nbreak")).toBe("`line\\nbreak`");
    expect(md).toContain("declared at ```stacks/src/``evil``.ts:3```");
    expect(escapeMarkdown("a|b*c_d")).toBe("a\\|b\\*c\\_d");
  });
});

describe("size limit", () => {
  it("stays within GitHub's comment limit and says what it left out", () => {
    const many = Array.from({ length: 2000 }, (_, i) =>
      finding("S3-001", "payments-prod", `aws_s3_bucket.bucket_${String(i).padStart(4, "0")}`, {
        construct: `payments-prod/data/bucket-${i}/bucket`,
        location: `stacks/src/payments.ts:${i + 1}`,
      }),
    );
    const md = renderMarkdown(checkReport([stackResult("payments-prod", many)]), catalog);
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    const shown = md.split("\n").filter((l) => l.startsWith("- 🟠 **S3\\-001**")).length;
    expect(shown).toBeGreaterThan(50);
    expect(shown).toBeLessThan(2000);
    expect(md).toContain(`> ${2000 - shown} more items did not fit in this comment`);
    expect(md.split("\n").filter((l) => l === "<details>")).toHaveLength(1);
    expect(md.split("\n").filter((l) => l === "</details>")).toHaveLength(1);
    expect(md).toContain("policy bundle sha256 3f9a1c0d7e5b");
  });

  it("honours a smaller limit", () => {
    const md = renderMarkdown(sampleReport(), catalog, { maxLength: 2500 });
    expect(md.length).toBeLessThanOrEqual(2500);
    expect(md).toContain("did not fit in this comment");
  });
});
