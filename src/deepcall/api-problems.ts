import { DeepcallCode, GroupCode } from './deepcall-codes.js';
import { apiProblemsDecorator } from '../core/openapi/api-problems.decorator.js';

/**
 * The problem+json answers of routes that call DeepCall, for the OpenAPI document: each
 * example whose detail comes from DeepCall carries the code behind it (upstream-error.mapper.ts).
 */
export const ApiProblems = apiProblemsDecorator({
  notFound: { upstreamCode: GroupCode.notFound },
  forbidden: { upstreamCode: DeepcallCode.permissionDenied },
  upstreamRejectedInput: { upstreamCode: DeepcallCode.invalidParameters },
  badGateway: { upstreamCode: DeepcallCode.somethingWentWrong },
});
