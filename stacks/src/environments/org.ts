/** Organisation-wide settings shared by every environment. */
export const ORG = {
  org: "acme",
  repository: "acme/infrastructure",
} as const;
