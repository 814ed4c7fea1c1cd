import { defineEnvironment } from "../../src/environments/define.ts";
import { ORG } from "../../src/environments/org.ts";

/** The `dev` environment. Add a service with `npx nx g @baseplate/generators:service --environment=dev`. */
export default defineEnvironment(
  {
    ...ORG,
    name: "dev",
    tier: "dev",
    account: "111111111111",
    region: "eu-west-1",
    platformOwner: "platform-team",
    platformCostCenter: "CC-1000",
    vpcCidr: "10.10.0.0/16",
    azCount: 2,
    dns: { zoneName: "dev.acme.example", zoneId: "Z0DEV0000000001" },
    services: [
      {
        name: "payments-api",
        owner: "payments-team",
        costCenter: "CC-2040",
        dataClassification: "confidential",
        image: "111111111111.dkr.ecr.eu-west-1.amazonaws.com/payments-api:1.42.0",
        domainName: "payments.dev.acme.example",
      },
    ],
  },
  "stacks/environments/dev/config.ts",
);
