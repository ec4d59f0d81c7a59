// What docs/deepcall-upstream.md says DeepCall answers, one row per statement, each with where the
// page says it ("§ <section>: <its words>"). A row compares the raw answers the probe kept.
// Rows marked [assumed] test the page's assumptions: a drift there means the page (and the
// sandbox's default) should be corrected, even where the service's client tolerates the answer.
import { DeepcallCode, GroupCode } from '../deepcall/deepcall-codes.js';
import { type DeepcallGroup } from '../deepcall/deepcall.types.js';
import { MalformedGroupsError, parseGroupRecords } from '../deepcall/group-records.parser.js';
import type { Citation } from './doc-citation.js';
import type { Observations } from './probe-steps.js';
import type { Exchange, RawAnswer } from './upstream-http.js';

export type Verdict = 'agrees' | 'drift' | 'unchecked';

export interface Assessment {
  verdict: Verdict;
  seen: string;
}

export interface Expectation {
  id: string;
  expected: string;
  /** Where docs/deepcall-upstream.md says so. */
  reference: Citation;
  /** Said with a drift: where the page lets the service's client read this answer anyway. */
  tolerated?: Citation;
  assess(seen: Observations): Assessment;
}

export interface Finding extends Assessment {
  expectation: Expectation;
}

export function assessAll(seen: Observations): Finding[] {
  return EXPECTATIONS.map((expectation) => ({ expectation, ...expectation.assess(seen) }));
}

const agrees = (seen: string): Assessment => ({ verdict: 'agrees', seen });
const drift = (seen: string): Assessment => ({ verdict: 'drift', seen });
const unchecked = (seen: string): Assessment => ({ verdict: 'unchecked', seen });
const judge = (ok: boolean, seen: string): Assessment => (ok ? agrees(seen) : drift(seen));

/** The answer of a step, or why there is none to compare (not run, no HTTP answer, not JSON). */
function answerOf(exchange: Exchange | undefined, step: string): RawAnswer | Assessment {
  if (exchange === undefined) return unchecked(`not tried (${step} needs an earlier step that failed)`);
  if ('failure' in exchange) return unchecked(`${step}: ${exchange.failure}`);
  if (exchange.answer.json === undefined) {
    const start = exchange.answer.text.slice(0, 40).replace(/\s+/g, ' ');
    return drift(`${step}: not a JSON object (HTTP ${exchange.answer.httpStatus}, "${start}")`);
  }
  return exchange.answer;
}

const isAssessment = (value: RawAnswer | Assessment): value is Assessment => 'verdict' in value;

function describeEnvelope(json: Record<string, unknown>): string {
  const fields = Object.entries(json)
    .filter(([key]) => key !== 'response')
    .map(([key, value]) => `${key} ${JSON.stringify(value)}`);
  return fields.join(', ');
}

/** The success envelope, plus an op-specific field check. */
function successRow(
  step: keyof Observations,
  label: string,
  extra: (json: Record<string, unknown>) => boolean,
): (seen: Observations) => Assessment {
  return (seen) => {
    const answer = answerOf(seen[step] as Exchange | undefined, label);
    if (isAssessment(answer)) return answer;
    const json = answer.json!;
    return judge(json.status === 'success' && json.code === 200 && extra(json), describeEnvelope(json));
  };
}

/** An error case: the code in the error envelope (the HTTP status is its own row). */
function errorCodeRow(step: keyof Observations, label: string, codes: number[]): (seen: Observations) => Assessment {
  return (seen) => {
    const answer = answerOf(seen[step] as Exchange | undefined, label);
    if (isAssessment(answer)) return answer;
    const json = answer.json!;
    if (json.status !== 'error') return drift(`${label}: ${describeEnvelope(json)}`);
    return judge(codes.includes(Number(json.code)), `code ${JSON.stringify(json.code)} (${String(json.message)})`);
  };
}

/** list's `response` as the raw records (array items or object values) and as the client reads them. */
interface ListRecords {
  raw: Record<string, unknown>[];
  parsed: DeepcallGroup[];
  shape: 'array' | 'object';
}

