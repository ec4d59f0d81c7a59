import { describe, expect, it } from '@jest/globals';
import { getMetadataStorage } from 'class-validator';
import { ListGroupsQueryDto } from './list-groups.query.dto.js';
import { OWNED_QUERY_PARAMETERS } from '../../telemetry/url-query.js';

// The server span keeps the values of the query parameters the service owns, and redacts the rest.
describe('the list query', () => {
  it('owns exactly the list query of the API', () => {
    const declared = getMetadataStorage()
      .getTargetValidationMetadatas(ListGroupsQueryDto, '', true, false)
      .map((metadata) => metadata.propertyName);
    expect([...OWNED_QUERY_PARAMETERS].sort()).toEqual([...new Set(declared)].sort());
  });
});
