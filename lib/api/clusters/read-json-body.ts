import { ApiError } from '../api-error';

/** The request's JSON body; malformed JSON is a 400, not a 500. */
export async function readJsonBody(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new ApiError('bad_request', 'The request body is not valid JSON.');
  }
}
