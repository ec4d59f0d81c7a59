import type { OpenAPIObject, SchemaObject } from '@nestjs/swagger';

/** Schema keywords of a whole DTO that property decorators cannot say (minProperties…), by class. */
const CLASS_RULES = new Map<string, SchemaObject>();

/** Adds schema keywords to a DTO's schema in the OpenAPI document, e.g. `@ApiSchemaRules({ minProperties: 1 })`. */
export function ApiSchemaRules(rules: SchemaObject): ClassDecorator {
  return (target) => {
    CLASS_RULES.set(target.name, rules);
  };
}

/**
 * Every object schema is closed (additionalProperties: false): the validation pipe refuses
 * unknown fields in requests, and answers carry only the fields their DTO declares. Then the
 * rules of ApiSchemaRules are added.
 */
export function declareSchemaRules(document: OpenAPIObject): void {
  const schemas = (document.components?.schemas ?? {}) as Record<string, SchemaObject>;
  for (const schema of Object.values(schemas))
    if (schema.type === 'object' || schema.properties) schema.additionalProperties = false;
  for (const [name, rules] of CLASS_RULES) if (schemas[name]) Object.assign(schemas[name], rules);
}
