// The layering of src/, checked by `npm run lint:architecture` (and so by `npm test`);
// docs/architecture.md draws it. No exceptions: a violation is fixed in the code.

// Lowest first: a layer imports only from the layers before it (and from itself, without cycles).
const LAYERS = [
  ['config', '^src/config/'],
  // The request plumbing and its tracing: knows no feature.
  ['platform', '^src/(core|telemetry)/'],
  ['infrastructure', '^src/(metrics|lifecycle|state)/'],
  ['upstream', '^src/deepcall/'],
  ['policies', '^src/(fair-use|idempotency|audit)/'],
  ['session', '^src/session/'],
  ['features', '^src/(groups|health)/'],
  // The process: what assembles and starts the application, and the separate programs.
  ['app', '^src/([^/]+\\.ts$|upstream-check/|sandbox/)'],
];

const upward = LAYERS.slice(0, -1).map(([name, path], index) => ({
  name: `no-upward-from-${name}`,
  comment: `${name} is below ${LAYERS.slice(index + 1)
    .map(([above]) => above)
    .join(', ')}: a lower layer that imports a higher one makes both one unit to change and test.`,
  severity: 'error',
  from: { path },
  to: { path: LAYERS.slice(index + 1).map(([, above]) => above) },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment:
        'A cycle (type-only imports included) makes its files one unit: none can be read, tested or moved alone.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-knows-no-feature',
      comment:
        'core/ is the HTTP plumbing any feature builds on; knowing one (groups, DeepCall) would tie it to that feature.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/(core|telemetry|config)/' },
    },
    {
      name: 'sandbox-only-from-bootstrap',
      comment:
        'The sandbox is a development stand-in for DeepCall: production code reaches it only where start-up launches it.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/sandbox/', '^src/bootstrap\\.ts$', '\\.spec\\.ts$'] },
      to: { path: '^src/sandbox/' },
    },
    {
      name: 'no-unresolvable',
      comment: 'An import the tool cannot resolve would escape every rule above.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    ...upward,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.d\\.ts$' },
    // Type-only imports are dependencies too: they break when the imported file changes.
    tsPreCompilationDeps: true,
    // Resolves the `.js` specifiers of ESM TypeScript to their `.ts` sources.
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
