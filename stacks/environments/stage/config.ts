import { defineEnvironment } from "../../src/environments/define.ts";
import { ORG } from "../../src/environments/org.ts";

/** The `stage` environment. Add a service with `npx nx g @baseplate/generators:service --environment=stage`. */
export default defineEnvironment(
  {
    ...ORG,
    name: "stage",
    tier: "stage",
    account: "222222222222",
    region: "eu-west-1",
    platformOwner: "platform-team",
    platformCostCenter: "CC-1000",
    vpcCidr: "10.20.0.0/16",
    azCount: 2,
    dns: { zoneName: "stage.acme.example", zoneId: "Z0STAGE00000001" },
    services: [
      {
        name: "payments-api",
        owner: "payments-team",
        costCenter: "CC-2040",
        dataClassification: "confidential",
        image: "222222222222.dkr.ecr.eu-west-1.amazonaws.com/payments-api:1.42.0",
        domainName: "payments.stage.acme.example",
      },
    ],
  },
  "stacks/environments/stage/config.ts",
);
