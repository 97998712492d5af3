/** The v2 subset (PascalCase, paging, ProblemDetails). */
import type { Operation } from '../core/types.js';

export const v2Operations: Operation[] = [];
