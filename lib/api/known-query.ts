import { ApiError } from './api-error';
import { suggestField } from './strict-object';

/**
 * Refuses query parameters a route does not take, naming the first with a near known name, as strict
 * field validation does for bodies: `Unknown query parameter "contxt" (did you mean "context"?)`.
 */
export function assertKnownQuery(request: Request, known: readonly string[]): void {
  const params = new URL(request.url).searchParams;
  const unknown = [...new Set(params.keys())].filter((k) => !known.includes(k));
  if (unknown.length === 0) return;
  const shape = Object.fromEntries(known.map((k) => [k, true]));
  const issues = unknown.map((k) => {
    const suggestion = suggestField(k, shape);
    const shown = JSON.stringify(k.length > 80 ? `${k.slice(0, 80)}…` : k).slice(1, -1);
    return { path: `query.${k}`, message: `Unknown query parameter "${shown}"${suggestion ? ` (did you mean ${suggestion}?)` : ''}` };
  });
  const takes = known.length === 0 ? 'This route takes no query parameters' : `This route takes ${known.map((k) => `"${k}"`).join(', ')}`;
  throw new ApiError('invalid_input', `${issues[0].message}. ${takes}. Nothing was changed.`, { issues });
}
