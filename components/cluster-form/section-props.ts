import type { FormDraft, Issue } from './form-draft';

/** What every form section receives: the draft, a way to change it, and the issues to show. */
export type SectionProps = { draft: FormDraft; onChange: (next: FormDraft) => void; issues: Issue[] };
