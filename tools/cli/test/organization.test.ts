import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CliError } from "../src/errors.ts";
import { loadOrganization, parseOrganization } from "../src/organization.ts";

const REPO = join(import.meta.dirname, "..", "..", "..");

describe("organization", () => {
  it("reads the reviewed governance/organization.json", () => {
    const org = loadOrganization(join(REPO, "governance", "organization.json"));
    expect(org.id).toMatch(/^o-[a-z0-9]{10,32}$/);
    expect(org.accounts).toEqual(expect.arrayContaining(["111111111111", "222222222222", "333333333333"]));
    expect(org.repositories).toEqual(["acme/infrastructure"]);
  });

  it("returns input.organization", () => {
    const text = JSON.stringify({ organizationId: "o-abcdef12345", accounts: [{ id: "123456789012", name: "prod" }] });
    expect(parseOrganization(text, "org.json")).toEqual({ id: "o-abcdef12345", accounts: ["123456789012"], repositories: [] });
  });

  it.each([
    ["not JSON", "{", /org\.json:1:2/],
    ["a repeated key", '{"organizationId": "o-abcdef12345", "organizationId": "o-abcdef12346", "accounts": []}', /duplicate key "organizationId"/],
    ["a bad org id", JSON.stringify({ organizationId: "o-X", accounts: [{ id: "123456789012", name: "p" }] }), /organizationId must match pattern/],
    ["a short account id", JSON.stringify({ organizationId: "o-abcdef12345", accounts: [{ id: "12345", name: "p" }] }), /accounts\/0\/id must match pattern/],
    ["no accounts", JSON.stringify({ organizationId: "o-abcdef12345", accounts: [] }), /accounts must NOT have fewer than 1 items/],
    ["an unknown field", JSON.stringify({ organizationId: "o-abcdef12345", accounts: [{ id: "123456789012", name: "p" }], extra: 1 }), /must NOT have additional properties/],
    ["a repeated account", JSON.stringify({ organizationId: "o-abcdef12345", accounts: [{ id: "123456789012", name: "p" }, { id: "123456789012", name: "q" }] }), /listed twice/],
    ["a repository wildcard", JSON.stringify({ organizationId: "o-abcdef12345", accounts: [{ id: "123456789012", name: "p" }], github: { repositories: ["acme/*"] } }), /repositories\/0 must match pattern/],
  ])("refuses %s with the file and the fix", (_what, text, message) => {
    expect(() => parseOrganization(text, "org.json")).toThrow(CliError);
    expect(() => parseOrganization(text, "org.json")).toThrow(message);
    expect(() => parseOrganization(text, "org.json")).toThrow(/org\.json/);
  });

  it("names a missing file", () => {
    expect(() => loadOrganization(join(REPO, "governance", "missing.json"))).toThrow(/cannot read the organization file \(ENOENT\)/);
  });
});
