// Inputs of the jar routes, shared by the browser's forms and the route handlers (pure: no I/O).
import { z } from 'zod';
import { strictObject } from '@/lib/api/strict-object';

/** Flink names an uploaded jar `<uuid>_<original name>` (JarUploadHandler); the id is a path segment on the JobManager. */
export const jarIdSchema = z
  .string()
  .max(300, 'A jar id has at most 300 characters.')
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}_[^/\\\u0000-\u001f]+\.jar$/,
    'A jar id is the one Flink gave the upload: <uuid>_<file name>.jar.',
  );

/**
 * The name the jar is stored under on the JobManager. Flink refuses a file whose name does not end in
 * `.jar` ("Only Jar files are allowed."); quotes, slashes and control characters would break the
 * multipart header or the path.
 */
export const jarFileNameSchema = z
  .string()
  .min(5, 'The file name is missing.')
  .max(200, 'A file name has at most 200 characters.')
  .refine((v) => !/["\\/\u0000-\u001f\u007f]/.test(v), { message: 'A file name may not contain quotes, slashes or control characters.' })
  .refine((v) => v.toLowerCase().endsWith('.jar'), { message: 'Flink accepts only files whose name ends in .jar.' });

export const jarUploadQuerySchema = strictObject({ name: jarFileNameSchema });

/** 32 hex digits: Flink's JobID as text. */
export const jobIdSchema = z.string().regex(/^[0-9a-fA-F]{32}$/, 'A job id is 32 hexadecimal digits.');

export const RESTORE_MODES = ['NO_CLAIM', 'CLAIM', 'LEGACY'] as const;

/** A URI with a scheme: `s3://bucket/savepoints/savepoint-1`, `file:///flink/savepoints/x`. */
const savepointPathSchema = z
  .string()
  .trim()
  .max(2048)
  .regex(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/\S+$/, 'A savepoint path is a URI with a scheme, such as s3://bucket/savepoints/savepoint-1a2b or file:///flink/savepoints/savepoint-1a2b.');

const configKeySchema = z.string().trim().min(1, 'A Flink option needs a key.').max(256).regex(/^[A-Za-z0-9_.$-]+$/, 'A Flink option key is letters, digits, dots, dashes and underscores.');

/** What the run form sends; the route turns it into Flink's JarRunRequestBody for the cluster's version. */
export const jarRunSchema = strictObject({
  jobId: jobIdSchema,
  entryClass: z
    .string()
    .trim()
    .max(500)
    .regex(/^([A-Za-z_$][A-Za-z0-9_$]*\.)*[A-Za-z_$][A-Za-z0-9_$]*$/, 'An entry class is a fully qualified Java class name, such as com.example.MyJob.')
    .optional(),
  programArgs: z.array(z.string().max(10_000)).max(500).default([]),
  parallelism: z
    .number({ error: 'Parallelism is a whole number of 1 or more.' })
    .int('Parallelism is a whole number of 1 or more.')
    .min(1, 'Parallelism is a whole number of 1 or more.')
    .max(32_768, 'Parallelism is at most 32768 (Flink’s maximum parallelism).')
    .optional(),
  savepointPath: savepointPathSchema.optional(),
  allowNonRestoredState: z.boolean().optional(),
  restoreMode: z.enum(RESTORE_MODES).optional(),
  flinkConfiguration: z.record(configKeySchema, z.string().max(10_000)).optional(),
});

export type JarRunInput = z.input<typeof jarRunSchema>;
export type JarRunRequest = z.output<typeof jarRunSchema>;

/** One uploaded jar as the dashboard shows it. */
export type JarDto = { id: string; name: string; uploaded: number; entryClasses: string[] };

/** GET .../jars: whether this cluster takes uploads, and its jars. */
export type JarListDto =
  | { uploads: true; flinkVersion: string; restoreModeField: 'restoreMode' | 'claimMode'; jars: JarDto[] }
  | { uploads: false; flinkVersion: string; reason: 'application' | 'web-submit-disabled'; message: string; jars: [] };

export type UploadedJarDto = { id: string; name: string };
export type JarRunResultDto = { jobId: string };
