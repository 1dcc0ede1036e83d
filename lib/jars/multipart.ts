// The multipart/form-data envelope Flink's FileUploadHandler reads: one file part (field `jarfile`,
// as Flink's web UI names it; the name is not checked) whose filename ends in .jar. Only the head and
// the tail are built here; the jar's bytes stream between them.
import { randomBytes } from 'node:crypto';

export type MultipartEnvelope = { contentType: string; head: Buffer; tail: Buffer };

export function buildJarEnvelope(fileName: string, boundary = `----FlinkDashboard${randomBytes(12).toString('hex')}`): MultipartEnvelope {
  const head = Buffer.from(
    `--${boundary}\r\n` +
      `Content-Disposition: form-data; name="jarfile"; filename="${fileName}"\r\n` +
      // RestConstants.CONTENT_TYPE_JAR, as Flink's RestClient sends it.
      'Content-Type: application/x-java-archive\r\n\r\n',
    'utf8',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
  return { contentType: `multipart/form-data; boundary=${boundary}`, head, tail };
}

/** The four bytes every zip archive (and so every jar) starts with: a local file header. */
export const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

export function startsLikeZip(first: Uint8Array): boolean {
  return first.length >= 4 && ZIP_MAGIC.equals(Buffer.from(first.buffer, first.byteOffset, 4));
}
