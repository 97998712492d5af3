/** The child process of `verifyPactsIsolated`: one verification, its report sent back over IPC. */
import { verifyPacts, type WorkerAnswer, type WorkerRequest } from './verify.js';
import { PactInputError } from './pact-file.js';

process.env.PACT_DO_NOT_TRACK = 'true';

process.once('message', async (request: WorkerRequest) => {
  let answer: WorkerAnswer;
  try {
    answer = { ok: true, report: await verifyPacts(request.paths, request.options) };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    answer = {
      ok: false,
      error: { name: err.name, message: err.message, ...(err instanceof PactInputError ? { problems: err.problems } : {}) },
    };
  }
  process.send!(answer, () => {
    process.disconnect();
    process.exit(0);
  });
});
