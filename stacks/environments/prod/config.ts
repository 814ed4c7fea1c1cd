import { defineEnvironment } from "../../src/environments/define.ts";
import { ORG } from "../../src/environments/org.ts";

/** The `prod` environment. Add a service with `npx nx g @baseplate/generators:service --environment=prod`. */
export default defineEnvironment(
  {
    ...ORG,
    name: "prod",
    tier: "prod",
    account: "333333333333",
    region: "eu-west-1",
    platformOwner: "platform-team",
    platformCostCenter: "CC-1000",
    vpcCidr: "10.30.0.0/16",
    azCount: 3,
    dns: { zoneName: "acme.example", zoneId: "Z0PROD000000001" },
    services: [
      {
        name: "payments-api",
        owner: "payments-team",
        costCenter: "CC-2040",
        dataClassification: "confidential",
        image: "333333333333.dkr.ecr.eu-west-1.amazonaws.com/payments-api:1.42.0",
        domainName: "payments.acme.example",
      },
    ],
  },
  "stacks/environments/prod/config.ts",
);
