import { z } from 'zod';

// zod probes whether it may compile validators with `new Function`; under the pages' CSP (no
// 'unsafe-eval') the probe is caught but still reported as a CSP violation. Validate without it.
z.config({ jitless: true });
