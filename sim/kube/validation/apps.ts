// Deployment and ReplicaSet validation (pkg/apis/apps/validation, pkg/registry/apps/*/strategy.go).
import { type FieldError, forbidden, goLabelSelector, goStringMap, invalid, notSupported, required } from './errors';
import { validateAnnotations, validateImmutableField, validateLabels } from './meta';
import { validateLabelSelectorRequirement, validatePodSpec } from './pod';
import { regexError } from './names';

const nonNegative = (v: unknown, field: string): FieldError[] =>
  typeof v === 'number' && v < 0 ? [invalid(field, v, 'must be greater than or equal to 0')] : [];

export function validateLabelSelector(sel: any, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (sel == null) return errs;
  errs.push(...validateLabels(sel.matchLabels, `${field}.matchLabels`));
  (Array.isArray(sel.matchExpressions) ? sel.matchExpressions : []).forEach((r: any, i: number) =>
    errs.push(...validateLabelSelectorRequirement(r, `${field}.matchExpressions[${i}]`)),
  );
  return errs;
}

/** labels.Selector.Matches for a metav1.LabelSelector. */
export function selectorMatches(sel: any, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of sel?.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    const vals: string[] = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has || !vals.includes(l[e.key])) return false;
        break;
      case 'NotIn':
        if (has && vals.includes(l[e.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

const selectorEmpty = (sel: any) => Object.keys(sel?.matchLabels ?? {}).length + (sel?.matchExpressions?.length ?? 0) === 0;

function validatePodTemplateSpecForReplicaSet(template: any, selector: any, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (template == null) return [required(field, '')];
  const labels = template.metadata?.labels;
  // A missing selector converts to labels.Nothing(), which is not Empty() and matches nothing.
  if (selector == null || (!selectorEmpty(selector) && !selectorMatches(selector, labels)))
    errs.push(invalid(`${field}.metadata.labels`, labels, '`selector` does not match template `labels`', goStringMap(labels)));
  errs.push(...validateLabels(labels, `${field}.labels`));
  errs.push(...validateAnnotations(template.metadata?.annotations, `${field}.annotations`));
  errs.push(...validatePodSpec(template.spec, `${field}.spec`));
  const rp = template.spec?.restartPolicy ?? '';
  if (rp !== 'Always') errs.push(notSupported(`${field}.spec.restartPolicy`, rp, ['Always']));
  if (template.spec?.activeDeadlineSeconds != null)
    errs.push(forbidden(`${field}.spec.activeDeadlineSeconds`, 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  return errs;
}

function validateSelectorAndTemplate(spec: any, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.selector == null) errs.push(required(`${field}.selector`, ''));
  else {
    errs.push(...validateLabelSelector(spec.selector, `${field}.selector`));
    if (selectorEmpty(spec.selector))
      errs.push(invalid(`${field}.selector`, spec.selector, 'empty selector is invalid for deployment', goLabelSelector(spec.selector)));
  }
  errs.push(...validatePodTemplateSpecForReplicaSet(spec.template, spec.selector, `${field}.template`));
  return errs;
}

const percentFmt = '[0-9]+%';

function validatePositiveIntOrPercent(v: unknown, field: string): FieldError[] {
  if (typeof v === 'string') {
    if (!new RegExp(`^${percentFmt}$`).test(v))
      return [
        invalid(field, v, regexError("a valid percent string must be a numeric string followed by an ending '%'", percentFmt, '1%', '93%'), v),
      ];
    return [];
  }
  if (typeof v === 'number') return nonNegative(v, field);
  return [];
}

const intOrPercentValue = (v: unknown): number =>
  typeof v === 'number' ? v : typeof v === 'string' && /^[0-9]+%$/.test(v) ? Number(v.slice(0, -1)) : 0;

function validateDeploymentStrategy(strategy: any, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = strategy?.type ?? '';
  if (type === 'Recreate') {
    if (strategy.rollingUpdate != null)
      errs.push(forbidden(`${field}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'"));
  } else if (type === 'RollingUpdate') {
    const ru = strategy.rollingUpdate;
    if (ru == null) errs.push(required(`${field}.rollingUpdate`, 'this should be defaulted and never be nil'));
    else {
      const f = `${field}.rollingUpdate`;
      errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, `${f}.maxUnavailable`));
      errs.push(...validatePositiveIntOrPercent(ru.maxSurge, `${f}.maxSurge`));
      if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0)
        errs.push(invalid(`${f}.maxUnavailable`, ru.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0', String(ru.maxUnavailable ?? 0)));
      if (typeof ru.maxUnavailable === 'string' && intOrPercentValue(ru.maxUnavailable) > 100)
        errs.push(invalid(`${f}.maxUnavailable`, ru.maxUnavailable, 'must not be greater than 100%', ru.maxUnavailable));
    }
  } else errs.push(notSupported(field, strategy, ['Recreate', 'RollingUpdate']));
  return errs;
}

export function validateDeployment(obj: any, old?: any): FieldError[] {
  const spec = obj?.spec ?? {};
  const errs: FieldError[] = [];
  errs.push(...nonNegative(spec.replicas, 'spec.replicas'));
  errs.push(...validateSelectorAndTemplate(spec, 'spec'));
  errs.push(...validateDeploymentStrategy(spec.strategy, 'spec.strategy'));
  errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  if (typeof spec.progressDeadlineSeconds === 'number') {
    errs.push(...nonNegative(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0))
      errs.push(invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
  }
  if (old) errs.push(...validateImmutableField(spec.selector, old.spec?.selector, 'spec.selector', goLabelSelector(spec.selector)));
  return errs;
}

export function validateReplicaSet(obj: any, old?: any): FieldError[] {
  const spec = obj?.spec ?? {};
  const errs: FieldError[] = [];
  errs.push(...nonNegative(spec.replicas, 'spec.replicas'));
  errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateSelectorAndTemplate(spec, 'spec'));
  if (old) errs.push(...validateImmutableField(spec.selector, old.spec?.selector, 'spec.selector', goLabelSelector(spec.selector)));
  return errs;
}
