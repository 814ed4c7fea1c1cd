import { InputError, normalizeSynth as normalizeSynthDocument } from "@baseplate/policies/input";
import { describe, expect, it } from "vitest";
import { CliError } from "../src/errors.ts";
import { normalize, normalizeSynth } from "../src/normalize.ts";
import { EXIT } from "../src/types.ts";
import { NOW } from "./helpers.ts";

const malformed = { "//": { metadata: {} }, resource: { aws_s3_bucket: { b: [] } } };

describe("the CLI's normalizer door", () => {
  it("turns the normalizer's InputError into a CliError (exit 2) with the same message", () => {
    let raw: unknown;
    try {
      normalizeSynthDocument(malformed, { now: NOW, file: "x/cdk.tf.json" });
    } catch (thrown) {
      raw = thrown;
    }
    expect(raw).toBeInstanceOf(InputError);
    const message = (raw as Error).message;
    expect(message).toMatch(/^x\/cdk\.tf\.json: "resource\.aws_s3_bucket\.b" is a list, not an object/);

    for (const run of [
      () => normalizeSynth(malformed, { now: NOW, file: "x/cdk.tf.json" }),
      () => normalize({ file: "x/cdk.tf.json", kind: "synth", doc: malformed, stackHint: null }, { now: NOW }),
    ]) {
      let wrapped: unknown;
      try {
        run();
      } catch (thrown) {
        wrapped = thrown;
      }
      expect(wrapped).toBeInstanceOf(CliError);
      expect((wrapped as CliError).exitCode).toBe(EXIT.USAGE);
      expect((wrapped as CliError).message).toBe(message);
    }
  });

  it("wraps plan errors too, and passes a good input through", () => {
    expect(() => normalize({ file: "p.json", kind: "plan", doc: { format_version: "1.2", errored: true }, stackHint: null }, { now: NOW })).toThrow(CliError);
    const ok = normalize({ file: "p.json", kind: "plan", doc: { format_version: "1.2", resource_changes: [] }, stackHint: "s" }, { now: NOW });
    expect(ok.stack).toBe("s");
    expect(ok.source).toBe("plan");
  });
});