function listRecords(exchange: Exchange | undefined, label: string): ListRecords | Assessment {
  const answer = answerOf(exchange, label);
  if (isAssessment(answer)) return answer;
  const json = answer.json!;
  if (json.status !== 'success') return drift(`${label}: ${describeEnvelope(json)}`);
  const response = json.response;
  const shape = Array.isArray(response) ? 'array' : 'object';
  const raw = (Array.isArray(response) ? response : Object.values(response ?? {})) as Record<string, unknown>[];
  try {
    return { raw, parsed: parseGroupRecords(response), shape };
  } catch (error) {
    if (!(error instanceof MalformedGroupsError)) throw error;
    return drift(`${label}: response not readable as groups (${error.message})`);
  }
}

/** The raw record of group `id` in a list answer. */
function recordOf(
  exchange: Exchange | undefined,
  id: number | undefined,
  label: string,
): { raw: Record<string, unknown>; parsed: DeepcallGroup } | Assessment {
  if (id === undefined) return unchecked('not tried (the create failed)');
  const records = listRecords(exchange, label);
  if ('verdict' in records) return records;
  const index = records.parsed.findIndex((group) => group.id === id);
  if (index < 0) return drift(`${label}: group ${id} not in the answer`);
  return { raw: records.raw[index], parsed: records.parsed[index] };
}

function rowOnRecord(
  step: 'readCreated' | 'readRenamed',
  label: string,
  judgeRecord: (raw: Record<string, unknown>, parsed: DeepcallGroup, seen: Observations) => Assessment,
): (seen: Observations) => Assessment {
  return (seen) => {
    const record = recordOf(seen[step], seen.createdId, label);
    if ('verdict' in record) return record;
    return judgeRecord(record.raw, record.parsed, seen);
  };
}

/** What the update did is not compared when the update itself got no answer (that row says so). */
function afterUpdate(assess: (seen: Observations) => Assessment): (seen: Observations) => Assessment {
  return (seen) =>
    seen.rename !== undefined && 'failure' in seen.rename
      ? unchecked('not compared: the update got no answer')
      : assess(seen);
}

const ID_FIELDS = ['id', 'groupId', 'group_id', 'groupid'];
const RECORD_FIELDS = ['name', 'user_id', 'status', 'create_date'];
const ESCAPE = /[.*+?^${}()|[\]\\]/g;

/** The error answers the probe collected, with the step each came from. */
function errorAnswers(seen: Observations): { step: string; answer: RawAnswer }[] {
  const steps: (keyof Observations)[] = [
    'readDeleted',
    'unknownIdUpdate',
    'unknownIdDelete',
    'emptyName',
    'missingGroupId',
    'badToken',
    'noToken',
    'nonJson',
  ];
  return steps.flatMap((step) => {
    const exchange = seen[step] as Exchange | undefined;
    if (exchange === undefined || !('answer' in exchange) || exchange.answer.json?.status !== 'error') return [];
    return [{ step, answer: exchange.answer }];
  });
}

