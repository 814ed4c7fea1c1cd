export { environmentGenerator, registryIdentifier, type EnvironmentGeneratorOptions } from "./environment/generator.ts";
export { serviceGenerator, type ServiceGeneratorOptions } from "./service/generator.ts";
export { GeneratorError } from "./source.ts";
export * from "./templates.ts";
