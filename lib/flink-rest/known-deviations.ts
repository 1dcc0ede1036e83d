// Where real Flink answers differently from its own OpenAPI file. Flink's source wins: the client accepts
// what Flink sends, and the contract test (contract.test.ts) forgives exactly these and nothing else.
// The same list, seen from the server side, is in sim/flink/README.md and sim/flink/contract.test.ts.

/** One problem the OpenAPI validator (ajv) reported, with where it happened. */
export type ContractIssue = { instancePath: string; schemaPath: string; message: string };

export type KnownDeviation = { id: string; why: string; matches: (issue: ContractIssue, urlPath: string) => boolean };

export const KNOWN_DEVIATIONS: readonly KnownDeviation[] = [
  {
    id: 'taskmanager-id',
    // KubernetesResourceManagerDriver names TaskManagers after their pods; the spec gives ResourceID a 32-hex pattern.
    why: 'TaskManager ids are pod names, not 32-hex ResourceIDs',
    matches: (i) => i.schemaPath.includes('/ResourceID/pattern'),
  },
  {
    id: 'checkpoint-mode',
    // CheckpointConfigInfo.ProcessingModeSerializer writes exactly_once / at_least_once.
    why: 'checkpoint "mode" is lower-case',
    matches: (i) => i.schemaPath.includes('/ProcessingMode/enum') && i.instancePath === '/mode',
  },
  {
    id: 'slot-sharing-group-id',
    // SlotSharingGroupIDSerializer writes the hex string; the generator shows the Java object.
    why: 'slotSharingGroupId is a hex string',
    matches: (i) => i.schemaPath.includes('/SlotSharingGroupId/type') && i.instancePath.endsWith('/slotSharingGroupId'),
  },
  {
    id: 'application-id',
    // 2.3: ApplicationIDSerializer writes the 32-hex string (application-id, applicationId) and
    // ApplicationIDPathParameter reads one from the path; the spec shows the Java object. versions.ts
    // readApplicationId() reads the string, and the client puts the string in the path.
    why: 'ApplicationID is a hex string',
    matches: (i) => i.schemaPath.includes('/ApplicationID/type') && /\/(application-id|applicationId|id|applicationid)$/.test(i.instancePath),
  },
  {
    id: 'execution-result',
    // JobResultSerializer writes id, application-status, net-runtime, ... not JobResult's bean fields.
    why: 'execution-result has JobResultSerializer keys',
    matches: (i, p) => /\/execution-result$/.test(p.split('?')[0]) && i.instancePath.startsWith('/job-execution-result'),
  },
  {
    id: 'nullable',
    // Jackson writes null for JarEntryInfo.description and LatestCheckpoints.failed/savepoint/restored/completed;
    // the generator does not mark them nullable.
    why: 'nullable fields are null',
    matches: (i) =>
      (i.schemaPath.includes('JarEntryInfo/properties/description/type') && i.message === 'must be string') ||
      (/^\/latest\/(failed|savepoint|restored|completed)$/.test(i.instancePath) && i.message === 'must be object'),
  },
  {
    id: 'metrics-array',
    // MetricCollectionResponseBody.Serializer writes a JSON array.
    why: '/jobs/:id/metrics is an array',
    matches: (i, p) => /\/metrics(\?|$)/.test(p) && i.instancePath === '' && i.message === 'must be object',
  },
  {
    id: 'serialized-throwable',
    // SerializedThrowableSerializer writes {class, stack-trace, serialized-throwable (base64)}; the spec's
    // `serialized-throwable` is `format: binary` (an array of bytes in 1.x's generator output, a string in 2.3).
    why: 'SerializedThrowable is {class, stack-trace, serialized-throwable: base64}',
    matches: (i) => i.schemaPath.includes('/SerializedThrowable/') && /serialized-throwable/.test(i.instancePath + i.schemaPath),
  },
];

/** The deviation that explains an issue, or undefined (then it is a real contract violation). */
export function knownDeviationOf(issue: ContractIssue, urlPath: string): KnownDeviation | undefined {
  return KNOWN_DEVIATIONS.find((d) => d.matches(issue, urlPath));
}