export const EXPECTATIONS: readonly Expectation[] = [
  {
    id: 'add.answer',
    expected: '{"status":"success","groupId":<number>,"code":200}',
    reference: {
      section: 'add',
      quotes: ['Success: {"status":"success","groupId":12,"code":200}', 'groupId is a number'],
    },
    assess: successRow('create', 'add', (json) => typeof json.groupId === 'number'),
  },
  {
    id: 'add.name',
    expected: 'a unique name is kept as sent',
    reference: {
      section: 'add',
      quotes: ['names are unique per user: a duplicate is not rejected, upstream appends a number'],
    },
    assess: rowOnRecord('readCreated', 'list by groupid', (raw, _parsed, seen) =>
      judge(raw.name === seen.runName, `name ${JSON.stringify(raw.name)}`),
    ),
  },
  {
    id: 'add.duplicate',
    expected: 'a duplicate name is accepted, as a new group',
    reference: { section: 'add', quotes: ['a duplicate is not rejected'] },
    assess: (seen) => {
      const answer = answerOf(seen.duplicate, 'second add');
      if (isAssessment(answer)) return answer;
      const json = answer.json!;
      const fresh = seen.duplicateId !== undefined && seen.duplicateId !== seen.createdId;
      return judge(json.status === 'success' && fresh, describeEnvelope(json));
    },
  },
  {
    id: 'add.suffix',
    expected: 'the duplicate is named "<name><sep><number>"',
    reference: {
      section: 'add',
      quotes: ['upstream appends a number to make it unique'],
      note: 'its format is not documented',
    },
    assess: (seen) => {
      if (seen.createdId === undefined) return unchecked('not tried (the first add failed: nothing to duplicate)');
      if (seen.duplicateId === undefined) return unchecked('not tried (the second add failed)');
      if (seen.duplicateId === seen.createdId) return drift(`the second add answered the first one's id`);
      const records = listRecords(seen.listByName, 'list by name');
      if ('verdict' in records) return records;
      const duplicate = records.parsed.find((group) => group.id === seen.duplicateId);
      if (!duplicate) return drift(`list by name: group ${seen.duplicateId} not in the answer`);
      const suffixed = new RegExp(`^${seen.runName.replace(ESCAPE, '\\$&')}[ _#(-]*\\d+\\)?$`).test(duplicate.name);
      return judge(suffixed, `name ${JSON.stringify(duplicate.name)}`);
    },
  },
  {
    id: 'list.answer',
    expected: '{"status":"success","response":…,"code":200}',
    reference: { section: 'list', quotes: ['Success: {"status":"success","response":<the group data>,"code":200}'] },
    assess: successRow('readCreated', 'list by groupid', (json) => json.response !== undefined),
  },
  {
    id: 'list.filter-id',
    expected: 'groupid filters: only that group',
    reference: { section: 'list', quotes: ['filter by id'] },
    assess: (seen) => {
      if (seen.createdId === undefined) return unchecked('not tried (the create failed)');
      const records = listRecords(seen.readCreated, 'list by groupid');
      if ('verdict' in records) return records;
      const ids = records.parsed.map((group) => group.id);
      return judge(ids.length === 1 && ids[0] === seen.createdId, `ids [${ids.join(', ')}]`);
    },
  },
  {
    id: 'list.filter-name',
    expected: 'name filters case-insensitively, by substring',
    reference: { section: 'list', quotes: ['filter by name, case-insensitive', 'so a substring match'] },
    assess: (seen) => {
      const wanted = [seen.createdId, seen.duplicateId].filter((id) => id !== undefined);
      if (wanted.length === 0) return unchecked('not tried (the creates failed)');
      const records = listRecords(seen.listByName, 'list by name');
      if ('verdict' in records) return records;
      const ids = records.parsed.map((group) => group.id);
      return judge(
        wanted.every((id) => ids.includes(id)),
        `"${seen.nameFilter}" found [${ids.join(', ')}] of [${wanted.join(', ')}]`,
      );
    },
  },
  {
    id: 'list.shape',
    expected: 'response is an array of records',
    reference: { section: 'list', assumed: true, quotes: ['The emulator answers with an array of'] },
    tolerated: { section: 'list', quotes: ['an array or an object keyed by id'] },
    assess: (seen) => {
      if (seen.createdId === undefined) return unchecked('not tried (the create failed)');
      const records = listRecords(seen.readCreated, 'list by groupid');
      if ('verdict' in records) return records;
      return judge(records.shape === 'array', records.shape === 'array' ? 'an array' : 'an object keyed by id');
    },
  },
  {
    id: 'list.id-field',
    expected: 'the id is under "id"',
    reference: { section: 'list', assumed: true, quotes: ['{"id":28,"name":"Sales Team"'] },
    tolerated: { section: 'list', quotes: ['the id under id, groupId, group_id or groupid'] },
    assess: rowOnRecord('readCreated', 'list by groupid', (raw) => {
      const fields = ID_FIELDS.filter((field) => raw[field] !== undefined);
      return judge(fields.includes('id'), fields.length > 0 ? `under ${fields.join(', ')}` : 'no id field');
    }),
  },
  {
    id: 'list.id-type',
    expected: 'the id is a number',
    reference: { section: 'list', assumed: true, quotes: ['{"id":28'] },
    tolerated: { section: 'list', quotes: ['as number or string'] },
    assess: rowOnRecord('readCreated', 'list by groupid', (raw) => {
      const field = ID_FIELDS.find((name) => raw[name] !== undefined);
      if (field === undefined) return drift('no id field');
      return judge(typeof raw[field] === 'number', `${field} ${JSON.stringify(raw[field])}`);
    }),
  },
  {
    id: 'list.fields',
    expected: 'a record has name, user_id, status, create_date',
    reference: {
      section: 'list',
      assumed: true,
      quotes: ['"name":"Sales Team","user_id":"...","status":1,"create_date"'],
    },
    tolerated: { section: 'list', quotes: ['a missing status or date'] },
    assess: rowOnRecord('readCreated', 'list by groupid', (raw) => {
      const missing = RECORD_FIELDS.filter((field) => raw[field] === undefined);
      return judge(missing.length === 0, missing.length === 0 ? 'all four' : `missing ${missing.join(', ')}`);
    }),
  },
  {
    id: 'list.date',
    expected: 'create_date is "YYYY-MM-DD hh:mm:ss"',
    reference: { section: 'list', assumed: true, quotes: ['"create_date":"2024-10-10 12:42:13"'] },
    assess: rowOnRecord('readCreated', 'list by groupid', (raw) =>
      judge(
        typeof raw.create_date === 'string' && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(raw.create_date),
        `create_date ${JSON.stringify(raw.create_date)}`,
      ),
    ),
  },
  {
    id: 'status.new',
    expected: 'a new group has status 1',
    reference: { section: 'update', quotes: ['documented default 1', '1 = active, 0 = inactive'] },
    assess: rowOnRecord('readCreated', 'list by groupid', (raw) => judge(raw.status === 1, statusSeen(raw))),
  },
  {
    id: 'update.answer',
    expected: '{"status":"success","message":"<text>","code":200}',
    reference: { section: 'update', quotes: ['Success: {"status":"success","message":"<text>","code":200}'] },
    assess: successRow('rename', 'update', (json) => typeof json.message === 'string'),
  },
  {
    id: 'update.name',
    expected: 'the group reads back renamed',
    reference: {
      section: 'update',
      quotes: ['even when only the status changes'],
      note: 'said of name, which is how a group is renamed',
    },
    assess: afterUpdate(
      rowOnRecord('readRenamed', 'list after update', (raw, _parsed, seen) =>
        judge(raw.name === seen.renamedTo, `name ${JSON.stringify(raw.name)}`),
      ),
    ),
  },
  {
    id: 'status.inactive',
    expected: 'status 0 reads back as 0',
    reference: { section: 'update', assumed: true, quotes: ['used to deactivate a group temporarily', '0 = inactive'] },
    assess: afterUpdate(
      rowOnRecord('readRenamed', 'list after update', (raw) => judge(raw.status === 0, statusSeen(raw))),
    ),
  },
  {
    id: 'delete.answer',
    expected: '{"status":"success","message":"<text>","code":200}',
    reference: { section: 'delete', quotes: ['Success: {"status":"success","message":"<text>","code":200}'] },
    assess: (seen) => {
      const hasMessage = (json: Record<string, unknown>): boolean => typeof json.message === 'string';
      const first = successRow('deleteCreated', 'delete', hasMessage)(seen);
      const second = successRow('deleteDuplicate', 'delete', hasMessage)(seen);
      const seenSecond = second.verdict === 'agrees' ? '' : `; the second: ${second.seen}`;
      return { verdict: worst([first.verdict, second.verdict]), seen: first.seen + seenSecond };
    },
  },
  {
    id: 'list.nothing',
    expected: 'a list matching nothing is error 1012',
    reference: {
      section: 'list',
      quotes: ['upstream may answer an empty response or error 1012'],
      note: "1012 is the sandbox's default",
    },
    tolerated: { section: 'list', quotes: ['both mean "nothing"'] },
    assess: (seen) => {
      const answer = answerOf(seen.readDeleted, 'list of the deleted id');
      if (isAssessment(answer)) return answer;
      const json = answer.json!;
      if (json.status === 'error') return errorCodeRow('readDeleted', 'list', [DeepcallCode.noDataFound])(seen);
      const records = listRecords(seen.readDeleted, 'list of the deleted id');
      if ('verdict' in records) return records;
      if (records.parsed.length > 0) return drift(`the deleted group is still listed`);
      return drift(`an empty response (${JSON.stringify(json.response)})`);
    },
  },
  {
    id: 'error.unknown-id',
    expected: 'update and delete of an unknown id: 1503',
    reference: { section: 'update', quotes: ["1503 group not found or not the caller's"], note: 'delete: the same' },
    assess: (seen) => {
      const update = errorCodeRow('unknownIdUpdate', 'update', [GroupCode.notFound])(seen);
      const remove = errorCodeRow('unknownIdDelete', 'delete', [GroupCode.notFound])(seen);
      return { verdict: worst([update.verdict, remove.verdict]), seen: `update ${update.seen}; delete ${remove.seen}` };
    },
  },
  {
    id: 'error.empty-name',
    expected: 'add with an empty name: 1501',
    reference: { section: 'add', quotes: ['Errors: 1501 name missing'] },
    assess: errorCodeRow('emptyName', 'add', [GroupCode.nameRequired]),
  },
  {
    id: 'error.no-group-id',
    expected: 'update without groupId: 1502',
    reference: { section: 'update', quotes: ['1502 groupId missing'] },
    assess: errorCodeRow('missingGroupId', 'update', [GroupCode.groupIdRequired]),
  },
  {
    id: 'error.bad-token',
    expected: 'a wrong token: 1014 (or 1000)',
    reference: {
      section: 'Authentication',
      quotes: [
        'A bad, expired or missing credential: 1014',
        '1000 invalid parameters (sometimes also used for bad authentication)',
      ],
    },
    assess: errorCodeRow('badToken', 'list', [DeepcallCode.invalidCredentials, DeepcallCode.invalidParameters]),
  },
  {
    id: 'error.no-token',
    expected: 'no token at all: 1020',
    reference: { section: 'Authentication', quotes: ['1020 when no token at all'] },
    assess: errorCodeRow('noToken', 'list', [DeepcallCode.tokenNotProvided]),
  },
  {
    id: 'error.non-json',
    expected: 'a non-JSON body: 1047',
    reference: { section: 'Transport', quotes: ['An empty or non-JSON body is answered with code 1047'] },
    assess: errorCodeRow('nonJson', 'list', [1047]),
  },
  {
    id: 'error.envelope',
    expected: 'errors are {"status":"error","message":"<text>","code":<number>}',
    reference: {
      section: 'Transport',
      quotes: ['Error bodies: {"status":"error","message":"<text>","code":<number>}'],
    },
    assess: (seen) => {
      const errors = errorAnswers(seen);
      if (errors.length === 0) return unchecked('no error answer to look at');
      const odd = errors.filter(({ answer }) => {
        const json = answer.json!;
        return typeof json.message !== 'string' || typeof json.code !== 'number';
      });
      if (odd.length === 0) return agrees(`all ${errors.length}`);
      return drift(odd.map(({ step, answer }) => `${step}: ${describeEnvelope(answer.json!)}`).join('; '));
    },
  },
  {
    id: 'error.http-status',
    expected: 'errors come under HTTP 200',
    reference: {
      section: 'Transport',
      assumed: true,
      quotes: ['The emulator answers application errors with HTTP 200 by default'],
    },
    tolerated: { section: 'Transport', quotes: ['accept an error body under HTTP 200 as well as under 4xx/5xx'] },
    assess: (seen) => {
      const errors = errorAnswers(seen);
      if (errors.length === 0) return unchecked('no error answer to look at');
      const statuses = [...new Set(errors.map(({ answer }) => answer.httpStatus))];
      return judge(
        statuses.length === 1 && statuses[0] === 200,
        `HTTP ${statuses.join(' and ')} for the ${errors.length} error answers`,
      );
    },
  },
];

/** A drift anywhere is a drift; else anything not compared leaves the row unchecked. */
export function worst(verdicts: Verdict[]): Verdict {
  if (verdicts.includes('drift')) return 'drift';
  return verdicts.includes('unchecked') ? 'unchecked' : 'agrees';
}

function statusSeen(raw: Record<string, unknown>): string {
  return raw.status === undefined ? 'no status' : `status ${JSON.stringify(raw.status)}`;
}
