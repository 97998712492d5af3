/** inkasso-sandbox/msw: the sandbox in-process behind msw. */
export { sandboxHandlers, DEFAULT_MSW_BASE_URL, type SandboxHandlers, type SandboxHandlersOptions } from './handlers.js';
