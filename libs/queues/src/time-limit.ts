/**
 * Runs `work` with an AbortSignal that fires after `ms` or when `outer` aborts (worker
 * shutdown), and rejects at that moment even if `work` ignores the signal: a hung agency call
 * must not hold a worker slot, nor a shutdown, forever.
 *
 * @param onTimeout builds the error for an elapsed time limit.
 * @param onAbort builds the error for an outer abort.
 */
export async function runWithTimeLimit<T>(
  work: (signal: AbortSignal) => Promise<T>,
  ms: number | undefined,
  onTimeout: () => Error,
  outer?: AbortSignal,
  onAbort: () => Error = onTimeout,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let forwardAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    const stop = (error: Error) => {
      reject(error);
      controller.abort(error);
    };
    if (ms !== undefined && ms > 0) timer = setTimeout(() => stop(onTimeout()), ms);
    forwardAbort = () => stop(onAbort());
    if (outer?.aborted) forwardAbort();
    else outer?.addEventListener('abort', forwardAbort, { once: true });
  });
  // Whichever side loses the race may still settle later; that must not be an unhandled rejection.
  void stopped.catch(() => undefined);
  try {
    const running = work(controller.signal);
    void running.catch(() => undefined);
    return await Promise.race([running, stopped]);
  } catch (error) {
    // A handler that obeyed the signal throws its own error; the reason we stopped it is what counts.
    throw controller.signal.aborted ? (controller.signal.reason as Error) : error;
  } finally {
    if (timer) clearTimeout(timer);
    if (forwardAbort) outer?.removeEventListener('abort', forwardAbort);
  }
}
