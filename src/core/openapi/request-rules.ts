import type { MediaTypeObject, OpenAPIObject, ReferenceObject, RequestBodyObject, SchemaObject } from '@nestjs/swagger';

/** Schema keywords of a whole DTO that property decorators cannot say (minProperties…), by class. */
const CLASS_RULES = new Map<string, SchemaObject>();

/** Adds schema keywords to a DTO's schema in the OpenAPI document, e.g. `@ApiSchemaRules({ minProperties: 1 })`. */
export function ApiSchemaRules(rules: SchemaObject): ClassDecorator {
  return (target) => {
    CLASS_RULES.set(target.name, rules);
  };
}

/**
 * Makes the request schemas as strict as the validation pipe: every body refuses unknown
 * fields (additionalProperties: false), and the rules of ApiSchemaRules are added.
 */
export function declareRequestRules(document: OpenAPIObject): void {
  const schemas = (document.components?.schemas ?? {}) as Record<string, SchemaObject>;
  for (const [name, rules] of CLASS_RULES) if (schemas[name]) Object.assign(schemas[name], rules);
  for (const methods of Object.values(document.paths)) {
    for (const operation of Object.values(methods as Record<string, { requestBody?: RequestBodyObject | ReferenceObject }>)) {
      const body = operation.requestBody;
      if (!body || '$ref' in body) continue;
      for (const { schema } of Object.values(body.content) as MediaTypeObject[]) {
        const name = schema && '$ref' in schema ? schema.$ref.split('/').pop()! : undefined;
        if (name && schemas[name]) schemas[name].additionalProperties = false;
      }
    }
  }
}
